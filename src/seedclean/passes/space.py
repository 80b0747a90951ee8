"""Rule ``space-cjk``: no-break spaces, full-width spaces and indentation in Chinese prose.

::

    "  3月1日，湖南省" -> "3月1日，湖南省"        (indentation)
    "中国\\u00a0人民"   -> "中国人民"               (no-break space inside prose)
    "信息网 \\u00a0 \\u00a0 时间：" -> "信息网 时间："  (a layout gap keeps one space)

Spaces between Chinese and Latin text are left as found; a lone no-break
space there becomes an ordinary space.  Plain ASCII spaces between two
Chinese characters (names in a byline) stay.
"""

from __future__ import annotations

import re

from ..chars import CJK, CJK_OR_PUNCT
from ..config import Config
from ..edits import Edit

RULE = "space-cjk"

_WS = " \t\u00a0\u3000\u2002-\u200a\u202f\u205f"
_FAST = re.compile("[\u00a0\u3000\u2002-\u200a\u202f\u205f]|^[ \t]|[ \t]$", re.M)
# Indentation before Chinese prose, also when the line opens with a number or
# a Latin word (`  3月1日`, `　　Python是`); indented code keeps its spaces.
_LEADING = re.compile(rf"^[{_WS}]+(?=[{CJK_OR_PUNCT}]|[0-9A-Za-z.%+\-]{{1,16}}[{CJK}])", re.M)
_TRAILING = re.compile(rf"(?<=[{CJK_OR_PUNCT}])[{_WS}]+$", re.M)
_INNER = re.compile(rf"(?<=[{CJK_OR_PUNCT}])[{_WS}]*[\u00a0\u3000\u2002-\u200a\u202f\u205f][{_WS}]*(?=[{CJK_OR_PUNCT}])")
_NEAR_LATIN = re.compile(
    rf"(?<=[{CJK}])[\u00a0\u3000](?=[^{CJK}\s])|(?<=[^{CJK}\s])[\u00a0\u3000](?=[{CJK}])"
)


def find(text: str, config: Config) -> list[Edit]:
    """Whitespace edits inside and around Chinese prose."""
    if not config.enabled(RULE) or not _FAST.search(text):
        return []
    edits: list[Edit] = []
    for m in _LEADING.finditer(text):
        edits.append(Edit(m.start(), m.end(), "", RULE))
    for m in _TRAILING.finditer(text):
        edits.append(Edit(m.start(), m.end(), "", RULE))
    for m in _INNER.finditer(text):
        gap = m.group()
        keep = " " if (" " in gap or "\t" in gap) else ""
        edits.append(Edit(m.start(), m.end(), keep, RULE))
    for m in _NEAR_LATIN.finditer(text):
        edits.append(Edit(m.start(), m.end(), " ", RULE))
    edits.sort(key=lambda e: (e.start, e.end))
    out: list[Edit] = []
    pos = -1
    for e in edits:
        if e.start >= pos:
            out.append(e)
            pos = e.end
    return out
