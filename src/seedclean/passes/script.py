"""Rules ``script-convert`` and ``script-context``: convert the script once.

``script-convert`` detects the document's script, then converts it once with
OpenCC's C++ core (``t2s``, ``s2t``, ``s2tw``, ``s2hk``, ``t2tw``, ``t2hk``)::

    全國特色小鎮全力打好疫情防控阻擊戰  ->  全国特色小镇全力打好疫情防控阻击战

Converters are not idempotent on text already in the target script (``s2t``
turns the surname 于 of a Traditional text into 於), so a document is only
converted when it is clearly in the other script: characters that exist only
in the source script must outnumber those of the target script three to one.
A Simplified page quoting one Traditional name is left alone.

``script-context`` fixes what a character-level converter gets wrong after
``t2s``: the verbal particle 著 is 着 in modern Simplified (着力, 摸得着,
看着) while 著名, 显著, 著作 keep 著; 甚么 is 什么; 衹 and 祇 (but not 神祇)
are 只::

    一些特色小鎮著力構建  ->  一些特色小镇着力构建
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import Any

from ..config import Config
from ..edits import Edit
from ..memo import LineMemo

RULE = "script-convert"
CONTEXT_RULE = "script-context"

_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@lru_cache(maxsize=8)
def converter(name: str) -> Any:
    """The OpenCC converter for config ``name`` (created once per process)."""
    import opencc

    return opencc.OpenCC(name)


def _changed_chars(config_name: str) -> str:
    """Characters that ``config_name`` changes when they stand alone."""
    chars = [chr(c) for lo, hi in _RANGES for c in range(lo, hi + 1)]
    joined = "\n".join(chars)
    out = converter(config_name).convert(joined).split("\n")
    if len(out) != len(chars):  # pragma: no cover - OpenCC never merges lines
        return ""
    return "".join(c for c, o in zip(chars, out, strict=True) if o != c)


def _class(chars: str) -> str:
    return "".join(re.escape(c) for c in chars)


@lru_cache(maxsize=1)
def _detectors() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(traditional-only, simplified-only) character regexes."""
    trad = _changed_chars("t2s")
    simp = _changed_chars("s2t")
    # A character both maps change (rare variants) says nothing either way.
    both = set(trad) & set(simp)
    trad = "".join(c for c in trad if c not in both)
    simp = "".join(c for c in simp if c not in both)
    return re.compile(f"[{_class(trad)}]"), re.compile(f"[{_class(simp)}]")


_KANA = re.compile("[\u3040-\u309f\u30a0-\u30ff]")


@lru_cache(maxsize=1)
def _simp_or_kana() -> re.Pattern[str]:
    """A Simplified-only character (see :func:`_detectors`) or a kana."""
    return re.compile(f"[{_detectors()[1].pattern[1:-1]}\u3040-\u309f\u30a0-\u30ff]")


_HAN_CHAR = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def _is_japanese(text: str) -> bool:
    """Kana make up a real share of the text: it is Japanese, not Chinese."""
    kana = len(_KANA.findall(text))
    return kana >= 0.1 * len(_HAN_CHAR.findall(text))


_SAMPLE = 1 << 18  # characters counted at most, from the start of a long text


@lru_cache(maxsize=1)
def _trad_or_kana() -> re.Pattern[str]:
    """A Traditional-only character (see :func:`_detectors`) or a kana."""
    return re.compile(f"[{_detectors()[0].pattern[1:-1]}\u3040-\u309f\u30a0-\u30ff]")


_FEW = 48  # Simplified-only characters counted before a text with Traditional ones is taken to be mostly Simplified


def detect(text: str) -> str:
    """``"hant"``, ``"hans"`` or ``"unknown"`` (no evidence or a real mix).

    Characters that only one script uses are counted; for very long texts
    the first ``_SAMPLE`` characters decide.
    """
    trad_re, simp_re = _detectors()
    if len(text) > _SAMPLE:
        text = text[:_SAMPLE]
    if _trad_or_kana().search(text) is None:  # one scan for the common case: neither
        return "hans" if simp_re.search(text) is not None else "unknown"
    if trad_re.search(text) is None:  # so a kana was found
        if _is_japanese(text):
            return "unknown"  # 日本語 is not Traditional Chinese
        return "hans" if simp_re.search(text) is not None else "unknown"
    # Traditional characters found: one scan collects the Simplified-only
    # characters and any kana together (a Traditional text holds few of
    # either); past _FEW of them the text is mostly Simplified (or Japanese),
    # and few Traditional characters decide it without collecting the rest
    head = [m.group() for m in itertools.islice(_simp_or_kana().finditer(text), _FEW)]
    if len(head) < _FEW:
        found = "".join(head)
    else:
        # the Traditional characters and kana, in one scan, while they are few
        few = [m.group() for m in itertools.islice(_trad_or_kana().finditer(text), _FEW // 3 + 1)]
        if 3 * len(few) <= _FEW and _KANA.search("".join(few)) is None:
            return "hans"  # no kana; n_simp >= _FEW >= 3 * n_trad, and n_trad < 3 * n_simp
        found = "".join(_simp_or_kana().findall(text))
    n_kana = len(_KANA.findall(found))
    if n_kana and _is_japanese(text):
        return "unknown"
    n_simp = len(found) - n_kana
    if not n_simp:
        return "hant"
    # Traditional characters are counted only up to 3 * n_simp: past that the
    # answer is known
    n_trad = len(list(itertools.islice(trad_re.finditer(text), 3 * n_simp)))  # counted in C
    if n_trad >= 3 * n_simp:
        return "hant"
    if n_simp >= 3 * n_trad:
        return "hans"
    return "unknown"


def _plan(text: str, target: str) -> str | None:
    """The OpenCC config to run, or None."""
    if target == "keep":
        return None
    script = detect(text)
    if target == "hans":
        return "t2s" if script == "hant" else None
    if script == "hans":
        return {"hant": "s2t", "tw": "s2tw", "hk": "s2hk"}[target]
    if script == "hant" and target in ("tw", "hk"):
        return "t2tw" if target == "tw" else "t2hk"
    return None


# Context fixes applied after t2s.  著 stays 著 in these words; a match that
# is 著 alone is the particle.  Every alternative starts with a literal (the
# lookbehind comes after 祇), so the regex engine scans for those characters
# only.
_ZHU_BEFORE = "显卓昭土编原名专巨论遗译合新拙撰"
_ZHU = re.compile("|".join(c + "著" for c in _ZHU_BEFORE) + "|著[名作称述录者书文说有译]|著")
_CONTEXT = re.compile(r"甚么|祇(?<![神地]祇)|衹")
_CONTEXT_MAP = {"甚么": "什么", "祇": "只", "衹": "只"}


def _context_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    if "著" in text:
        for m in _ZHU.finditer(text):
            if m.group() == "著":
                edits.append(Edit(m.start(), m.end(), "着", CONTEXT_RULE))
    if "么" in text or "祇" in text or "衹" in text:
        for m in _CONTEXT.finditer(text):
            edits.append(Edit(m.start(), m.end(), _CONTEXT_MAP[m.group()], CONTEXT_RULE))
    return sorted(edits, key=lambda e: e.start)


def _diff_edits(before: str, after: str) -> list[Edit]:
    """Edits turning ``before`` into ``after``, one per changed run in a line."""
    edits: list[Edit] = []
    pos = 0
    for b_line, a_line in zip(before.split("\n"), after.split("\n"), strict=True):
        if b_line != a_line:
            if len(b_line) != len(a_line):
                edits.append(Edit(pos, pos + len(b_line), a_line, RULE))
            else:
                i, n = 0, len(b_line)
                while i < n:
                    if b_line[i] != a_line[i]:
                        j = i + 1
                        while j < n and b_line[j] != a_line[j]:
                            j += 1
                        edits.append(Edit(pos + i, pos + j, a_line[i:j], RULE))
                        i = j
                    else:
                        i += 1
        pos += len(b_line) + 1
    return edits


# OpenCC config -> line memo of its conversion (line-local: no dictionary
# phrase holds a line break, so the segmentation never crosses one).
_MEMOS: dict[str, LineMemo] = {}


def plan(text: str, config: Config) -> str | None:
    """The OpenCC config that :func:`convert` runs on ``text``, or None."""
    return _plan(text, config.script) if config.enabled(RULE) else None


def convert_with(text: str, plan_name: str) -> str | None:
    """``text`` converted with OpenCC config ``plan_name``, or None if the converter moved lines.

    Each distinct line is converted once per process (:class:`~seedclean.memo.LineMemo`).
    """
    memo = _MEMOS.get(plan_name)
    if memo is None:
        memo = _MEMOS[plan_name] = LineMemo()
    out = memo.apply(text, converter(plan_name).convert)
    if out.count("\n") != text.count("\n"):  # never let a converter move lines
        return None
    return out


def convert(text: str, config: Config) -> tuple[str, bool]:
    """(converted text, whether t2s ran) without building edits: the fast path."""
    name = plan(text, config)
    if name is None:
        return text, False
    out = convert_with(text, name)
    if out is None:
        return text, False
    return out, name == "t2s"


def diff_edits(before: str, after: str) -> list[Edit]:
    """``script-convert`` edits turning ``before`` into ``after`` (same number of lines)."""
    return _diff_edits(before, after)


def find(text: str, config: Config) -> list[Edit]:
    """``script-convert`` edits for the whole text (context fixes: see find_context)."""
    out, _ = convert(text, config)
    if out == text:
        return []
    return _diff_edits(text, out)


def find_context(text: str, config: Config, converted: bool) -> list[Edit]:
    """``script-context`` edits, for text that ``t2s`` produced."""
    if not converted or not config.enabled(CONTEXT_RULE):
        return []
    return _context_edits(text)
