"""The repair pipeline: passes in a fixed order, fast and detailed modes.

Order (each pass sees the output of the one before):

0. NFC        - so that every pass sees composed text
1. ``mojibake``  - CJK mojibake, span by span (decode-level damage first)
2. ``gbkbytes``  - byte-level edits inside a GBK stream (``??h``, ``?(zhèn)``)
3. ``ruby``      - flattened ruby readings
4. ``script``    - script conversion, then context corrections
5. findings     - lossy spots and unrepaired GBK phase shifts, before punctuation touches ``?``
6. ``punct``     - parentheses around Chinese first, then commas and widths
7. ``space``     - no-break, full-width and indentation spaces
8. NFC

Passes never add or remove line breaks, so a line number is the same in
every stage; columns are carried back to the input through offset maps.
The fast mode (``fix_text``) applies each pass without recording anything.
"""

from __future__ import annotations

import unicodedata
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


# One line memo of the NFC + mojibake stage per configuration (a handful at most).
_EARLY_MEMOS: dict[Config, LineMemo] = {}


def _early_memo(config: Config) -> LineMemo:
    memo = _EARLY_MEMOS.get(config)
    if memo is None:
        if len(_EARLY_MEMOS) >= 8:
            _EARLY_MEMOS.clear()
        memo = _EARLY_MEMOS[config] = LineMemo()
    return memo


def fix_fast(text: str, config: Config) -> str:
    """Repaired text, nothing recorded: the hot path behind ``fix_text``."""
    if not text:
        return text
    # NFC and mojibake repair once per distinct line (web pages repeat lines)
    text = _early_memo(config).apply(text, lambda t: _nfc_mojibake(t, config))
    for name, find in _EARLY[1:]:  # after mojibake (done above)
        fast = _FAST_FIX.get(name)
        if fast is not None:
            text = fast(text, config)
            continue
        edits = find(text, config)
        if edits:
            text = apply_edits(text, normalize_edits(edits))
    text, converted = script.convert(text, config)
    if converted:
        edits = script.find_context(text, config, converted)
        if edits:
            text = apply_edits(text, edits)
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


def run(text: str, config: Config) -> Result:
    """Repaired text with every repair and finding located in ``text``."""
    t = _Tracker(text)
    findings: list[Finding] = []
    if _needs_nfc(t.text, config):
        t.apply(_nfc_edits(t.text))
    for _name, find in _EARLY:
        t.apply(find(t.text, config))
    converted_text, converted = script.convert(t.text, config)
    if converted_text != t.text:
        t.apply(script.find(t.text, config))
    if converted:
        t.apply(script.find_context(t.text, config, converted))
    if config.enabled(lossy.RULE):
        for s, e, message in lossy.scan(t.text):
            line, col = t.locate(s)
            findings.append(Finding(lossy.RULE, line, col, message, t.text[s:e]))
    if config.enabled(gbkbytes.RULE_GARBLED):
        for s, e, message in gbkbytes.garbled_spans(t.text):
            line, col = t.locate(s)
            findings.append(Finding(gbkbytes.RULE_GARBLED, line, col, message, t.text[s:e]))
    for _name, find in _LATE:
        t.apply(find(t.text, config))
    if _needs_nfc(t.text, config):
        t.apply(_nfc_edits(t.text))
    findings.sort(key=lambda f: (f.line, f.column))
    return Result(t.text, t.repairs, findings)
