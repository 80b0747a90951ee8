"""Rule ``lossy-replacement``: characters destroyed by a lossy conversion (a finding).

Nothing is changed; each spot is reported with its position::

    我们在??中心见面   -> finding: "??" where 2 characters were lost
    锟斤拷锟斤拷        -> finding: UTF-8 replacement characters read as GBK
    数据\\ufffd\\ufffd -> finding: U+FFFD replacement characters

``??`` inside Chinese text (between Han characters, or before an ASCII
letter that a byte-level fold exposed) is reported unless an earlier pass
recovered it.  A quoted ``“锟斤拷”`` in an article about mojibake is not a
finding, and neither is a ``?`` that the punctuation rule reads as a
question mark.
"""

from __future__ import annotations

import re

from ..chars import HAN

RULE = "lossy-replacement"

_FAST = re.compile(rf"锟斤拷|\ufffd|烫烫|屯屯|[{HAN}]\?")
_PATTERN = re.compile(
    rf"(?P<kun>(?:锟斤拷)+锟?)"
    r"|(?P<fffd>\ufffd+)"
    r"|(?P<tang>烫{3,}|屯{3,})"
    rf"|(?<=[{HAN}])(?P<q>\?+)(?=[{HAN}]|[A-Za-z0-9])"
)
_QUESTION_WORDS = set("吗呢么吧啊呀嘛谁哪几啥怎何否嗎麼")
_MESSAGES = {
    "kun": "'锟斤拷': UTF-8 replacement characters read as GBK; the original characters are lost",
    "fffd": "U+FFFD replacement character: bytes that could not be decoded",
    "tang": "'烫烫烫'/'屯屯屯': uninitialised memory shown as text",
    "q": "'?' inside Chinese text: a character that could not be encoded was lost",
}


def scan(text: str) -> list[tuple[int, int, str]]:
    """(start, end, message) for every lossy spot."""
    if "?" not in text and "\ufffd" not in text and "锟" not in text and "烫" not in text and "屯" not in text:
        return []
    if not _FAST.search(text):
        return []
    out: list[tuple[int, int, str]] = []
    for m in _PATTERN.finditer(text):
        kind = m.lastgroup or "q"
        s, e = m.span()
        if kind == "kun" and s > 0 and text[s - 1] in "“‘「『\"'" and e < len(text) and text[e] in "”’」』\"'":
            continue  # quoted on purpose
        if kind == "q" and e - s == 1 and text[s - 1] in _QUESTION_WORDS and _is_han(text, e):
            continue  # 吗?我 is a question mark
        out.append((s, e, _MESSAGES[kind]))
    return out


def _is_han(text: str, i: int) -> bool:
    return i < len(text) and re.match(f"[{HAN}]", text[i]) is not None
