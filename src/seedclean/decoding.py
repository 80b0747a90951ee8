"""Bytes -> str, never silently dropping a byte.

Order of decisions (first that applies wins):

1. empty input -> :class:`EmptyInputError`;
2. a BOM: UTF-32 LE/BE, UTF-8, UTF-16 LE/BE;
3. UTF-16/32 without BOM when the NUL pattern says so clearly
   (e.g. ``b"a\\x00b\\x00"`` or CJK text with alternating patterns that
   decode to mostly letters/Han);
4. NUL bytes anywhere else, or a high share of control bytes ->
   :class:`BinaryInputError`;
5. strict UTF-8;
6. mostly UTF-8 with legacy runs: split where strict UTF-8 fails and decode
   each failing run with GB18030 or Big5, whichever reads as more plausible
   Chinese (``charmodel``).  Where a run starts and ends is weighed by the
   model too (GBK bytes that are also two-byte UTF-8, a stray byte before
   UTF-8), and a run of up to 4 KB is segmented into legacy and UTF-8
   characters by a Viterbi search (:func:`_segment`);
7. BOM-less UTF-16 that is mostly Chinese (no NUL bytes to go by): the
   strict decoding must be Han and punctuation and read as Chinese;
8. whole-file legacy: GB18030 strict, Big5 strict (chosen by plausibility);
   when the best of them reads poorly as Chinese (Shift-JIS and EUC-KR
   bytes decode as GB18030 nonsense), charset-normalizer is asked and a
   Japanese or Korean codec it names wins; otherwise its best CJK guess;
9. last resort: GB18030 with ``errors="replace"``.

Bytes that no codec accepts become U+FFFD and are reported as findings
(rule ``undecodable-bytes``) with their byte offset.  Line endings are
normalised to ``\\n`` (CRLF and lone CR).

In a file (or a ``str`` with surrogate-escaped bytes) that mixes UTF-8 with
a legacy encoding, each legacy run is decoded on its own and reported
(rule ``mixed-encoding``, a finding: the text is right, the file was not),
so that ``seedclean check`` fails on such a file and ``fix`` writes it as
UTF-8::

    "前面，".encode() + "中国".encode("gbk")  ->  finding: 4 bytes at byte offset 9 are GB18030 inside UTF-8

Example::

    >>> decode("中国".encode("gbk")).text
    '中国'
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
from dataclasses import dataclass, field

from seedclean.edits import Finding

__all__ = ["Decoded", "decode", "BinaryInputError", "EmptyInputError"]


class BinaryInputError(ValueError):
    """The input looks like binary data, not text."""


class EmptyInputError(ValueError):
    """The input is empty."""


@dataclass
class Decoded:
    """Result of :func:`decode`.

    ``segments`` are ``(byte_start, byte_end, codec)`` ranges covering the
    input (after any BOM).  ``findings`` report undecodable bytes; their
    ``line``/``column`` are 1-based positions in ``text`` and the message
    names the byte offset.
    """

    text: str
    encoding: str
    encodings: list[str] = field(default_factory=list)
    segments: list[tuple[int, int, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_NEWLINES = re.compile(r"\r\n?")
# Control characters other than \t \n \r \f \v \x1b (ESC appears in ANSI logs).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _normalise_newlines(text: str) -> str:
    if "\r" in text:
        return _NEWLINES.sub("\n", text)
    return text


def _is_binary_text(text: str) -> bool:
    if not text:
        return False
    n = len(_CONTROL_CHARS.findall(text))
    return n > 0 and (n / len(text) > 0.05 or "\x00" in text)


def _utf16_32_guess(data: bytes) -> str | None:
    """Detect BOM-less UTF-16/32 from where the NUL bytes sit."""
    n = len(data)
    if n < 2 or b"\x00" not in data:
        return None
    sample = data[:4096]
    m = len(sample)
    if n % 4 == 0 and m >= 4:
        quads = m // 4
        # UTF-32: for BMP text, two of four bytes are always zero at fixed spots.
        le = sum(1 for i in range(0, quads * 4, 4) if sample[i + 3] == 0 and sample[i + 2] <= 0x10)
        be = sum(1 for i in range(0, quads * 4, 4) if sample[i] == 0 and sample[i + 1] <= 0x10)
        for ok, name in ((le, "utf-32-le"), (be, "utf-32-be")):
            if ok == quads:
                try:
                    text = data.decode(name)
                except UnicodeDecodeError:
                    continue
                if not _is_binary_text(text.replace("\x00", "")):
                    return name
    if n % 2 == 0:
        even = sample[0::2]
        odd = sample[1::2]
        half = len(even)
        zeros_even = even.count(0)
        zeros_odd = odd.count(0)
        for zeros_hi, zeros_lo, name in ((zeros_odd, zeros_even, "utf-16-le"), (zeros_even, zeros_odd, "utf-16-be")):
            # ASCII-heavy UTF-16: the high byte is NUL in most units, the low byte rarely.
            if zeros_hi >= 0.3 * half and zeros_lo <= 0.05 * half:
                try:
                    text = data.decode(name)
                except UnicodeDecodeError:
                    continue
                if not _CONTROL_CHARS.search(text.replace("\x00", "", 0)) or not _is_binary_text(text):
                    return name
    return None


_WIDE_OK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef\u2010-\u2027\x20-\x7e\t\n\r]")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf16_han(data: bytes) -> str | None:
    """BOM-less UTF-16 that is mostly Chinese (few or no NUL bytes to go by).

    Accepted only when the strict decoding is made of Han characters, CJK
    and ASCII punctuation and reads as plausible Chinese.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8192]
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(name)
        except UnicodeDecodeError:
            continue
        if not text:
            continue
        ok = len(_WIDE_OK.findall(text))
        han = len(_HAN.findall(text))
        if ok >= 0.97 * len(text) and han >= 0.3 * len(text) and _score(text[:2000]) >= -9.0:
            try:
                data.decode(name)
            except UnicodeDecodeError:
                continue
            return name
    return None


def _score(text: str) -> float:
    """Average log-probability per character under the shared character model."""
    from seedclean import charmodel

    return charmodel.score(text)


def _legacy_run(chunk: bytes) -> tuple[str, str, list[tuple[int, int]]] | None:
    """Decode a non-UTF-8 run as GB18030 or Big5, whichever reads better.

    Returns (text, codec, bad bytes as (byte offset, character offset)), or
    None when neither codec decodes a long run.  A UTF-8 character between two legacy runs is too short to end the run
    (:func:`_legacy_run_end`), so the run holds it.  A run of up to
    :data:`_SEGMENT_MAX` bytes is read by :func:`_segment` (the best mix of
    legacy and UTF-8 characters); a longer one strictly, where a strict
    decoder stops at a valid UTF-8 sequence taking that sequence as UTF-8
    and going on after it (:func:`_spliced`).
    """
    if len(chunk) <= _SEGMENT_MAX:
        readings = [(*_segment(chunk, codec), codec) for codec in ("gb18030", "big5")]
        text, _, bad, codec = max(readings, key=lambda o: o[1])
        return text, codec, bad
    options: list[tuple[str, str]] = []
    for codec in ("gb18030", "big5"):
        got = _spliced(chunk, codec)
        if got is not None:
            options.append((got, codec))
    if not options:
        return None
    text, codec = options[0] if len(options) == 1 else max(options, key=lambda o: _score(o[0]))
    return text, codec, []


_COSTS: dict[str, float] = {}  # character -> unigram log-probability, for _segment
_DECODED: dict[str, dict[bytes, str | None]] = {"gb18030": {}, "big5": {}}  # legacy character bytes -> text
_CACHE_MAX = 1 << 16
_NONE = object()
_SEGMENT_MAX = 4096  # bytes: longer runs (whole sections) are decoded strictly, UTF-8 spliced in
_SWITCH_COST = -6.0  # log-probability of changing between the legacy codec and UTF-8 inside a run
_BAD_BYTE_COST = -36.0  # two undecodable bytes


def _segment(chunk: bytes, codec: str) -> tuple[str, float, list[tuple[int, int]]]:
    """The best reading of ``chunk`` as ``codec`` characters, UTF-8 characters, ASCII and bad bytes.

    A Viterbi search over byte positions with two states (the last
    non-ASCII character was ``codec`` or UTF-8); each character costs its
    unigram log-probability, a change of state :data:`_SWITCH_COST`, a byte
    neither reads :data:`_BAD_BYTE_COST`; two-byte UTF-8 and characters a
    Chinese page never holds (:data:`_EXOTIC`) cost one undecodable byte
    more.  It finds the UTF-8 character between two GBK runs (国 + 家 + 统计局,
    whose GBK bytes CD B3 are also UTF-8 ``ͳ``), where the greedy walk of
    :func:`_legacy_run_end` cannot.  Returns the text, its score and the
    bad bytes as (byte offset in ``chunk``, character offset in the text).
    """
    from seedclean import charmodel

    model = charmodel._get()
    uni, norm, unknown = model.uni_logp, model.norm, model.unknown
    costs = _COSTS
    if len(costs) > _CACHE_MAX:
        costs.clear()
    decoded = _DECODED[codec]
    if len(decoded) > _CACHE_MAX:
        decoded.clear()

    def cost(ch: str) -> float:
        v = costs.get(ch)
        if v is None:
            v = costs[ch] = uni.get(norm(ch), unknown)
        return v

    def legacy(seq: bytes) -> str | None:
        got = decoded.get(seq, _NONE)
        if got is _NONE:
            try:
                got = seq.decode(codec)
            except UnicodeDecodeError:
                got = None
            decoded[seq] = got
        return got  # type: ignore[return-value]

    n = len(chunk)
    neg = -math.inf
    best = [[neg, neg] for _ in range(n + 1)]
    back: list[list[tuple[int, int, str] | None]] = [[None, None] for _ in range(n + 1)]
    best[0] = [0.0, 0.0]
    for i in range(n):
        b = chunk[i]
        cands: list[tuple[int, str, int, float]] = []  # (length, character, state, score)
        if b < 0x80:
            ch = chr(b)
            for st in (0, 1):
                if best[i][st] > neg:
                    tot = best[i][st] + cost(ch)
                    if tot > best[i + 1][st]:
                        best[i + 1][st], back[i + 1][st] = tot, (i, st, ch)
            continue
        if i + 1 < n:
            ln = 4 if codec == "gb18030" and 0x30 <= chunk[i + 1] <= 0x39 else 2
            if i + ln <= n:
                got = legacy(chunk[i : i + ln])
                if got is not None:
                    cands.append((ln, got, 0, cost(got)))
        ln = 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 0
        if ln and i + ln <= n:
            try:
                ch = chunk[i : i + ln].decode("utf-8")
                extra = _FFFD_COST if ln == 2 or _EXOTIC.match(ch) else 0.0
                cands.append((ln, ch, 1, cost(ch) + extra))
            except UnicodeDecodeError:
                pass
        cands.append((1, "\ufffd", 0, _BAD_BYTE_COST))
        for st in (0, 1):
            cur = best[i][st]
            if cur == neg:
                continue
            for ln, ch, nst, sc in cands:
                tot = cur + sc + (_SWITCH_COST if nst != st else 0.0)
                if tot > best[i + ln][nst]:
                    best[i + ln][nst], back[i + ln][nst] = tot, (i, st, ch)
    st = 0 if best[n][0] >= best[n][1] else 1
    score = best[n][st]
    steps: list[tuple[int, str]] = []
    j = n
    while j > 0:
        step = back[j][st]
        assert step is not None
        j, st, ch = step
        steps.append((j, ch))
    steps.reverse()
    bad = [(i, k) for k, (i, ch) in enumerate(steps) if ch == "\ufffd"]  # (byte in chunk, character in text)
    return "".join(ch for _, ch in steps), score, bad


_UTF8_SEQ = re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_MAX_SPLICES = 8


def _spliced(chunk: bytes, codec: str) -> str | None:
    """``chunk`` decoded strictly with ``codec``, UTF-8 characters where it stops at one (or None)."""
    parts: list[str] = []
    pos = 0
    for _ in range(_MAX_SPLICES + 1):
        try:
            parts.append(chunk[pos:].decode(codec))
            return "".join(parts)
        except UnicodeDecodeError as exc:
            k = pos + exc.start
            m = _UTF8_SEQ.match(chunk, k)
            if m is None:
                return None
            try:
                utf8 = m.group().decode("utf-8")
            except UnicodeDecodeError:
                return None
            parts.append(chunk[pos:k].decode(codec))
            parts.append(utf8)
            pos = m.end()
    return None


class _Builder:
    def __init__(self, offset: int) -> None:
        self.parts: list[str] = []
        self.segments: list[tuple[int, int, str]] = []
        self.bad: list[tuple[int, int, int]] = []  # (byte offset, byte count, char offset)
        # (byte offset, byte count, char offset, codec, characters) of each legacy run
        self.legacy: list[tuple[int, int, int, str, int]] = []
        self.utf8_high = False  # a UTF-8 part holds a non-ASCII character
        self.chars = 0
        self.offset = offset

    def add(self, start: int, end: int, text: str, codec: str) -> None:
        if codec == "undecodable":
            self.bad.append((start + self.offset, end - start, self.chars))
        elif codec == "utf-8":
            self.utf8_high = self.utf8_high or not text.isascii()
        elif not text.replace("\ufffd", "").isascii():  # a legacy character, not only lost bytes
            last = self.legacy[-1] if self.legacy else None
            if last is not None and last[3] == codec and last[0] + last[1] == start + self.offset:
                self.legacy[-1] = (last[0], last[1] + end - start, last[2], codec, last[4] + len(text))
            else:
                self.legacy.append((start + self.offset, end - start, self.chars, codec, len(text)))
        if self.segments and self.segments[-1][2] == codec and self.segments[-1][1] == start + self.offset:
            s = self.segments[-1]
            self.segments[-1] = (s[0], end + self.offset, codec)
        else:
            self.segments.append((start + self.offset, end + self.offset, codec))
        self.parts.append(text)
        self.chars += len(text)


_WINDOW_MIN = 256
_WINDOW_MAX = 1 << 20


def _strict_prefix(data: bytes, pos: int, codec: str) -> tuple[str, int, int | None]:
    """Decode ``data[pos:]`` strictly up to its first error.

    Returns ``(text, start, end)``: ``text`` decodes ``data[pos:start]`` and
    ``data[start:end]`` is the first undecodable sequence (``start == len(data)``
    and ``end`` None when there is none).  Works through growing windows, never
    ``data[pos:]``: a ``UnicodeDecodeError`` copies the whole input it was given,
    so decoding the rest of the file at every error was quadratic on inputs
    with many errors.  A character cut by a window edge is retried whole.
    """
    n = len(data)
    parts: list[str] = []
    window = _WINDOW_MIN
    while pos < n:
        end = min(n, pos + window)
        chunk = data[pos:end]
        try:
            parts.append(chunk.decode(codec))
            pos = end
            window = min(2 * window, _WINDOW_MAX)
            continue
        except UnicodeDecodeError as exc:
            if exc.start > 0:
                parts.append(chunk[: exc.start].decode(codec))
            if exc.end >= len(chunk) and end < n:  # possibly a character cut by the window edge
                pos += exc.start
                window = 2 * window
                continue
            return "".join(parts), pos + exc.start, pos + exc.end
    return "".join(parts), n, None


def _decode_lenient_gb(chunk: bytes, base: int, b: _Builder) -> None:
    """Decode with GB18030, turning each undecodable byte into U+FFFD."""
    pos = 0
    n = len(chunk)
    while pos < n:
        text, start, end = _strict_prefix(chunk, pos, "gb18030")
        if start > pos:
            b.add(base + pos, base + start, text, "gb18030")
        if end is None:
            return
        bad_end = max(end, start + 1)
        b.add(base + start, base + bad_end, "\ufffd", "undecodable")
        pos = bad_end


def _mixed(data: bytes, b: _Builder) -> None:
    """Strict UTF-8 where possible; legacy runs decoded on their own."""
    pos = 0
    n = len(data)
    while pos < n:
        text, start, _ = _strict_prefix(data, pos, "utf-8")
        if start < n and text:
            k = _two_byte_tail(text, data, start)
            if k:
                text, start = text[:-k], start - 2 * k
        if start > pos:
            b.add(pos, start, text, "utf-8")
        if start >= n:
            return
        run_end = _legacy_run_end(data, start)
        chunk = data[start:run_end]
        got = _legacy_run(chunk)
        if got is not None:
            text, codec, bad = got
            pb = pc = 0  # byte and character offsets in the chunk and its text
            for bi, ci in bad:
                if ci > pc:
                    b.add(start + pb, start + bi, text[pc:ci], codec)
                b.add(start + bi, start + bi + 1, "\ufffd", "undecodable")
                pb, pc = bi + 1, ci + 1
            if pc < len(text) or pb < len(chunk):
                b.add(start + pb, run_end, text[pc:], codec)
        else:
            _decode_lenient_gb(chunk, start, b)
        pos = run_end


_UTF8_RESUME = re.compile(
    rb"(?:[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}){2,}"
    rb"|(?:[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})(?=[\x00-\x7f]|\Z)"
)
_UTF8_RUN = re.compile(rb"(?:[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}|[\xc2-\xdf][\x80-\xbf]){3,}")
_HIGH = re.compile(rb"[\x80-\xff]")


def _legacy_run_end(data: bytes, start: int) -> int:
    """End of the legacy (GB18030/Big5) run that starts at ``start``.

    Walks the run with double-byte alignment and stops where strict UTF-8
    resumes (two multibyte sequences in a row, or one followed by ASCII)
    and reads better than the legacy bytes there (:func:`_utf8_reads_better`).
    Trailing ASCII is left to UTF-8.
    """
    n = len(data)
    p = start
    last_high_end = start + 1
    while p < n:
        byte = data[p]
        if byte < 0x80:
            p += 1
            continue
        if p > start and _UTF8_RESUME.match(data, p) and _utf8_reads_better(data, p, p):
            break
        if 0x81 <= byte <= 0xFE and p + 1 < n:
            nxt = data[p + 1]
            if 0x30 <= nxt <= 0x39 and p + 3 < n:  # GB18030 four-byte
                p += 4
            elif nxt >= 0xE0 and _UTF8_RESUME.match(data, p + 1) and _utf8_reads_better(data, p, p + 1):
                p += 1  # a lone byte, then UTF-8
                last_high_end = p
                break
            elif nxt >= 0x40 and nxt != 0x7F:
                p += 2
            else:
                p += 1
        else:
            p += 1
        last_high_end = p
    return min(n, max(last_high_end, start + 1))


_TWO_BYTE_TAIL = re.compile("[\u0080-\u07ff]+$")


def _two_byte_tail(text: str, data: bytes, start: int) -> int:
    """How many characters at the end of the UTF-8 ``text`` before a legacy run belong to the run.

    The GBK bytes of many characters are also two-byte UTF-8 sequences
    (效 = D0 A7 = ``Ч``, 学习 = ``ѧϰ``), so strict UTF-8 takes the first
    characters of a GBK run as Cyrillic, Greek, Latin-1 ... and the run
    starts late.  Those characters are given to the run when the run reads
    better with them, judged by the character model over the same bytes.
    Real text stays UTF-8: the end of a Latin word (``Café``), a sign
    (``·``, ``°``, ``×``) and a word of one script (``Москва``, ``αβγ``);
    what GBK bytes make is a lone letter glued to the Chinese (``Ч``) or
    letters of several scripts (``ѧϰ``).
    """
    m = _TWO_BYTE_TAIL.search(text)
    if m is None or (m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha()):
        return 0  # the end of a Latin word (`Café`)
    if not _alien_letters(m.group()):
        return 0
    k = len(text) - m.start()
    back = start - 2 * k
    end = _legacy_run_end(data, start)
    rest = data[start:end]
    gb, b5 = rest.decode("gb18030", "replace"), rest.decode("big5", "replace")
    as_utf8 = max(_lenient_logprob(m.group() + gb), _lenient_logprob(m.group() + b5))
    return k if _legacy_logprob(data[back:end]) > as_utf8 else 0


# The letters of the alphabets real text uses in U+0080-U+07FF (Latin-1 and
# Latin Extended-A, Greek, Cyrillic, Armenian, Hebrew, Arabic).  GBK bytes
# read as UTF-8 also give combining marks, modifier letters, IPA, historic
# Cyrillic, Coptic, Syriac, Thaana, N'Ko and unassigned code points.
_COMMON_LETTER = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u0386-\u03ce\u0400-\u045f"
                            "\u0531-\u0556\u0561-\u0587\u05d0-\u05ea\u0620-\u064a]")


def _alien_letters(tail: str) -> bool:
    """Is ``tail`` (two-byte UTF-8 characters) what GBK bytes read as UTF-8 look like (see :func:`_two_byte_tail`)?"""
    if any(unicodedata.category(c)[0] in "SPNZ" for c in tail):
        return False  # a sign or a number: `·`, `°`, `×`, `½`
    if any(_COMMON_LETTER.match(c) is None for c in tail):
        return True
    if len(tail) == 1:
        return True  # one letter glued to the Chinese
    return len({unicodedata.name(c, "?").split(" ")[0] for c in tail}) > 1  # letters of several scripts


def _gbk_step(data: bytes, p: int) -> int:
    """Where the GBK character (or single byte) at ``p`` ends."""
    byte = data[p]
    if 0x81 <= byte <= 0xFE and p + 1 < len(data):
        nxt = data[p + 1]
        if 0x30 <= nxt <= 0x39 and p + 3 < len(data):
            return p + 4
        if nxt >= 0x40 and nxt != 0x7F:
            return p + 2
    return p + 1


def _utf8_reads_better(data: bytes, p: int, at: int) -> bool:
    """Do the bytes from ``p`` read better as UTF-8 from ``at`` than as GBK from ``p``?

    Strict UTF-8 matches at ``at`` (``at == p + 1``: ``data[p]`` is then a
    lone byte, costing one undecodable byte).  Both readings are weighed by
    the character model over the same bytes, up to a GBK character
    boundary.  A stray byte before UTF-8 Chinese (``D6`` + ``中国``) would
    otherwise pair with the UTF-8 lead byte as GBK (``D6 E4`` = ``咒``) and
    the rest of the UTF-8 decode as more GBK (``腑``); and GBK text whose
    bytes happen to be a UTF-8 sequence (``殷強`` = D2 F3 8F 8A 9C) stays
    GBK, because the random UTF-8 behind it reads worse.
    """
    m = _UTF8_RESUME.match(data, at)
    if m is None:
        return False
    end = m.end()
    # the GBK reading goes on to where UTF-8 would resume under its own
    # alignment (``q``); from there both readings are the same UTF-8
    q = _gbk_step(data, p)
    while q < end and not (data[q] >= 0x80 and _UTF8_RESUME.match(data, q)):
        q = _gbk_step(data, q)
    # the pattern admits ED A0 (surrogates) and overlong forms: decoded with replacement
    as_legacy = _legacy_logprob(data[p:q])
    if q < end:
        utf8 = data[at:q].decode("utf-8", "replace")
        as_utf8 = _lenient_logprob(utf8)
    else:
        utf8 = data[at:end].decode("utf-8", "replace")
        tail = data[end:q]
        as_utf8 = max(_lenient_logprob(utf8 + tail.decode(c, "replace")) for c in ("gb18030", "big5"))
    exotic = len(_EXOTIC.findall(utf8)) * _FFFD_COST
    return as_utf8 + exotic + (at - p) * _FFFD_COST > as_legacy


# What UTF-8 that is really legacy bytes decodes to, and a Chinese page never
# holds: Samaritan ... Greek Extended (E0 A0-E1 BF), Yi, private use, and
# the planes past the CJK extensions (F3 ...).
_EXOTIC = re.compile("[\u0800-\u1fff\ua000-\uabff\ue000-\uf8ff\U00040000-\U0010ffff]")


def _legacy_logprob(data: bytes) -> float:
    """How well ``data`` reads as a legacy run: the better of GB18030 and Big5, with replacement."""
    return max(_lenient_logprob(data.decode("gb18030", "replace")), _lenient_logprob(data.decode("big5", "replace")))


def _lenient_logprob(text: str) -> float:
    from seedclean import charmodel

    bad = text.count("\ufffd")
    return charmodel.logprob(text.replace("\ufffd", "")) + bad * _FFFD_COST if bad else charmodel.logprob(text)


_FFFD_COST = -18.0  # log-probability of a byte left undecoded (about an unknown character's)


def _finish(b: _Builder, main: str) -> Decoded:
    text = "".join(b.parts)
    norm = _normalise_newlines(text)
    findings = _builder_findings(b, text)
    encodings: list[str] = []
    for _, _, codec in b.segments:
        if codec != "undecodable" and codec not in encodings:
            encodings.append(codec)
    if not encodings:
        encodings = [main]
    return Decoded(text=norm, encoding=main, encodings=encodings, segments=b.segments, findings=findings)


MIXED_RULE = "mixed-encoding"


def _builder_findings(b: _Builder, text: str, line_no: int | None = None) -> list[Finding]:
    """Findings for undecodable bytes and, in a file that mixes encodings, for each legacy run.

    Located in ``text`` (the builder's output before newline normalisation;
    CRLF and lone CR count as one line break).  ``line_no``: ``text`` is that
    one line (no line breaks).
    """
    events: list[tuple[int, str, str, str]] = []  # (char offset, rule, message, text)
    for byte_off, count, char_off in b.bad:
        events.append((char_off, "undecodable-bytes",
                       f"{count} undecodable byte(s) at byte offset {byte_off} replaced by U+FFFD", "\ufffd"))
    if b.legacy and b.utf8_high:
        for byte_off, count, char_off, codec, nchars in b.legacy:
            shown = unicodedata.normalize("NFC", text[char_off : char_off + min(nchars, 20)])  # as the output shows it
            events.append((char_off, MIXED_RULE,
                           f"{count} bytes at byte offset {byte_off} are {codec.upper()} inside UTF-8, decoded as such",
                           shown))
    if not events:
        return []
    events.sort(key=lambda ev: ev[0])
    out: list[Finding] = []
    line, line_start, prev, prev_cr = (line_no or 1), 0, 0, False
    for char_off, rule, message, shown in events:
        seg = text[prev:char_off]
        if seg and line_no is None:
            crlf = seg.count("\r\n") + (1 if prev_cr and seg[0] == "\n" else 0)
            line += seg.count("\n") + seg.count("\r") - crlf
            k = max(seg.rfind("\n"), seg.rfind("\r"))
            if k >= 0:
                line_start = prev + k + 1
            prev_cr = seg[-1] == "\r"
        prev = char_off
        out.append(Finding(rule=rule, line=line, column=char_off - line_start + 1, message=message, text=shown))
    return out


def _main_codec(segments: list[tuple[int, int, str]], default: str) -> str:
    sizes: dict[str, int] = {}
    for s, e, c in segments:
        if c != "undecodable":
            sizes[c] = sizes.get(c, 0) + e - s
    if not sizes:
        return default
    return max(sizes, key=lambda c: sizes[c])


def decode(data: bytes) -> Decoded:
    """Decode ``data`` to text; see the module docstring for the order of tries.

    Raises :class:`EmptyInputError` for empty input and
    :class:`BinaryInputError` for binary data.
    """
    if not data:
        raise EmptyInputError("empty input")

    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            b = _Builder(len(bom))
            if codec == "utf-8":
                _mixed(body, b)
                return _finish(b, _main_codec(b.segments, "utf-8"))
            text = body.decode(codec, errors="replace")
            if _is_binary_text(text):
                raise BinaryInputError(f"input has a {codec} byte-order mark but decodes to binary data")
            # report replacement characters produced by the decoder
            _decode_wide(body, codec, b)
            return _finish(b, codec)

    wide = _utf16_32_guess(data)
    if wide is None and b"\x00" in data:
        wide = _utf16_han(data)  # Chinese UTF-16: NUL only in the odd newline or digit
    if wide is not None:
        b = _Builder(0)
        _decode_wide(data, wide, b)
        return _finish(b, wide)

    if b"\x00" in data:
        raise BinaryInputError("input contains NUL bytes and is not UTF-16/32 text")
    if len(data) % 2 == 0 and not _is_utf8(data):
        wide = _utf16_han(data)
        if wide is not None:
            b = _Builder(0)
            _decode_wide(data, wide, b)
            return _finish(b, wide)
    sample = data[:65536]
    ctrl = len(_CONTROL_BYTES.findall(sample))
    if ctrl and ctrl / len(sample) > 0.05:
        raise BinaryInputError("input has a high share of control bytes; it looks binary")

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return Decoded(
            text=_normalise_newlines(text), encoding="utf-8", encodings=["utf-8"], segments=[(0, len(data), "utf-8")]
        )

    # How much of the file is valid UTF-8 multibyte text?  If a good share, treat
    # it as mixed; otherwise as a whole legacy file.
    utf8_bytes = sum(m.end() - m.start() for m in _UTF8_RUN.finditer(data))
    high = len(_HIGH.findall(data))
    if high and utf8_bytes >= 0.2 * high:
        b = _Builder(0)
        _mixed(data, b)
        return _finish(b, _main_codec(b.segments, "utf-8"))

    whole = _whole_legacy(data)
    if whole is not None:
        text, codec = whole
        return Decoded(
            text=_normalise_newlines(text), encoding=codec, encodings=[codec], segments=[(0, len(data), codec)]
        )

    b = _Builder(0)
    _decode_lenient_gb(data, 0, b)
    return _finish(b, "gb18030")


def _decode_wide(body: bytes, codec: str, b: _Builder) -> None:
    unit = 4 if "32" in codec else 2
    pos = 0
    n = len(body)
    while pos < n:
        text, start, end = _strict_prefix(body, pos, codec)
        if start > pos:
            b.add(pos, start, text, codec)
        if end is None:
            return
        bad_end = max(end, start + 1)
        if bad_end - start < unit and bad_end < n:
            bad_end = min(n, start + unit)
        b.add(start, bad_end, "\ufffd", "undecodable")
        pos = bad_end


_CJK_CODECS = frozenset(
    [
        "gb18030", "gbk", "gb2312", "hz", "big5", "big5hkscs", "cp950",
        "euc_jp", "shift_jis", "cp932", "shift_jis_2004", "euc_jis_2004", "iso2022_jp",
        "euc_kr", "cp949", "johab", "iso2022_kr", "utf_8", "ascii",
    ]
)


def _whole_legacy(data: bytes) -> tuple[str, str] | None:
    options: list[tuple[str, str]] = []
    for codec in ("gb18030", "big5"):
        try:
            options.append((data.decode(codec), codec))
        except UnicodeDecodeError:
            pass
    if options:
        best_opt = max(options, key=lambda o: _score(o[0][:20000]))
        if _score(best_opt[0][:20000]) >= _CHINESE_FLOOR:
            return best_opt
        # Low Chinese score: Japanese or Korean bytes also decode as GB18030
        # (as nonsense).  Ask charset-normalizer; never invent Chinese from them.
        other = _normalizer(data, _NON_CHINESE)
        return other or best_opt
    return _normalizer(data, _CJK_CODECS)


_CHINESE_FLOOR = -10.0  # average log-probability per character of real Chinese (poetry: about -8)
_NON_CHINESE = frozenset(
    [
        "euc_jp", "shift_jis", "cp932", "shift_jis_2004", "euc_jis_2004", "iso2022_jp",
        "euc_kr", "cp949", "johab", "iso2022_kr",
    ]
)


def _normalizer(data: bytes, allowed: frozenset[str]) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover
        return None
    best = from_bytes(data).best()
    if best is None or best.encoding is None or best.encoding not in allowed:
        return None
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        return None


_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_ESCAPE = re.compile("[\ud800-\udc7f\udd00-\udfff]")


def decode_surrogates(text: str) -> str:
    """See :func:`decode_surrogates_findings`; the text only."""
    return decode_surrogates_findings(text)[0]


def decode_surrogates_findings(text: str) -> tuple[str, list[Finding]]:
    """``text`` without lone surrogates, line for line.

    A ``str`` can hold lone surrogates that no UTF-8 file can: bytes kept by
    the ``surrogateescape`` error handler (``\\udc80``-``\\udcff`` stand for
    bytes 0x80-0xFF, as in ``os.fsdecode`` or ``sys.stdin`` with that
    handler) and UTF-16 code units from JSON or Windows APIs.  Valid pairs
    are joined; each line that still holds escaped bytes is turned back into
    bytes and decoded like a mixed file (strict UTF-8, legacy runs by
    plausibility, undecodable bytes as U+FFFD); any other lone surrogate
    becomes U+FFFD.  Lines are never joined or split.

    Returns the text and findings: ``undecodable-bytes`` for what became
    U+FFFD, and ``mixed-encoding`` for escaped bytes decoded as a legacy
    run inside UTF-8 text.

    >>> decode_surrogates("中国".encode("gbk").decode("utf-8", "surrogateescape"))
    '中国'
    """
    try:
        text.encode("utf-16-le")  # fails exactly on a surrogate code point, and costs less than a regex scan
    except UnicodeEncodeError:
        pass
    else:
        return text, []
    findings: list[Finding] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not _SURROGATE.search(line):
            continue
        line = line.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        for m in _NOT_ESCAPE.finditer(line):
            findings.append(Finding("undecodable-bytes", i + 1, m.start() + 1,
                                    f"lone surrogate U+{ord(m.group()):04X} replaced by U+FFFD", "\ufffd"))
        line = _NOT_ESCAPE.sub("\ufffd", line)
        if not _SURROGATE.search(line):
            lines[i] = line
            continue
        b = _Builder(0)
        b.utf8_high = True  # a str line: its characters are UTF-8's
        _mixed(line.encode("utf-8", "surrogateescape"), b)
        new = "".join(b.parts)
        if "\n" in new or "\r" in new or _SURROGATE.search(new):  # pragma: no cover - defensive
            new = _SURROGATE.sub("\ufffd", line).replace("\r", "\ufffd")
        else:
            findings.extend(_builder_findings(b, new, i + 1))
        lines[i] = new
    findings.sort(key=lambda f: (f.line, f.column))
    return "\n".join(lines), findings
