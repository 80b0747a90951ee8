"""Span-by-span repair of CJK mojibake: text decoded with the wrong codec.

Each hypothesis re-encodes a suspicious span with the codec that was wrongly
used to decode it and decodes the bytes with the right one; it is kept only
when :mod:`seedclean.charmodel` scores the result clearly better.  Only the
garbled span changes, never the text around it.

Rules (taxonomy E1, E2, E3, Big5/GBK):

``mojibake-utf8-as-gbk``
    ``涓�鍥界殑鍙戝睍 -> 中国的发展``: UTF-8 bytes shown as GBK.  A ``�``
    stands for one lost byte; it is restored by trying every UTF-8
    continuation byte (0x80-0xBF) and keeping the one that reads best.
``mojibake-gbk-as-latin1``
    ``ÖÐ¹úµÄ·¢Õ¹ -> 中国的发展``: GBK bytes shown as Latin-1/cp1252.
    Characters such as ``Ŀ`` (a valid two-byte UTF-8 sequence inside the
    GBK stream, decoded as UTF-8) are turned back into their UTF-8 bytes.
``mojibake-utf8-as-latin1``
    ``ä¸­æ–‡å­—ç¬¦ -> 中文字符``: UTF-8 shown as cp1252, fixed by ftfy with
    quote, width, ligature, normalisation and HTML options off.
``mojibake-big5-gbk``
    Big5 bytes shown as GBK and the reverse.

Layers are peeled while each one helps (at most three).  Detection uses a
compiled regex of characters that are rare in running text (or Latin-1
letters next to each other); clean Chinese does not match it.
"""

from __future__ import annotations

import re
import threading

from seedclean import charmodel
from seedclean.config import Config
from seedclean.edits import Edit

__all__ = ["find", "RULES"]

R_E1 = "mojibake-utf8-as-gbk"
R_E2 = "mojibake-gbk-as-latin1"
R_E3 = "mojibake-utf8-as-latin1"
R_BIG5 = "mojibake-big5-gbk"
RULES = (R_E1, R_E2, R_E3, R_BIG5)

_GAIN = 2.0  # nats per character the repaired span must gain
_FLOOR = -9.0  # and the repaired span must read at least this well
_COMMON_TOP = 3000  # characters (Simplified) counted as common

# Latin-1 / cp1252 letters and symbols that GBK or UTF-8 bytes turn into.
# Curly quotes, dashes and the ellipsis are also Chinese punctuation: they may
# join a run but never start or end one.
_CP1252_EXTRA = "€‚ƒ„†‡ˆ‰Š‹ŒŽ•˜™š›œžŸ"
_CP1252_PUNCT = "‘’“”…–—"
_LATIN = "\u00a1-\u00ff" + _CP1252_EXTRA + "\u0100-\u07ff"
_LATIN_RUN = re.compile(rf"[{_LATIN}](?:[\x20-\x7e{_CP1252_PUNCT}]{{0,2}}[{_LATIN}])+")

_lock = threading.Lock()
_rare_re: re.Pattern[str] | None = None


def _rare_pattern() -> re.Pattern[str]:
    """Three or more rare characters, close together, on one line."""
    global _rare_re
    if _rare_re is None:
        with _lock:
            if _rare_re is None:
                m = charmodel._get()
                han = [(p, c) for c, p in m.uni_p.items() if len(c) == 1 and ord(c) >= 0x2E80]
                han.sort(reverse=True)
                common = {c for _, c in han[:_COMMON_TOP]}
                for t, s in m.t2s.items():
                    if s in common:
                        common.add(chr(t))
                cps = sorted(ord(c) for c in common if "\u3400" <= c <= "\u9fff")
                # class of rare Han = Han ranges minus common ones
                ranges: list[str] = []
                start = 0x3400
                for cp in cps + [0xA000]:
                    if cp > start:
                        ranges.append(f"{chr(start)}-{chr(cp - 1)}" if cp - 1 > start else chr(start))
                    start = cp + 1
                rare = "".join(ranges) + "\ufffd\ue000-\uf8ff"
                _rare_re = re.compile(rf"[{rare}](?:[^\x00-\x40\n]?[{rare}]){{2,}}")
    return _rare_re


def _encodable_run(text: str, start: int, end: int, codec: str) -> tuple[int, int]:
    """Grow [start, end) over characters encodable in ``codec`` on the same line."""

    def ok(ch: str) -> bool:
        if ch == "\n":
            return False
        if ch == "\ufffd":
            return True
        try:
            ch.encode(codec)
            return True
        except UnicodeEncodeError:
            return False

    while start > 0 and ok(text[start - 1]):
        start -= 1
    while end < len(text) and ok(text[end]):
        end += 1
    return start, end


def _utf8_from_gbk(span: str) -> str | None:
    """E1 inverse: GBK bytes -> UTF-8 text, each ``�`` one lost byte."""
    parts = span.split("\ufffd")
    try:
        chunks = [p.encode("gbk") for p in parts]
    except UnicodeEncodeError:
        return None
    if len(parts) == 1:
        try:
            return chunks[0].decode("utf-8")
        except UnicodeDecodeError:
            return None
    if len(parts) > 12:
        return None
    data = bytearray(chunks[0])
    for chunk in chunks[1:]:
        best = None
        for cont in range(0x80, 0xC0):
            trial = bytes(data) + bytes((cont,)) + chunk
            try:
                txt = trial.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.reason != "unexpected end of data":
                    continue
                txt = trial[: exc.start].decode("utf-8", errors="replace")
            s = charmodel.logprob(txt[-(len(chunk) // 3 + 4):])
            if best is None or s > best[0]:
                best = (s, cont)
        if best is None:
            return None
        data += bytes((best[1],)) + chunk
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _latin_bytes(span: str) -> bytes | None:
    out = bytearray()
    for ch in span:
        o = ord(ch)
        if o < 0x100:
            out.append(o)
            continue
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if o < 0x800:
                out += ch.encode("utf-8")
            else:
                return None
    return bytes(out)


def _gbk_from_latin(span: str) -> str | None:
    data = _latin_bytes(span)
    if data is None:
        return None
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return None


_ftfy_config = None


def _ftfy(span: str) -> str | None:
    global _ftfy_config
    import ftfy

    if _ftfy_config is None:
        _ftfy_config = ftfy.TextFixerConfig(
            uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False,
            normalization=None, unescape_html=False, explain=False,
        )
    out = ftfy.fix_text(span, _ftfy_config)
    return out if out != span else None


def _big5_gbk(span: str) -> list[str]:
    out = []
    for src, dst in (("gbk", "big5"), ("big5", "gbk")):
        try:
            out.append(span.encode(src).decode(dst))
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return out


def _accept(before: str, after: str | None) -> bool:
    if not after or after == before or "\n" in after:
        return False
    sa = charmodel.score(after)
    return sa >= _FLOOR and sa - charmodel.score(before) >= _GAIN


# Pinyin with tone marks (`Běijīng`, `xièxiè`) is Latin text, not mojibake.
_PINYIN_ONLY = re.compile(r"[A-Za-z'’ \-āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+")
_HAN_ONLY = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\ufffd\ue000-\uf8ff\uff00-\uffef]+")


def _repair(span: str, config: Config) -> tuple[str, str] | None:
    """Best single-layer repair of ``span``: (new text, rule)."""
    if _PINYIN_ONLY.fullmatch(span):
        return None
    cands: list[tuple[str, str]] = []
    if config.enabled(R_E1):
        cands.append((_utf8_from_gbk(span) or "", R_E1))
    if config.enabled(R_E2):
        cands.append((_gbk_from_latin(span) or "", R_E2))
    if config.enabled(R_E3):
        cands.append((_ftfy(span) or "", R_E3))
    if config.enabled(R_BIG5) and _HAN_ONLY.fullmatch(span):
        cands.extend((c, R_BIG5) for c in _big5_gbk(span))
    best = None
    for new, rule in cands:
        if _accept(span, new):
            s = charmodel.score(new)
            if best is None or s > best[0]:
                best = (s, new, rule)
    return (best[1], best[2]) if best else None


def _fix_span(span: str, config: Config) -> tuple[str, str] | None:
    rule = None
    cur = span
    for _ in range(3):
        got = _repair(cur, config)
        if got is None:
            break
        cur, r = got
        rule = rule or r
    return (cur, rule) if rule else None


def find(text: str, config: Config) -> list[Edit]:
    """Propose mojibake repairs, one edit per garbled span.

    Fast path: a compiled regex finds runs of rare characters or adjacent
    Latin-1 letters; clean Chinese (and ASCII) has none.
    """
    if text.isascii():
        return []
    spans: list[tuple[int, int]] = []
    groups: list[list[tuple[int, int]]] = []
    runs: dict[tuple[int, int], tuple[int, int]] = {}
    for m in _rare_pattern().finditer(text):
        run = _encodable_run(text, m.start(), m.end(), "gbk")
        ms, me = runs.get(run, (m.start(), m.end()))
        runs[run] = (min(ms, m.start()), max(me, m.end()))
    for (s, e), (ms, me) in runs.items():
        groups.append([(s, e), (ms, e), (s, me), (ms, me)])
    for m in _LATIN_RUN.finditer(text):
        groups.append([(m.start(), m.end())])
    if not groups:
        return []
    groups.sort()
    edits: list[Edit] = []
    last = -1
    for group in groups:
        for s, e in group:
            if s < last:
                continue
            # trim ASCII at the span edges (it reads the same in every codec)
            while s < e and text[s].isascii():
                s += 1
            while e > s and text[e - 1].isascii():
                e -= 1
            if e - s < 2:
                continue
            got = _fix_span(text[s:e], config)
            if got is not None:
                edits.append(Edit(s, e, got[0], got[1]))
                last = e
                break
    return edits
