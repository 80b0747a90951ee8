"""Rules ``punct-comma-artifact`` and ``punct-fullwidth``: punctuation next to Chinese.

``punct-comma-artifact``: anti-duplicate noise put an ASCII comma before
Chinese marks; the comma goes and the mark stays (full-width)::

    既是一次大战,、也是一次大考,。为  ->  既是一次大战、也是一次大考。为
    决策部署,,全国特色小镇              ->  决策部署，全国特色小镇
    试剂,;常州                          ->  试剂；常州

``punct-fullwidth``: an ASCII ``, : ; ? !`` next to a Chinese character is a
folded full-width mark, and parentheses around Chinese are full-width::

    3月1日,湖南省蓝山县  ->  3月1日，湖南省蓝山县
    调整薪酬(生活费)     ->  调整薪酬（生活费）

ASCII stays ASCII where it belongs to numbers, times, URLs, code, Latin
phrases and emoticons (``10:30``, ``1,000``, ``a?b=1``, ``print("你好")``,
``中文:)``): only a mark whose neighbour is a Chinese character or a
Chinese-only mark is touched.  A ``?`` is treated with care because it is
also what lossy converters leave for a character they could not encode:
``吗?`` and ``?`` before a break become ``？``; a ``?`` between two Han
characters that does not follow a question word, ``??`` inside a word, and
``?`` before an ASCII letter (a byte-level fold, see ``gbk-fold-straddle``)
are left for the ``lossy-replacement`` finder.
"""

from __future__ import annotations

import re

from ..chars import CJK, CJK_OR_PUNCT, HAN
from ..config import Config
from ..edits import Edit

ARTIFACT = "punct-comma-artifact"
FULLWIDTH = "punct-fullwidth"

_FW = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_MARKS = "、。，；：？！,;:?!"
_STRONG = re.compile(f"[{CJK}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65…]")
_HAN = re.compile(f"[{HAN}]")
_QUOTES = "“”‘’"
_QUESTION_WORDS = set("吗呢么吧啊呀嘛谁哪几啥怎何否嗎麼")
_EMOTICON_NEXT = set(")(-DPpOo3/\\|[]")

_ADJ = re.compile(rf"(?<=[{CJK_OR_PUNCT}])[,:;?!]+|[,:;?!]+(?=[{CJK_OR_PUNCT}])")
_PAREN = re.compile(r"[(（]([^()（）\n]{1,300})[)）]")
_PAREN_FAST = re.compile(rf"\([^()\n]*[{HAN}]|[{HAN}][^()\n]*\)")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,10}|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6})$")
_CODE_IN_PARENS = re.compile(r"[\"'=<>{};`\\]")


def _strong(text: str, i: int, step: int) -> bool:
    """Is the character at ``i`` Chinese (looking through one curly quote)?"""
    n = len(text)
    if not 0 <= i < n:
        return False
    c = text[i]
    if c in _QUOTES:
        j = i + step
        return 0 <= j < n and _STRONG.match(text, j) is not None
    return _STRONG.match(text, i) is not None


def _mark_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    n = len(text)
    for m in _ADJ.finditer(text):
        s, e = m.span()
        run = m.group()
        prev_c = text[s - 1] if s > 0 else ""
        next_c = text[e] if e < n else ""
        prev_strong = _strong(text, s - 1, -1)
        next_strong = _strong(text, e, 1)
        if not (prev_strong or next_strong):
            continue
        if set(run) == {"?"}:
            if next_c.isascii() and next_c.isalnum():
                continue  # `??h`: a byte-level fold, not a question
            prev_han = bool(prev_c) and _HAN.match(prev_c) is not None
            next_han = bool(next_c) and _HAN.match(next_c) is not None
            if prev_han and next_han and (len(run) > 1 or prev_c not in _QUESTION_WORDS):
                continue  # inside a word: possibly a lost character
            if not prev_strong and prev_c and not prev_c.isspace():
                continue  # `ChatGPT?` belongs to the Latin phrase
            edits.append(Edit(s, e, "？" * len(run), FULLWIDTH))
            continue
        if len(run) == 1 and run in ":;" and next_c in _EMOTICON_NEXT:
            continue  # 中文:) ;-)
        if run.endswith(":") and text.startswith("//", e):
            continue
        if run == ";" and _ENTITY.search(text, max(0, s - 12), s):
            continue  # &nbsp; &#160; in a tutorial about HTML entities
        if run.endswith("!") and next_c == "=":
            continue
        end = e
        if prev_strong and next_c == " " and e + 1 < n and _HAN.match(text, e + 1):
            end = e + 1  # `来源: 新华社` -> `来源：新华社`
        if run[0] == "," and (len(run) > 1 or (next_c and next_c in _MARKS)):
            rest = run[1:]
            if rest and set(rest) == {","}:
                rest = ","
            edits.append(Edit(s, end, "".join(_FW[c] for c in rest), ARTIFACT))
            continue
        edits.append(Edit(s, end, "".join(_FW[c] for c in run), FULLWIDTH))
    return edits


def _paren_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _PAREN.finditer(text):
        s, e = m.span()
        if text[s] == "（" and text[e - 1] == "）":
            continue
        inner = m.group(1)
        if not _HAN.search(inner) or _CODE_IN_PARENS.search(inner):
            continue
        if s > 0 and (text[s - 1].isascii() and (text[s - 1].isalnum() or text[s - 1] == "_")):
            continue  # print(...), KN95(...): code or a Latin token's own parentheses
        if text[s] == "(":
            edits.append(Edit(s, s + 1, "（", FULLWIDTH))
        if text[e - 1] == ")":
            edits.append(Edit(e - 1, e, "）", FULLWIDTH))
    return edits


def find(text: str, config: Config) -> list[Edit]:
    """Punctuation edits next to Chinese text."""
    edits: list[Edit] = []
    if config.enabled(ARTIFACT) or config.enabled(FULLWIDTH):
        edits.extend(e for e in _mark_edits(text) if config.enabled(e.rule))
    if config.enabled(FULLWIDTH) and _PAREN_FAST.search(text):
        edits.extend(_paren_edits(text))
    edits.sort(key=lambda e: e.start)
    return edits
