"""The repair pipeline: passes in a fixed order, fast and detailed modes.

Order (each pass sees the output of the one before):

0. NFC        - so that every pass sees composed text
1. ``mojibake``  - CJK mojibake, span by span (decode-level damage first)
2. ``gbkbytes``  - byte-level edits inside a GBK stream (``??h``, ``?(zhèn)``)
3. ``ruby``      - flattened ruby readings
4. ``script``    - script conversion, then context corrections; then the
   lines that changed after a pass last saw them go through the early
   passes again (settling, below), so that a second run finds nothing
5. findings     - lossy spots and unrepaired GBK phase shifts, before punctuation touches ``?``
6. ``punct``     - parentheses around Chinese first, then commas and widths
7. ``space``     - no-break, full-width and indentation spaces
8. NFC; then the lines the last three changed are settled like those of
   step 4, and what that changes goes through steps 6-8 again

Passes never add or remove line breaks, so a line number is the same in
every stage; columns are carried back to the input through offset maps.
The fast mode (``fix_text``) applies each pass without recording anything.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from .config import Config
from .edits import Edit, Finding, LineIndex, OffsetMap, Repair, apply_edits, normalize_edits
from .memo import LineMemo
from .passes import gbkbytes, lossy, mojibake, punct, ruby, script, space

FindFn = Callable[[str, Config], list[Edit]]

# (name, find) for the passes before the script stage and after it.
_EARLY: tuple[tuple[str, FindFn], ...] = (
    ("mojibake", mojibake.find),
    ("gbkbytes", gbkbytes.find),
    ("ruby", ruby.find),
)
_LATE: tuple[tuple[str, FindFn], ...] = (
    ("parens", punct.find_parens),
    ("punct", punct.find),
    ("space", space.find),
)

NFC_RULE = "unicode-nfc"


# Passes with a faster path than applying their edits (same result).
_FAST_FIX: dict[str, Callable[[str, Config], str]] = {"ruby": ruby.fix, "punct": punct.fix}


def _nfc_lines(text: str) -> str:
    return "\n".join(unicodedata.normalize("NFC", line) for line in text.split("\n"))


def _needs_nfc(text: str, config: Config) -> bool:
    return config.enabled(NFC_RULE) and not text.isascii() and not unicodedata.is_normalized("NFC", text)


def _nfc_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    pos = 0
    for line in text.split("\n"):
        if not unicodedata.is_normalized("NFC", line):
            edits.append(Edit(pos, pos + len(line), unicodedata.normalize("NFC", line), NFC_RULE))
        pos += len(line) + 1
    return edits


def _nfc_mojibake(text: str, config: Config) -> str:
    """NFC, then the mojibake pass: both line-local (see :class:`~seedclean.memo.LineMemo`)."""
    if _needs_nfc(text, config):  # first, so every pass sees composed text (鎮(zhe\u0300n))
        text = _nfc_lines(text)
    edits = mojibake.find(text, config)
    if edits:
        text = apply_edits(text, normalize_edits(edits))
    return text


# One line memo of the NFC + mojibake stage per configuration (a handful at
# most), and one of the late stage (punctuation, spaces, NFC).
_EARLY_MEMOS: dict[Config, LineMemo] = {}
_LATE_MEMOS: dict[Config, LineMemo] = {}


def _early_memo(config: Config, memos: dict[Config, LineMemo] = _EARLY_MEMOS) -> LineMemo:
    memo = memos.get(config)
    if memo is None:
        if len(memos) >= 8:
            memos.clear()
        memo = memos[config] = LineMemo()
    return memo


def fix_fast(text: str, config: Config) -> str:
    """Repaired text, nothing recorded: the hot path behind ``fix_text``."""
    if not text:
        return text
    start = text
    # NFC and mojibake repair once per distinct line (web pages repeat lines)
    text = _early_memo(config).apply(text, lambda t: _nfc_mojibake(t, config))
    seen: dict[str, str] = {"mojibake": text}  # the text each early pass left
    for name, find in _EARLY[1:]:  # after mojibake (done above)
        fast = _FAST_FIX.get(name)
        if fast is not None:
            text = fast(text, config)
        else:
            edits = find(text, config)
            if edits:
                text = apply_edits(text, normalize_edits(edits))
        seen[name] = text
    plan = script.plan(text, config)
    if plan is not None:
        text = _convert_fast(text, config, plan)
    if text != start:
        text = _settle_fast(seen, text, config, plan)
    text = _late_stage(text, config)
    for _ in range(_SETTLE):  # what the late passes changed, through the early ones again
        settled = _settle_fast(seen, text, config, plan)
        if settled == text:
            break
        text = _late_stage(settled, config)
    return text


def _late_stage(text: str, config: Config) -> str:
    """Punctuation, spaces and NFC once per distinct line (:func:`_late_fast` on the lines not seen before)."""
    return _early_memo(config, _LATE_MEMOS).apply(text, lambda t: _late_fast(t, config))


def _late_fast(text: str, config: Config) -> str:
    """The late passes, then NFC: line-local too (a mark's or a space's neighbours are on its line)."""
    for name, find in _LATE:
        fast = _FAST_FIX.get(name)
        if fast is not None:
            text = fast(text, config)
            continue
        edits = find(text, config)
        if edits:
            text = apply_edits(text, normalize_edits(edits))
    if _needs_nfc(text, config):  # and last, for what a pass produced
        text = _nfc_lines(text)
    return text


# ---------------------------------------------------------------- settling
#
# The early passes and the script conversion run once in order, but what one
# of them produces can be what an earlier one repairs: t2s turns `鴷J` into
# `䴕J`, whose GBK bytes a phase shift explains (`哈欽`).  The next run would
# repair it, so this run does: the lines a round changed are given to the
# early passes again (mojibake and gbkbytes are line-local, so only those
# lines; the ruby pass decides on the whole document), and what they change
# is converted like the rest of the document, until a round changes nothing
# or :data:`_SETTLE` rounds have run.  Clean text never gets here (nothing
# changed); a converted document costs one more look at its lines.
#
# The late passes change what the early ones see too: once punct widens the
# `:` in `\ufffd:咒腑国`, mojibake-big5-gbk reads the U+FFFD and `：` as the
# bytes of one character.  So the lines the late passes change are settled
# the same way, and the late passes run again on the result (at most
# :data:`_SETTLE` times).  The early passes rarely find anything on a line
# punct or space changed; looking costs a few per cent of a garbled run.

_SETTLE = 3
_LINE_PASSES: tuple[tuple[str, FindFn], ...] = (("mojibake", mojibake.find), ("gbkbytes", gbkbytes.find))


def _convert_fast(text: str, config: Config, plan: str) -> str:
    out = script.convert_with(text, plan)
    if out is None:
        return text
    if plan == "t2s":
        edits = script.find_context(out, config, True)
        if edits:
            out = apply_edits(out, edits)
    return out


def _changed_rows(before: str, after: str) -> list[int]:
    """Indices of the lines that differ (passes keep the number of lines)."""
    if before == after:
        return []
    return [i for i, (a, b) in enumerate(zip(before.split("\n"), after.split("\n"), strict=True)) if a != b]


def _on_rows(find: FindFn, text: str, config: Config, rows: list[int]) -> list[Edit]:
    """A line-local pass run on lines ``rows`` of ``text``, its edits located in ``text``.

    When the rows are most of the text (a converted document) the pass runs
    on all of it: the other lines are what it left the last time, which the
    next run would give it too.
    """
    if 2 * len(rows) > text.count("\n"):
        return find(text, config)
    lines = text.split("\n")
    edits = find("\n".join([lines[i] for i in rows]), config)
    if not edits:
        return []
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    sub_starts = [0]
    for i in rows[:-1]:
        sub_starts.append(sub_starts[-1] + len(lines[i]) + 1)
    out: list[Edit] = []
    for e in edits:
        j = bisect_right(sub_starts, e.start) - 1
        shift = starts[rows[j]] - sub_starts[j]
        out.append(Edit(e.start + shift, e.end + shift, e.replacement, e.rule))
    return out


def _convert_rows(text: str, rows: list[int], plan: str) -> str:
    """``text`` with lines ``rows`` converted with ``plan``."""
    lines = text.split("\n")
    out = script.convert_with("\n".join(lines[i] for i in rows), plan)
    if out is None:
        return text
    for i, line in zip(rows, out.split("\n"), strict=True):
        lines[i] = line
    return "\n".join(lines)


class _Rows:
    """:func:`_changed_rows`, remembered for the pair of texts last compared (passes often leave the same text)."""

    __slots__ = ("_key", "_rows")

    def __init__(self) -> None:
        self._key: tuple[str, str] | None = None
        self._rows: list[int] = []

    def __call__(self, before: str, after: str) -> list[int]:
        if before is after:
            return []
        key = self._key
        if key is None or key[0] is not before or key[1] is not after:
            self._key = (before, after)
            self._rows = _changed_rows(before, after)
        return self._rows


def _settle_fast(seen: dict[str, str], text: str, config: Config, plan: str | None) -> str:
    """Early passes again on what changed after each of them last ran (see above)."""
    changed = _Rows()
    for _ in range(_SETTLE):
        before = text
        for name, find in _LINE_PASSES:
            rows = changed(seen[name], text)
            if rows:
                edits = _on_rows(find, text, config, rows)
                if edits:
                    text = apply_edits(text, normalize_edits(edits))
            seen[name] = text
        if text != seen["ruby"]:
            text = seen["ruby"] = ruby.fix(text, config)
        if text == before:
            break
        if plan is None:  # the next run would decide on the whole document again
            plan = script.plan(text, config)
            if plan is not None:
                text = _convert_fast(text, config, plan)
        else:
            converted = _convert_rows(text, _changed_rows(before, text), plan)
            if converted != text:
                text = converted
                edits = script.find_context(text, config, plan == "t2s")
                if edits:
                    text = apply_edits(text, edits)
    return text


@dataclass
class Result:
    """Detailed output: the repaired text, every applied edit and every finding."""

    text: str
    repairs: list[Repair] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class _Tracker:
    """Applies passes one by one and locates every edit in the input."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = LineIndex(text)
        self.maps: list[OffsetMap] = []
        self.repairs: list[Repair] = []

    def to_input(self, pos: int) -> int:
        for m in reversed(self.maps):
            pos = m.to_old(pos)
        return pos

    def locate(self, pos: int) -> tuple[int, int]:
        return self.index.locate(self.to_input(pos))

    def apply(self, edits: list[Edit]) -> None:
        if not edits:
            return
        edits = normalize_edits(edits)
        for e in edits:
            line, col = self.locate(e.start)
            self.repairs.append(Repair(e.rule, line, col, self.text[e.start : e.end], e.replacement))
        self.text = apply_edits(self.text, edits)
        self.maps.append(OffsetMap(edits))


def _convert_tracked(t: _Tracker, config: Config, plan: str, rows: list[int] | None) -> None:
    """Convert the whole text (or lines ``rows``) with ``plan``, then the context fixes after t2s."""
    if rows is None:
        out = script.convert_with(t.text, plan)
        if out is None:
            return
    else:
        out = _convert_rows(t.text, rows, plan)
    if out != t.text:
        t.apply(script.diff_edits(t.text, out))
    if plan == "t2s" and (rows is None or out != t.text):
        t.apply(script.find_context(t.text, config, True))


def _settle_tracked(t: _Tracker, seen: dict[str, str], config: Config, plan: str | None) -> None:
    """:func:`_settle_fast` with every edit recorded."""
    changed = _Rows()
    for _ in range(_SETTLE):
        before = t.text
        for name, find in _LINE_PASSES:
            rows = changed(seen[name], t.text)
            if rows:
                t.apply(_on_rows(find, t.text, config, rows))
            seen[name] = t.text
        if t.text != seen["ruby"]:
            t.apply(ruby.find(t.text, config))
            seen["ruby"] = t.text
        if t.text == before:
            break
        if plan is None:
            plan = script.plan(t.text, config)
            if plan is not None:
                _convert_tracked(t, config, plan, None)
        else:
            _convert_tracked(t, config, plan, _changed_rows(before, t.text))


def _late_tracked(t: _Tracker, config: Config) -> None:
    for _name, find in _LATE:
        t.apply(find(t.text, config))
    if _needs_nfc(t.text, config):
        t.apply(_nfc_edits(t.text))


def run(text: str, config: Config) -> Result:
    """Repaired text with every repair and finding located in ``text``."""
    t = _Tracker(text)
    findings: list[Finding] = []
    if _needs_nfc(t.text, config):
        t.apply(_nfc_edits(t.text))
    start = t.text
    seen: dict[str, str] = {}
    for name, find in _EARLY:
        t.apply(find(t.text, config))
        seen[name] = t.text
    plan = script.plan(t.text, config)
    if plan is not None:
        _convert_tracked(t, config, plan, None)
    if t.text != start:
        _settle_tracked(t, seen, config, plan)
    if config.enabled(lossy.RULE):
        for s, e, message in lossy.scan(t.text):
            line, col = t.locate(s)
            findings.append(Finding(lossy.RULE, line, col, message, t.text[s:e]))
    if config.enabled(gbkbytes.RULE_GARBLED):
        for s, e, message in gbkbytes.garbled_spans(t.text):
            line, col = t.locate(s)
            findings.append(Finding(gbkbytes.RULE_GARBLED, line, col, message, t.text[s:e]))
    _late_tracked(t, config)
    for _ in range(_SETTLE):
        before = t.text
        _settle_tracked(t, seen, config, plan)
        if t.text == before:
            break
        _late_tracked(t, config)
    findings.sort(key=lambda f: (f.line, f.column))
    return Result(t.text, t.repairs, findings)
