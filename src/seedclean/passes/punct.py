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
from functools import lru_cache

from ..chars import CJK, CJK_OR_PUNCT, HAN
from ..config import Config
from ..edits import Edit

ARTIFACT = "punct-comma-artifact"
FULLWIDTH = "punct-fullwidth"

_FW = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_MARKS = "、。，；：？！,;:?!"
_STRONG = re.compile(f"[{CJK}\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65…]")
_HAN = re.compile(f"[{HAN}]")
_QUOTES = "“”‘’"
_QUESTION_WORDS = set("吗呢么吧啊呀嘛谁哪几啥怎何否嗎麼")
_EMOTICON_NEXT = set(")(-DPpOo3/\\|[]")

# Runs of ASCII marks with a Chinese neighbour: followed by one, or preceded
# by one (checked by a lookbehind placed after the first mark).  The first
# mark is outside the alternation so that the regex engine scans for the
# character set (an alternation of character sets gets no such scan).
# A match always spans a whole run of marks, so it may only start where a run
# starts (the 2-character lookbehind), and the run is taken possessively:
# both keep the scan linear on long runs (",,,,,," x 10^5).
_ADJ = re.compile(
    rf"[,:;?!](?<![,:;?!][,:;?!])"
    rf"(?:[,:;?!]*+(?=[{CJK_OR_PUNCT}])|(?<=[{CJK_OR_PUNCT}][,:;?!])[,:;?!]*+)"
)
# A parenthesised span with at least one ASCII parenthesis.
_PAREN = re.compile(r"\(([^()（）\n]{1,300})[)）]|（([^()（）\n]{1,300})\)")
# The common cases, replaced by plain ``re.sub`` in :func:`fix` (each scan
# starts at the comma; the lookbehind comes after it).  Both give what
# :func:`_decide` gives: with a Han character before the run, neither quote
# nor space rules apply, so a run of commas between two Han characters is
# ``，`` (one comma: a folded mark; several: the artifact, kept once) and
# one comma before a Chinese mark is the artifact, removed.  Neither touches
# what another run's decision reads (see :func:`fix`).
_HAN_COMMAS_HAN = re.compile(rf",(?<=[{HAN}],),*+(?=[{HAN}])")  # possessive: the same runs, faster
_HAN_COMMA_MARK = re.compile(rf",(?<=[{HAN}],)(?=[、。，；：？！])")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,10}|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6})\Z")  # not `$`: `&amp` + newline
_CODE_IN_PARENS = re.compile(r"[\"'=<>{}`\\]")


def _is_strong(c: str, beyond: str) -> bool:
    """Is ``c`` Chinese?  A curly quote counts when the character beyond it is."""
    if not c:
        return False
    if c in _QUOTES:
        return bool(beyond) and _STRONG.match(beyond) is not None
    return _STRONG.match(c) is not None


@lru_cache(maxsize=65536)
def _decide(l2: str, l1: str, run: str, r1: str, r2: str, entity: bool) -> tuple[bool, str, str] | None:
    """What to do with an ASCII mark run, from the two characters on each side.

    Returns (also take the following space, replacement, rule) or None.
    """
    prev_strong = _is_strong(l1, l2)
    next_strong = _is_strong(r1, r2)
    if not (prev_strong or next_strong):
        return None
    if set(run) == {"?"}:
        if r1.isascii() and r1.isalnum():
            return None  # `??h`: a byte-level fold, not a question
        prev_han = bool(l1) and _HAN.match(l1) is not None
        next_han = bool(r1) and _HAN.match(r1) is not None
        if prev_han and next_han and (len(run) > 1 or l1 not in _QUESTION_WORDS):
            return None  # inside a word: possibly a lost character
        if not prev_strong and l1 and not l1.isspace():
            return None  # `ChatGPT?` belongs to the Latin phrase
        return False, "？" * len(run), FULLWIDTH
    if len(run) == 1 and run in ":;" and r1 and r1 in _EMOTICON_NEXT:
        return None  # 中文:) ;-)
    if run.endswith(":") and r1 + r2 == "//":
        return None
    if run == ";" and entity:
        return None  # &nbsp; &#160; in a tutorial about HTML entities
    if run.endswith("!") and r1 == "=":
        return None
    space = prev_strong and r1 == " " and bool(r2) and _HAN.match(r2) is not None  # `来源: 新华社`
    if run[0] == "," and (len(run) > 1 or (r1 and r1 in _MARKS)):
        rest = run[1:]
        if rest and set(rest) == {","}:
            rest = ","
        return space, "".join(_FW[c] for c in rest), ARTIFACT
    return space, "".join(_FW[c] for c in run), FULLWIDTH


def _mark_spans(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, replacement, rule) for every ASCII mark run to change."""
    out: list[tuple[int, int, str, str]] = []
    for m in _ADJ.finditer(text):
        s, e = m.span()
        run = m.group()
        entity = run == ";" and _ENTITY.search(text, max(0, s - 12), s) is not None
        left2 = text[s - 2 : s - 1] if s >= 2 else ""
        d = _decide(left2, text[s - 1 : s], run, text[e : e + 1], text[e + 1 : e + 2], entity)
        if d is not None:
            out.append((s, e + 1 if d[0] else e, d[1], d[2]))
    return out


# A run's decision reads two characters on each side, and two of them can be
# another run's: the character beyond a quote (`中国,“,`: the second comma
# follows a Chinese mark only once the first is widened) and a space that
# the run before takes with it (`来源: ,`).  Where one character stands
# between two mark runs the runs are decided again on the result, until
# nothing changes (at most :data:`_ROUNDS` times).
_SANDWICH = re.compile(r"[,:;?!，：；？！][“”‘’ ][,:;?!]|[,:;?!][“”‘’ ][，：；？！]")
_ROUNDS = 3


def _mark_edits(text: str) -> list[Edit]:
    edits = [Edit(s, e, r, rule) for s, e, r, rule in _mark_spans(text)]
    for _ in range(_ROUNDS - 1):
        if not edits:
            break
        from ..edits import apply_edits, compose_edits

        mid = apply_edits(text, edits)
        if not _SANDWICH.search(mid):
            break
        more = [Edit(s, e, r, rule) for s, e, r, rule in _mark_spans(mid)]
        if not more:
            break
        edits = compose_edits(text, edits, more)
    return edits


def _paren_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _PAREN.finditer(text):
        s, e = m.span()
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        if not _HAN.search(inner) or _CODE_IN_PARENS.search(inner):
            continue
        if s > 0 and (text[s - 1].isascii() and (text[s - 1].isalnum() or text[s - 1] == "_")):
            continue  # print(...), KN95(...): code or a Latin token's own parentheses
        if text[s] == "(":
            edits.append(Edit(s, s + 1, "（", FULLWIDTH))
        if text[e - 1] == ")":
            edits.append(Edit(e - 1, e, "）", FULLWIDTH))
    return edits


def find_parens(text: str, config: Config) -> list[Edit]:
    """Parentheses around Chinese become full-width (runs before :func:`find`).

    Running first means a mark inside them sees its final neighbours:
    ``(中国:)`` -> ``（中国:）`` -> ``（中国：）`` in one run.
    """
    if not config.enabled(FULLWIDTH) or ("(" not in text and ")" not in text):
        return []
    return _paren_edits(text)


def find(text: str, config: Config) -> list[Edit]:
    """Edits for ASCII marks next to Chinese text (after :func:`find_parens`)."""
    if not (config.enabled(ARTIFACT) or config.enabled(FULLWIDTH)):
        return []
    return [e for e in _mark_edits(text) if config.enabled(e.rule)]


def fix(text: str, config: Config) -> str:
    """Same result as applying :func:`find`, without building Edit objects (the hot path).

    The common runs (commas right after a Han character, see
    :data:`_HAN_COMMAS_HAN`) are replaced first with two C-level ``sub``
    calls; the rest goes through :func:`_decide` on the result.  That is the
    same: those runs are bounded by a Han character on the left and a Han
    character or a Chinese mark on the right, so for any other run they can
    only be the second character beyond a Han character or a mark that is
    not a quote (never read), and an ``&entity;`` holds no comma.
    """
    if not (config.enabled(ARTIFACT) and config.enabled(FULLWIDTH)):
        from ..edits import apply_edits

        return apply_edits(text, find(text, config))
    if "," in text:
        text = _HAN_COMMA_MARK.sub("", _HAN_COMMAS_HAN.sub("，", text))
    elif ":" not in text and ";" not in text and "?" not in text and "!" not in text:
        return text  # no ASCII mark for _ADJ (five C-level searches cost less than one regex scan)
    for _ in range(_ROUNDS):
        spans = _mark_spans(text)
        if not spans:
            return text
        parts: list[str] = []
        pos = 0
        for s, e, r, _rule in spans:
            parts.append(text[pos:s])
            parts.append(r)
            pos = e
        parts.append(text[pos:])
        text = "".join(parts)
        if not _SANDWICH.search(text):
            break
    return text
