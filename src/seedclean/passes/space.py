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
_NB = "\u00a0\u3000\u2002-\u200a\u202f\u205f"
_NB_RE = re.compile(f"[{_NB}]")
_NB_CHARS = "\u00a0\u3000\u202f\u205f" + "".join(map(chr, range(0x2002, 0x200B)))
# Indentation before Chinese prose, also when the line opens with a number or
# a Latin word (`  3月1日`, `　　Python是`); indented code keeps its spaces.
# Each pattern starts with a literal or a small class so the scan is fast.
_AFTER_INDENT = rf"(?=[{CJK_OR_PUNCT}]|[0-9A-Za-z.%+\-]{{1,16}}[{CJK}])"
_LEADING_FIRST = re.compile(rf"[{_WS}]+{_AFTER_INDENT}")
_LEADING = re.compile(rf"\n([{_WS}]+){_AFTER_INDENT}")
_TRAILING = re.compile(rf"[{_WS}](?<=[{CJK_OR_PUNCT}][{_WS}])[{_WS}]*(?=\n|\Z)")
_WS_RUN = re.compile(f"[{_WS}]+")
_WS_CHARS = frozenset(" \t\u00a0\u3000\u202f\u205f" + "".join(map(chr, range(0x2002, 0x200B))))
_X = re.compile(f"[{CJK_OR_PUNCT}]")
_CJK_RE = re.compile(f"[{CJK}]")


def _gap_edits(text: str) -> list[Edit]:
    """No-break and full-width spaces: removed between Chinese, a plain space next to Latin.

    Starts from each no-break character (rare), so clean text costs one search.
    """
    edits: list[Edit] = []
    covered = -1
    for m in _NB_RE.finditer(text):
        p = m.start()
        if p < covered:
            continue
        s = p
        while s > 0 and text[s - 1] in _WS_CHARS:
            s -= 1
        run = _WS_RUN.match(text, p)
        e = run.end() if run else p + 1
        covered = e
        prev = text[s - 1] if s > 0 else ""
        nxt = text[e] if e < len(text) else ""
        if prev and nxt and _X.match(prev) and _X.match(nxt):
            gap = text[s:e]
            edits.append(Edit(s, e, " " if (" " in gap or "\t" in gap) else "", RULE))
        elif e - s == 1 and text[s] in "\u00a0\u3000" and prev and nxt:
            prev_cjk = _CJK_RE.match(prev) is not None
            next_cjk = _CJK_RE.match(nxt) is not None
            if (prev_cjk and not next_cjk and not nxt.isspace()) or (
                next_cjk and not prev_cjk and not prev.isspace()
            ):
                edits.append(Edit(s, e, " ", RULE))
    return edits


def _has_edge_space(text: str) -> bool:
    if " " not in text and "\t" not in text:
        return False
    return (
        text.startswith((" ", "\t"))
        or text.endswith((" ", "\t"))
        or "\n " in text
        or " \n" in text
        or "\n\t" in text
        or "\t\n" in text
    )


def find(text: str, config: Config) -> list[Edit]:
    """Whitespace edits inside and around Chinese prose."""
    if not config.enabled(RULE):
        return []
    # each no-break character looked for on its own: C-level searches, cheaper than one scan of the class
    has_nb = any(c in text for c in _NB_CHARS)
    if not has_nb and not _has_edge_space(text):
        return []
    edits: list[Edit] = []
    m0 = _LEADING_FIRST.match(text)
    if m0:
        edits.append(Edit(m0.start(), m0.end(), "", RULE))
    for m in _LEADING.finditer(text):
        edits.append(Edit(m.start(1), m.end(1), "", RULE))
    for m in _TRAILING.finditer(text):
        edits.append(Edit(m.start(), m.end(), "", RULE))
    if has_nb:
        edits.extend(_gap_edits(text))
    edits.sort(key=lambda e: (e.start, e.end))
    out: list[Edit] = []
    pos = -1
    for e in edits:
        if e.start >= pos:
            out.append(e)
            pos = e.end
    return out
