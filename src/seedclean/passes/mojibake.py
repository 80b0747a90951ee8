"""Span-by-span repair of CJK mojibake: text decoded with the wrong codec.

A line that looks garbled is turned back into the bytes the wrong decoder
saw (re-encoding it with that codec) and the bytes are decoded again with
the right one.  The decoder walks the byte string unit by unit and only
stops at character boundaries of the line, so a garbled span inside clean
text is repaired on its own and the text around it never changes.  Each
hypothesis is kept only when :mod:`seedclean.charmodel` scores the result
clearly better; a repair that exposes another layer is peeled again (at most
three layers, and only the final text has to read well).

Rules (taxonomy E1, E2, E3, Big5/GBK):

``mojibake-utf8-as-gbk``
    ``涓�鍥界殑鍙戝睍 -> 中国的发展``: UTF-8 bytes shown as GBK/GB18030.  A
    ``�`` stands for one lost byte; it is restored by trying every byte the
    UTF-8 structure allows there and keeping the one that reads best.
    A strict decoder's U+FFFD saved as GBK is a ``?``; inside a UTF-8
    sequence, where a real ``?`` cannot stand, it is a lost byte as well
    (``涓?鍥界殑鍙戝睍 -> 中国的发展``).
    Applied twice (``2023楠烇拷3閺堬拷1閺冿拷 -> 2023年3月1日``), the
    outer layer's lost bytes belong to mojibake characters, so each is
    chosen by what the inner layer makes of it, and a ``锟斤拷`` may be
    two of the inner layer's lost bytes (see :func:`_layers`).
``mojibake-gbk-as-latin1``
    ``ÖÐ¹úµÄ·¢Õ¹ -> 中国的发展``: GBK (or Big5) bytes shown as Latin-1 or
    cp1252, C1 controls included.  Characters such as ``Ŀ`` (a valid
    two-byte UTF-8 sequence inside the GBK stream, decoded as UTF-8) are
    turned back into their UTF-8 bytes.
``mojibake-utf8-as-latin1``
    ``ä¸­æ–‡å­—ç¬¦ -> 中文字符``: UTF-8 shown as cp1252/Latin-1.  Decoded
    here byte-exactly; a ``�`` is one of the five bytes cp1252 leaves
    undefined (``è‡ºç�£ -> 臺灣``); ftfy (quotes, widths, ligatures, normalisation and
    HTML left alone) is the fallback for Latin-script text.
``mojibake-big5-gbk``
    Big5 bytes shown as GBK (``硂畒螺睲 -> 這座古蹟``) and GBK bytes shown
    as Big5; a byte the Big5 decoder rejected is one lost lead byte.

Fast path: ASCII text, then one compiled regex (three rare characters close
together, or two Latin-1/C1 characters close together); clean Chinese does
not match it.  Only lines that match are examined.  A line matched by rare
characters alone (idioms, classical text and names match too) is then
searched only with the hypotheses whose one-shot test one of its runs
passes (:func:`_plausible`): the span search tries every start and peels
up to three layers, which is what makes clean text with rare runs slow.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import threading
from collections.abc import Callable, Iterator, Sequence

from seedclean import charmodel
from seedclean.config import Config
from seedclean.edits import Edit, apply_edits, compose_edits

__all__ = ["find", "RULES"]

R_E1 = "mojibake-utf8-as-gbk"
R_E2 = "mojibake-gbk-as-latin1"
R_E3 = "mojibake-utf8-as-latin1"
R_BIG5 = "mojibake-big5-gbk"
RULES = (R_E1, R_E2, R_E3, R_BIG5)

_GAIN = 2.0  # nats per character the repaired span must gain
_FLOOR = -11.5  # and the repaired span must read at least this well (classical poetry: about -8)
_COMMON_TOP = 3000  # characters (Simplified) counted as common
_MAX_LAYERS = 3

_CP1252_EXTRA = "€‚ƒ„†‡ˆ‰Š‹ŒŽ•˜™š›œžŸ"
_CP1252_PUNCT = "‘’“”…–—"
_LATIN = "\u0080-\u00ff" + _CP1252_EXTRA + _CP1252_PUNCT + "\u0100-\u07ff"
_LATIN_PAIR = rf"[\u0080-\u00ff{_CP1252_EXTRA}\u0100-\u07ff][\x20-\x7e{_CP1252_PUNCT}]{{0,2}}[{_LATIN}]"

_lock = threading.Lock()
_fast_re: re.Pattern[str] | None = None
_rare_re: re.Pattern[str] | None = None


@functools.cache
def _common() -> frozenset[str]:
    """The :data:`_COMMON_TOP` most frequent Han characters, with their Traditional forms."""
    m = charmodel._get()
    han = [(p, c) for c, p in m.uni_p.items() if len(c) == 1 and ord(c) >= 0x2E80]
    han.sort(reverse=True)
    common = {c for _, c in han[:_COMMON_TOP]}
    for t, s in m.t2s.items():
        if s in common:
            common.add(chr(t))
    return frozenset(common)


def _rare_class() -> str:
    cps = sorted(ord(c) for c in _common() if "\u3400" <= c <= "\u9fff")
    ranges: list[str] = []
    start = 0x3400
    for cp in [*cps, 0xA000]:
        if cp > start:
            ranges.append(f"{chr(start)}-{chr(cp - 1)}" if cp - 1 > start else chr(start))
        start = cp + 1
    return "".join(ranges) + "\ufffd\ue000-\uf8ff"


def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(Latin-1 pair, rare-character run) regexes, built once from the model."""
    global _fast_re, _rare_re
    if _fast_re is None:
        with _lock:
            if _fast_re is None:
                rare = _rare_class()
                rare_run = rf"[{rare}](?:[^\x00-\x40\n]?[{rare}]){{2,}}"
                _rare_re = re.compile(rare_run)
                _fast_re = re.compile(_LATIN_PAIR)
    assert _rare_re is not None
    return _fast_re, _rare_re


# --------------------------------------------------------------- byte views
#
# A "stream" is a list of byte values, -1 for a lost byte (a U+FFFD in the
# line), plus the offset in the stream where each character of the line
# starts.  ``None`` marks characters the wrong codec cannot have produced.

_HOLE = -1
_CP1252_UNDEFINED = frozenset((0x81, 0x8D, 0x8F, 0x90, 0x9D))  # a cp1252 decoder shows them as U+FFFD
_QMARK = 0x3F  # `?`: what a lost byte becomes when the replacement character is saved as GBK
_CONT = range(0x80, 0xC0)  # UTF-8 continuation bytes


def _gbk_view(ch: str) -> list[int] | None:
    if ch == "\ufffd":
        return [_HOLE]
    try:
        return list(ch.encode("gb18030"))
    except UnicodeEncodeError:
        return None


def _big5_view(ch: str) -> list[int] | None:
    if ch == "\ufffd":
        return [_HOLE]
    if ch < "\x80":
        return [ord(ch)]
    try:
        return list(ch.encode("big5"))
    except UnicodeEncodeError:
        return None


def _latin_view(ch: str) -> list[int] | None:
    o = ord(ch)
    if o < 0x100:
        return [o]
    if ch == "\ufffd":
        return [_HOLE]  # one of the five bytes cp1252 leaves undefined
    try:
        return list(ch.encode("cp1252"))
    except UnicodeEncodeError:
        pass
    if o < 0x800:
        return list(ch.encode("utf-8"))  # a two-byte UTF-8 sequence decoded as UTF-8
    return None


# --------------------------------------------------------------- unit decoders
#
# Each returns (end, char) for the character starting at stream[pos], where
# char is a str or a tuple of candidate strs (a lost byte inside it), or None
# when the bytes are not valid in that codec.

# A character, or the candidates (character, cost) for one that lost a byte.
Choice = str | tuple[tuple[str, float], ...]
Unit = tuple[int, Choice]


def _try(data: bytes, codec: str) -> str | None:
    try:
        s = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return s if len(s) == 1 else None


def _rejected(wrong: str | None, lead: int, nxt: int) -> bool:
    """Would the wrong decoder have rejected ``lead`` when followed by ``nxt``?

    It showed U+FFFD for a lost byte, so it could not pair it with the byte
    after it.
    """
    if wrong == "cp1252":
        return lead in _CP1252_UNDEFINED  # whatever follows: cp1252 is one byte a character
    if wrong is None or nxt == _HOLE:
        return True
    if wrong in ("gbk", "gb18030"):
        if not 0x81 <= lead <= 0xFE or not (0x40 <= nxt <= 0xFE and nxt != 0x7F):
            return True
    elif not 0xA1 <= lead <= 0xF9 or not (0x40 <= nxt <= 0x7E or 0xA1 <= nxt <= 0xFE):
        return True
    return _try(bytes((lead, nxt)), wrong) is None


_STRICT_BONUS = 3.0  # nats for a lost byte that a browser's decoder would also have lost


def _fill(stream: list[int], pos: int, end: int, codec: str, choices: dict[int, range],
          wrong: str | None) -> tuple[tuple[str, float], ...] | None:
    """The characters ``stream[pos:end]`` can be with its lost bytes restored (and their bonus), or None.

    Memoised on the bytes (and the one after each lost byte, which decides
    what the wrong decoder could have rejected).
    """
    key = (tuple(stream[pos : end + 1]), end - pos, codec, tuple(choices.items()), wrong)
    got = _fill_memo.get(key, _MISSING)
    if got is _MISSING:
        got = _fill_new(stream, pos, end, codec, choices, wrong)
        if len(_fill_memo) >= _FILL_MEMO_MAX:
            _fill_memo.clear()
        _fill_memo[key] = got
    return got  # type: ignore[return-value]


_MISSING = object()
_FILL_MEMO_MAX = 16384
_fill_memo: dict[object, object] = {}


def _fill_new(stream: list[int], pos: int, end: int, codec: str, choices: dict[int, range],
              wrong: str | None) -> tuple[tuple[str, float], ...] | None:
    holes = [i for i in range(pos, end) if stream[i] == _HOLE]
    if len(holes) > 2:
        return None
    out: list[tuple[str, float]] = []
    base = [stream[i] for i in range(pos, end)]
    allowed: dict[int, list[int]] = {}
    preferred: set[int] = set()
    for h in holes:
        nxt = stream[h + 1] if h + 1 < len(stream) else _HOLE
        cands = choices.get(h - pos, range(0x80, 0x100))
        vals = [v for v in cands if _rejected(wrong, v, nxt)]
        if wrong == "gbk":
            # a browser's GBK decoder maps the user-defined rows to the PUA,
            # so the bytes it rejects are likelier than those only a strict
            # GBK decoder rejects
            preferred.update(v for v in vals if _rejected("gb18030", v, nxt))
        allowed[h - pos] = vals

    def rec(k: int) -> None:
        if k == len(holes):
            s = _try(bytes(base), codec)
            # private use too: a browser's GBK decoder shows the user-defined rows there,
            # so a lower layer of a double encoding holds such characters
            if s is not None and (s.isprintable() or "\ue000" <= s <= "\uf8ff"):
                bonus = _STRICT_BONUS if preferred and all(base[h - pos] in preferred for h in holes) else 0.0
                out.append((s, bonus))
            return
        idx = holes[k] - pos
        for v in allowed[idx]:
            base[idx] = v
            rec(k + 1)

    rec(0)
    return tuple(out) or None


def _unit_utf8(stream: list[int], pos: int, wrong: str | None) -> Unit | None:
    b = stream[pos]
    if b == _HOLE:
        return None
    if b < 0x80:
        return pos + 1, chr(b)
    if 0xC2 <= b <= 0xDF:
        n = 2
    elif 0xE0 <= b <= 0xEF:
        n = 3
    elif 0xF0 <= b <= 0xF4:
        n = 4
    else:
        return None
    end = pos + n
    if end > len(stream):
        return None
    seq = stream[pos:end]
    if wrong == "gbk" and _QMARK in seq[1:]:
        # a strict GBK decoder's replacement, saved as GBK: `?` is one lost byte
        # (only inside a UTF-8 sequence, where a real `?` cannot stand)
        seq = [_HOLE if x == _QMARK else x for x in seq]
        if any(not (0x80 <= x <= 0xBF or x == _HOLE) for x in seq[1:]):
            return None
        got = _fill([*seq, *stream[end : end + 1]], 0, n, "utf-8", {i: _CONT for i in range(1, n)}, wrong)
        return (end, got) if got else None
    if any(not (0x80 <= x <= 0xBF or x == _HOLE) for x in seq[1:]):
        return None
    if _HOLE in seq:
        got = _fill(stream, pos, end, "utf-8", {i: _CONT for i in range(1, n)}, wrong)
        return (end, got) if got else None
    s = _try(bytes(seq), "utf-8")
    return (end, s) if s is not None else None


def _unit_gbk(stream: list[int], pos: int, wrong: str | None) -> Unit | None:
    b = stream[pos]
    if b != _HOLE and b < 0x80:
        return pos + 1, chr(b)
    if pos + 1 >= len(stream):
        return None
    t = stream[pos + 1]
    if b != _HOLE and t != _HOLE and 0x30 <= t <= 0x39:
        end = pos + 4
        if end > len(stream) or _HOLE in stream[pos:end]:
            return None
        s = _try(bytes(stream[pos:end]), "gb18030")
        return (end, s) if s is not None else None
    if b == _HOLE and t == _HOLE:
        return None
    if b == _HOLE and not (0x40 <= t <= 0xFE and t != 0x7F):
        return None
    if b != _HOLE and not (0x81 <= b <= 0xFE):
        return None
    if _HOLE in (b, t):
        got = _fill(stream, pos, pos + 2, "gb18030", {0: range(0x81, 0xFF), 1: range(0x40, 0xFF)}, wrong)
        return (pos + 2, got) if got else None
    s = _try(bytes((b, t)), "gb18030")
    return (pos + 2, s) if s is not None else None


def _unit_big5(stream: list[int], pos: int, wrong: str | None) -> Unit | None:
    b = stream[pos]
    if b != _HOLE and b < 0x80:
        return pos + 1, chr(b)
    if pos + 1 >= len(stream):
        return None
    t = stream[pos + 1]
    if b == _HOLE and t == _HOLE:
        return None
    if _HOLE in (b, t):
        got = _fill(stream, pos, pos + 2, "big5", {0: range(0xA1, 0xFA), 1: range(0x40, 0xFF)}, wrong)
        return (pos + 2, got) if got else None
    s = _try(bytes((b, t)), "big5")
    return (pos + 2, s) if s is not None else None


_UNITS = {"utf-8": _unit_utf8, "gbk": _unit_gbk, "big5": _unit_big5}
_VIEWS = {"gbk": _gbk_view, "latin": _latin_view, "big5": _big5_view}
_WRONG = {"gbk": "gbk", "latin": "cp1252", "big5": "big5"}
_FINAL = "。！？”…）」』!?."

# (rule, view of the wrong codec, right codec)
_HYPOTHESES = (
    (R_E1, "gbk", "utf-8"),
    (R_E2, "latin", "gbk"),
    (R_E3, "latin", "utf-8"),
    (R_BIG5, "gbk", "big5"),
    (R_BIG5, "big5", "gbk"),
)


_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def _prior(ch: str, final: bool) -> float:
    """What the bigram model misses: line ends, full-width letters and digits."""
    bonus = 0.0
    if final:
        bonus += 4.0 if ch in _FINAL else (-2.0 if ch in "，、,；：" else 0.0)
    if _FULLWIDTH_ALNUM.match(ch):
        bonus -= 4.0
    return bonus


def _resolve(units: list[Choice], line_end: bool = False, context: str = "") -> str:
    """Pick each lost-byte character by its context (left to right).

    At the end of a line, sentence-final punctuation gets a bonus: the model
    has no end-of-line symbol, and a lost last byte is usually ``。``'s.
    ``context`` is text before the first unit (it only votes).  Large
    candidate sets are first cut to the :data:`_SHORTLIST` best by unigram
    probability, then scored in context.
    """
    out: list[str] = []
    for k, u in enumerate(units):
        if isinstance(u, str):
            out.append(u)
            continue
        left = (context + "".join(out[-3:]))[-3:]
        right = ""
        for v in units[k + 1 : k + 4]:
            if not isinstance(v, str):
                break
            right += v
        final = line_end and k == len(units) - 1
        cands: Sequence[tuple[str, float]] = u if len(u) <= _SHORTLIST else _shortlist(u, final)
        best = max(cands, key=lambda c: charmodel.logprob(left + c[0] + right) + _prior(c[0], final) + c[1])
        out.append(best[0])
    return "".join(out)


_SHORTLIST = 40


@functools.lru_cache(maxsize=8192)
def _shortlist(cands: tuple[tuple[str, float], ...], final: bool) -> tuple[tuple[str, float], ...]:
    """The :data:`_SHORTLIST` candidates most probable on their own (memoised: a lead byte's set recurs)."""
    ranked = sorted(cands, key=lambda c: -(charmodel.char_logp(c[0]) + _prior(c[0], final) + c[1]))
    return tuple(ranked[:_SHORTLIST])


def _decode_units(stream: list[int], codec: str, wrong: str | None) -> list[Choice] | None:
    """The whole stream in ``codec``, one unit per character (lost bytes as candidates), or None."""
    unit = _UNITS[codec]
    pos = 0
    units: list[Choice] = []
    while pos < len(stream):
        got = unit(stream, pos, wrong)
        if got is None:
            return None
        pos, ch = got
        units.append(ch)
    return units


def _view_of(text: str, view: str) -> list[int] | None:
    fn = _VIEWS[view]
    out: list[int] = []
    for ch in text:
        b = fn(ch)
        if b is None:
            return None
        out += b
    return out


def _foreign(src: str, ch: str) -> bool:
    """Would a repair turn the common Han character ``src`` into ``ch``, a letter of another script?

    Two-byte UTF-8 covers combining marks, Greek, Cyrillic, Armenian, Hebrew,
    Arabic ... (U+0300-U+07FF), and the GBK bytes of many common characters
    are such a sequence (学习 = D1 A7 CF B0 = ``ѧϰ``).  Next to a span of UTF-8
    read as GBK a walk can run on through clean text this way; what it
    reaches there is not part of the span.
    """
    return "\u0300" <= ch <= "\u07ff" and src in _common()


def _identity(line: str, item: tuple[int | None, int | None, Choice]) -> bool:
    """Is ``item`` one character of ``line`` that decodes to itself?"""
    c0, c1, ch = item
    return c0 is not None and c1 == c0 + 1 and ch == line[c0]


def _spans(
    line: str, view: str, codec: str, accept: Callable[[int, int, list[Choice], bool], str | None]
) -> Iterator[tuple[int, int, str]]:
    """Spans of ``line`` whose ``view`` bytes decode in ``codec`` and that ``accept`` likes.

    From each start the bytes are decoded as far as they stay valid; the
    walk is cut into segments at runs of three or more ASCII characters that
    decode to themselves (so the gain of each garbled segment is measured on
    its own).  When the first segment is refused, the walk starts again one
    character later.  A span made only of pinyin letters (``_PINYIN_ONLY``)
    counts as refused without asking ``accept``.

    The byte stream of a run of mappable characters is built once, and each
    unit is decoded once per run: a unit decoder only looks forward, so the
    walk from any start inside the run is a suffix of the same stream.
    """
    fn = _VIEWS[view]
    unit = _UNITS[codec]
    wrong = _WRONG[view]
    n = len(line)
    for r0, views in _runs(line, view, fn):
        stream: list[int] = []
        starts: dict[int, int] = {}  # stream offset -> index in the line
        offset: list[int] = []  # where each character of the run starts in the stream
        for k, view_k in enumerate(views, r0):
            starts[len(stream)] = k
            offset.append(len(stream))
            stream += view_k
        r1 = r0 + len(views)
        starts[len(stream)] = r1
        memo: dict[int, Unit | None] = {}
        i = r0
        while i < r1:
            if line[i] < "\x80":
                i += 1
                continue
            pos = offset[i - r0]
            items: list[tuple[int | None, int | None, Choice]] = []
            last_aligned = 0
            while pos < len(stream):
                if pos in memo:
                    got = memo[pos]
                else:
                    got = memo[pos] = unit(stream, pos, wrong)
                if got is None:
                    break
                p0 = pos
                pos, ch = got
                items.append((starts.get(p0), starts.get(pos), ch))
                if pos in starts:
                    last_aligned = len(items)
            items = items[:last_aligned]
            segs: list[list[tuple[int | None, int | None, Choice]]] = [[]]
            run: list[tuple[int | None, int | None, Choice]] = []
            for it in items:
                c0, c1, ch = it
                if c0 is not None and c1 == c0 + 1 and isinstance(ch, str) and ch < "\x80" and line[c0] == ch:
                    run.append(it)
                    continue
                if len(run) >= 3:
                    segs.append([])
                else:
                    segs[-1].extend(run)
                run = []
                if c0 is not None and c1 == c0 + 1 and isinstance(ch, str) and _foreign(line[c0], ch):
                    # a common Han character would become a Cyrillic (Greek, ...) letter:
                    # it is clean text next to the garbled span, which ends here
                    if segs[-1]:
                        segs.append([])
                    continue
                segs[-1].append(it)
            segs[-1].extend(run)
            walk_end = i
            first = True
            for seg in segs:
                # identity ASCII at the edges stays outside the span
                while seg and _identity(line, seg[0]):
                    seg = seg[1:]
                while seg and _identity(line, seg[-1]):
                    seg = seg[:-1]
                if not seg:
                    continue
                s, e = seg[0][0], seg[-1][1]
                if s is None or e is None or e - s < 2:
                    if first:
                        break
                    continue
                # pinyin with tone marks is Latin text, not mojibake
                pinyin = _PINYIN_ONLY.fullmatch(line, s, e) is not None
                at_end = e == n or not line[e:].strip()  # trailing spaces go in the space pass
                accepted = None if pinyin else accept(s, e, [it[2] for it in seg], at_end)
                if accepted is not None:
                    yield s, e, accepted
                    walk_end = e
                elif first:
                    break
                first = False
            i = walk_end if walk_end > i else i + 1


# Characters the Latin-1 view maps (:func:`_latin_view` is not None): Latin-1,
# cp1252's extra characters and two-byte UTF-8.
_LATIN_RUN = re.compile(f"[\x00-\u07ff{_CP1252_EXTRA}{_CP1252_PUNCT}\ufffd]+")

# A run whose non-ASCII characters are pinyin letters followed by nothing, or
# by ``)`` and ASCII (a flattened reading, ``(yǔ)``, ``(lǜ),``).  Every span
# the Latin-1 view finds in it is pinyin only: a walk starts at a non-ASCII
# character, and neither GBK nor UTF-8 takes ``)`` as the second byte of a
# character, so whatever the walk reaches past the letters is ASCII that
# decodes to itself, which stays outside the span.  :func:`_spans` offers
# no pinyin-only span to ``accept``, so such a run is skipped.
_READING_RUN = re.compile(r"[\x00-\x7f]*[A-Za-zàáèéìíòóùúüāēěīńňōūǎǐǒǔǖǘǚǜǹ]+(?:\)[\x00-\x7f]*)?")
# The runs of :data:`_LATIN_RUN` that hold a non-ASCII character and are not
# a reading run, found in one scan: a match starts where a run starts (the
# look-behind), is not a whole reading run (the look-ahead: _READING_RUN up
# to the end of the run) and holds a non-ASCII character of the class.
_LATIN_RUN_CLASS = f"\x00-\u07ff{_CP1252_EXTRA}{_CP1252_PUNCT}\ufffd"


def _work_run_re(skip_readings: bool = True) -> re.Pattern[str]:
    skip = f"(?!{_READING_RUN.pattern}(?![{_LATIN_RUN_CLASS}]))" if skip_readings else ""
    return re.compile(
        f"(?<![{_LATIN_RUN_CLASS}]){skip}"
        f"[\x00-\x7f]*+[\x80-\u07ff{_CP1252_EXTRA}{_CP1252_PUNCT}\ufffd][{_LATIN_RUN_CLASS}]*+"
    )


_LATIN_WORK_RUN = _work_run_re()


# Lossy markers no span may cross: runs of `锟斤拷` (one alone may be two lost
# bytes of a double encoding), and `烫烫烫` / `屯屯屯` (uninitialised memory).
_KUN_RUN = re.compile("(?:锟斤拷){2,}|烫{3,}|屯{3,}")


def _runs(line: str, view: str, fn: Callable[[str], list[int] | None]) -> Iterator[tuple[int, list[list[int]]]]:
    """(start, views) of each maximal run of ``line`` that ``view`` maps and that holds a non-ASCII character.

    A walk starts only at a non-ASCII character and never leaves its run, so
    the other characters need no view.  The Latin-1 view maps few characters
    of a Chinese line: its runs are found by a regex instead of a view of
    every character.
    """
    if view == "latin":
        for m in _LATIN_WORK_RUN.finditer(line):  # the runs of _LATIN_RUN with work (see there)
            yield m.start(), [v for v in map(fn, m.group()) if v is not None]
        return
    views = [fn(ch) for ch in line]
    if "锟斤拷" in line or "烫烫烫" in line or "屯屯屯" in line:
        # `锟斤拷` is U+FFFD's UTF-8 read as GBK: every hypothesis turns it
        # back into U+FFFD, which is never accepted, so no span crosses it
        # (and a long run of it costs nothing: without this cut the walk
        # from each start re-decodes the whole run, O(n^2)).  `烫烫烫` and
        # `屯屯屯` are bytes that never were text: nothing to decode again.
        for m in _KUN_RUN.finditer(line):
            views[m.start() : m.end()] = [None] * (m.end() - m.start())
    n = len(line)
    k = 0
    while k < n:
        if views[k] is None:
            k += 1
            continue
        r0 = k
        while k < n and views[k] is not None:
            k += 1
        if not line[r0:k].isascii():
            yield r0, [v for v in views[r0:k] if v is not None]


_KANA = re.compile("[\u3040-\u30ff]")  # hiragana and katakana


_PRIVATE = re.compile("[\ue000-\uf8ff]")


def _ok(before: str, after: str) -> bool:
    if not after or after == before or "\n" in after or "\ufffd" in after:
        return False
    if len(_PRIVATE.findall(after)) > len(_PRIVATE.findall(before)):
        return False  # private-use characters may stand in a lower layer, never in the repair
    sa = charmodel.score(after)
    return sa >= _FLOOR and sa - charmodel.score(before) >= _GAIN


@functools.lru_cache(maxsize=4096)
def _peel(text: str, config: Config, depth: int, line_end: bool = False) -> str | None:
    """Best repair of a whole span through further layers (or None).

    ``line_end``: the span ends its line (a lost last byte is then likely a
    sentence-final mark's, in every layer).  Memoised: the same span text is often reached from several hypotheses
    or start positions (a Big5 -> GBK -> Big5 round trip gives the span
    back).
    """
    if depth >= _MAX_LAYERS:
        return None
    best: tuple[float, str] | None = None
    for rule, view, codec in _HYPOTHESES:
        if not config.enabled(rule):
            continue
        stream = _view_of(text, view)
        if stream is None or all(b < 0x80 for b in stream):
            continue
        units = _decode_units(stream, codec, _WRONG[view])
        if units is None:
            continue
        new, deeper = _layers(units, config, depth + 1, line_end)
        if new == text or (len(new) >= len(text) + 1 and codec != "utf-8" and view != "big5"):
            continue
        for cand in (new, deeper):
            if cand is not None:
                s = charmodel.score(cand)
                if best is None or s > best[0]:
                    best = (s, cand)
    return best[1] if best else None


_DEEP_WINDOW = 6  # characters of this layer on each side of a lost byte, judged through the next layer


def _window_bytes(chars: Sequence[str], view: str) -> bytes | None:
    """The ``view`` bytes of ``chars`` (a lost byte as NUL), or None when one has none."""
    out = bytearray()
    fn = _VIEWS[view]
    for ch in chars:
        b = fn(ch)
        if b is None:
            return None
        out += bytes(0 if x == _HOLE else x for x in b)
    return bytes(out)


def _inner_layer(text: str) -> bool:
    """Cheap test: can ``text`` itself be UTF-8 read as GBK (two three-byte characters in its GBK bytes)?"""
    raw = text.encode("gb18030", "replace")
    return len(_WIDE.findall(raw.decode("utf-8", "replace"))) + raw.count(_UTF8_FFFD) >= _E1_MIN_UNITS


@functools.lru_cache(maxsize=65536)
def _through_next(chars: str, config: Config) -> float:
    """How well ``chars`` read after one more layer is peeled (best hypothesis).

    The next layer is decoded leniently (``errors="replace"``, each U+FFFD
    costing as much as an unknown character twice over), so a window cut
    out of a longer span can be judged on its own.  A byte already lost in
    this layer (U+FFFD among ``chars``) is tried with every high byte.
    """
    best = -math.inf
    for rule, view, codec in _HYPOTHESES:
        if not config.enabled(rule):
            continue
        raw = _window_bytes(chars, view)
        if raw is None or raw.isascii():
            continue
        name = "gb18030" if codec == "gbk" else codec
        sc = _lenient(raw, name)
        hole = raw.find(0)
        while hole >= 0:  # each lost byte gets the fill that reads best, left to right
            fills = (raw[:hole] + bytes((v,)) + raw[hole + 1 :] for v in range(0x80, 0x100))
            sc, raw = max((_lenient(data, name), data) for data in fills)
            hole = raw.find(0, hole + 1)
        best = max(best, sc)
    return best


def _lenient(data: bytes, codec: str) -> float:
    """Log-probability of ``data`` decoded with replacement; a U+FFFD or NUL costs two unknown characters."""
    text = data.decode(codec, "replace")
    bad = text.count("\ufffd") + text.count("\x00")
    if bad:
        text = text.replace("\ufffd", "").replace("\x00", "")
    return charmodel.logprob(text) + 2 * bad * charmodel._get().unknown


def _layers(units: list[Choice], config: Config, depth: int, line_end: bool = False,
            context: str = "") -> tuple[str, str | None]:
    """(this layer's text, the best repair through further layers or None).

    A lost byte in this layer (a unit with candidates) is normally chosen by
    how its neighbours read (:func:`_resolve`).  When this layer does not read
    as Chinese (it is itself mojibake: a double encoding), its neighbours say
    nothing about the lost byte, so each candidate is judged instead by what
    the *next* layer makes of the characters around it
    (:func:`_through_next`); the right byte is usually the only one that
    keeps the next layer valid there.  ``涓`` + lost byte + ``...`` in the
    first layer of a double UTF-8-as-GBK is decided by whether ``中`` or
    garbage comes out underneath.
    """
    new = _resolve(units, line_end, context)
    plain = _peel(new, config, depth, line_end)
    choice_at = [k for k, u in enumerate(units) if not isinstance(u, str)]
    if (not choice_at or depth >= _MAX_LAYERS or len(new) != len(units) or charmodel.score(new) >= _FLOOR
            or not _inner_layer(new)):
        return new, plain  # this layer reads as Chinese (its neighbours chose well), or nothing is under it
    chosen = list(new)
    for k in choice_at:
        u = units[k]
        assert not isinstance(u, str)
        lo, hi = max(0, k - _DEEP_WINDOW), k + _DEEP_WINDOW + 1
        best = (_through_next("".join(chosen[lo:hi]), config), chosen[k])
        for cand, _bonus in u:
            if cand != best[1]:
                chosen[k] = cand
                sc = _through_next("".join(chosen[lo:hi]), config)
                if sc > best[0]:
                    best = (sc, cand)
        chosen[k] = best[1]
    layered = "".join(chosen)
    if layered == new:
        return new, plain
    deeper = _peel(layered, config, depth, line_end)
    if deeper is None or not _ok(new, deeper) or charmodel.score(deeper) <= _score(plain):
        return new, plain
    return layered, deeper


def _score(text: str | None) -> float:
    return -math.inf if text is None else charmodel.score(text)


_ftfy_config = None


@functools.lru_cache(maxsize=4096)
def _ftfy(span: str) -> str | None:
    """ftfy's repair of ``span``, or None (memoised: the same short runs, such as ``(yǔ)``, recur)."""
    global _ftfy_config
    import ftfy

    if _ftfy_config is None:
        _ftfy_config = ftfy.TextFixerConfig(
            uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False,
            normalization=None, unescape_html=False, explain=False,
        )
    out = ftfy.fix_text(span, _ftfy_config)
    return out if out != span else None


_ASCII_MARKS = frozenset(" ,.;:!?")
# A run of Latin text holding a character the Latin-1 view can have produced (for ftfy).
_LATIN_SPAN = re.compile(rf"[\x20-\x7e{_LATIN}]*[{_LATIN}][\x20-\x7e{_LATIN}]*")

# Pinyin with tone marks (`Běijīng`, `xièxiè`) is Latin text, not mojibake.
_PINYIN_ONLY = re.compile(r"[A-Za-z'’ \-āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+")


_NEIGHBOURS = 3  # characters of context on each side of a short span
_NEAR = 10 * _NEIGHBOURS  # characters looked at to find them (a ruby reading is at most 9)


def _neighbours(line: str, s: int, e: int) -> tuple[str, str]:
    """Up to :data:`_NEIGHBOURS` characters either side of ``line[s:e]``, ruby readings left out.

    A flattened reading (``鎮(zhèn)``) is removed by the ruby pass after this
    one, so it must not vote: ``鎮(zhèn)ÈÕ鎮(zhèn)`` judges ``ÈÕ -> 日`` between
    ``鎮`` and ``鎮``, as the next run would see it.
    """
    left = line[max(0, s - _NEAR) : s]
    right = line[e : e + _NEAR]
    if "(" in left or "（" in left:
        left = _RUBY_GROUP.sub("", left)
    if "(" in right or "（" in right:
        right = _RUBY_GROUP.sub("", right)
    return left[-_NEIGHBOURS:], right[:_NEIGHBOURS]


def _line_edits(text: str, ls: int, le: int, config: Config,
                hypotheses: tuple[tuple[str, str, str], ...] = _HYPOTHESES) -> list[Edit]:
    line = text[ls:le]
    proposals: list[tuple[float, int, int, str, str]] = []  # (-gain, start, end, new, rule)

    layered: set[tuple[int, int, str, str]] = set()  # (start, end, repair, rule) reached through a deeper layer
    current = [""]  # the rule whose spans ``accept`` is judging

    def accept(s: int, e: int, units: list[Choice], line_end: bool) -> str | None:
        old = line[s:e]
        if _PINYIN_ONLY.fullmatch(old):
            return None
        new, deeper = _layers(units, config, 1, line_end)
        if deeper is not None and charmodel.score(deeper) > charmodel.score(new):
            new = deeper
            layered.add((s, e, new, current[0]))
        # a short span is judged with its neighbours: garbage next to garbage gains little
        if e - s < 6:
            left, right = _neighbours(line, s, e)
            if not _ok(left + old + right, left + new + right):
                return None
        return new if _ok(old, new) else None

    latin_work: bool | None = None  # does the Latin-1 view have a run to walk (see _runs)?
    for rule, view, codec in hypotheses:
        if not config.enabled(rule):
            continue
        if view == "latin":
            if latin_work is None:
                latin_work = _LATIN_WORK_RUN.search(line) is not None
            if not latin_work:
                continue  # no run: _spans would yield nothing (a line of readings, `鎮(zhèn)`)
        current[0] = rule
        for s, e, new in _spans(line, view, codec, accept):
            if rule == R_BIG5 and len(_KANA.findall(new)) > len(_KANA.findall(line, s, e)):
                continue  # Big5's kana rows: a Chinese page's Big5/GBK mixup does not make Japanese
            # equal results: the hypothesis that needed fewer layers names the rule
            gain = (charmodel.score(line[s:e]) - charmodel.score(new)) * (e - s)
            proposals.append((gain + (1e-6 if (s, e, new, rule) in layered else 0.0), s, e, new, rule))
    if config.enabled(R_E3):
        for m in _LATIN_SPAN.finditer(line):
            s, e = m.span()
            while s < e and line[s] == " ":
                s += 1
            # ASCII marks at the end decode to themselves, and the punctuation
            # pass widens them later: judged without them, the span reads the
            # same in this run and the next
            while e > s and line[e - 1] in _ASCII_MARKS:
                e -= 1
            fixed = _ftfy(line[s:e])
            if fixed is not None and _ok(line[s:e], fixed):
                proposals.append(((charmodel.score(line[s:e]) - charmodel.score(fixed)) * (e - s), s, e, fixed, R_E3))
    # best proposals first, no overlaps
    proposals.sort()
    taken: list[tuple[int, int]] = []
    edits: list[Edit] = []
    for _g, s, e, new, rule in proposals:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        # only the characters that differ change
        p = 0
        old = line[s:e]
        while p < len(old) and p < len(new) and old[p] == new[p]:
            p += 1
        q = 0
        while q < len(old) - p and q < len(new) - p and old[-1 - q] == new[-1 - q]:
            q += 1
        edits.append(Edit(ls + s + p, ls + e - q, new[p : len(new) - q], rule))
    return edits


def find(text: str, config: Config) -> list[Edit]:
    """Propose mojibake repairs, one edit per garbled span.

    Fast path: ASCII text, then one compiled regex; only matching lines are
    examined.
    """
    if text.isascii():
        return []
    latin, rare = _patterns()
    # two separate searches: an alternation of the two big classes is slower
    first = ((rare, rare.search(text)), (latin, latin.search(text)))
    if first[0][1] is None and first[1][1] is None:
        return []
    lines: set[int] = set()
    latin_lines: set[int] = set()  # the lines the Latin-1 pair was found in (the scan passes every line)
    for pat, m in first:
        while m is not None:
            ls = text.rfind("\n", 0, m.start()) + 1
            lines.add(ls)
            if pat is latin:
                latin_lines.add(ls)
            le = text.find("\n", m.end())
            if le == -1:
                break
            m = pat.search(text, le)
    edits: list[Edit] = []
    for ls in sorted(lines):
        le = text.find("\n", ls)
        le = len(text) if le == -1 else le
        line = text[ls:le]
        got = _examine(line, config, rare_only=ls not in latin_lines)
        if not got:
            continue
        # a repair can expose more mojibake (two kinds in one span: `À´Ô´ä¸\x8aæµ·`
        # -> `À´Դ上海` -> `来源上海`) or give a short span better neighbours
        # (`鑷虹仯\x81íÔ´`: 臺灣 gains enough once the next span reads 來源):
        # a repaired line is examined again, so that the next run finds nothing
        cur = apply_edits(line, got)
        for _ in range(_ROUNDS - 1):
            more = _examine(cur, config)
            if not more:
                break
            got = compose_edits(line, got, more)
            cur = apply_edits(cur, more)
        edits.extend(Edit(ls + e.start, ls + e.end, e.replacement, e.rule) for e in got)
    return edits


_ROUNDS = 10  # times a line is examined at most, counting the first (each round after the first follows a repair)


def _examine(line: str, config: Config, rare_only: bool = False) -> list[Edit]:
    """Repairs of one line (offsets in the line), or [] when the line gate finds no evidence.

    ``rare_only``: the caller found a rare-character run in ``line`` and no
    Latin-1 pair, so when the probe is the line itself both searches are known.
    """
    latin, rare = _patterns()
    # flattened ruby readings (`戰(zhàn)“`) and no-break-space runs are not
    # mojibake evidence: look again without them before the costly search
    probe = line
    if "(" in line or "（" in line:
        probe = _RUBY_GROUP.sub("", line)
    if "\u00a0" in probe:
        probe = probe.replace("\u00a0", " ")
    if not (rare_only and probe is line):
        if latin.search(probe) is not None:
            return _line_edits(line, 0, len(line), config)
        if rare.search(probe) is None:
            return []
    hyps = _plausible(line, probe, rare)
    return _line_edits(line, 0, len(line), config, hyps) if hyps else []


# --------------------------------------------------------------- line gate
#
# A line whose only evidence is rare-character runs (no Latin-1 pair) is
# searched with a hypothesis only when one of its runs passes that
# hypothesis' cheap necessary condition (C-level encode/decode plus a
# unigram average: no bigram scoring, no search).  Clean text full of rare
# characters (idioms, classical text, names) fails them all and costs a few
# microseconds per run instead of the deep search; see :func:`_plausible`.

_E1_MIN_UNITS = 2  # three-byte UTF-8 characters the run's GBK bytes must hold
_BIG5_MIN_GAIN = 2.0  # nats per character the re-decoded run must gain (unigram average)
_E1_HYP = (R_E1, "gbk", "utf-8")
_G2B_HYP = (R_BIG5, "gbk", "big5")  # Big5 bytes shown as GBK
_B2G_HYP = (R_BIG5, "big5", "gbk")  # GBK bytes shown as Big5
_LATIN_HYPS = tuple(h for h in _HYPOTHESES if h[1] == "latin")
_LATIN_CHARS = re.compile(f"[{_LATIN}]")  # the characters the Latin-1 view can map
_WIDE = re.compile("[^\x00-\u07ff\ufffd]")  # decoded from three or four UTF-8 bytes
_UTF8_FFFD = b"\xef\xbf\xbd"  # a U+FFFD that was itself in the UTF-8 text
_uni: tuple[Callable[..., float | None], float] | None = None


def _unigram_table() -> tuple[Callable[..., float | None], float]:
    """(get, unknown): ``get(c, unknown)`` is the log-probability of ``c`` with ``t2s`` applied first.

    The Traditional characters are folded into the table (``t2s`` maps one
    character to one), so no ``translate`` is needed; the sum runs over the
    same values in the same order.
    """
    m = charmodel._get()
    table = dict(m.uni_logp)
    for t, s in m.t2s.items():
        assert len(s) == 1, (chr(t), s)  # one character for one: the text keeps its length
        lp = m.uni_logp.get(s)
        if lp is None:
            table.pop(chr(t), None)
        else:
            table[chr(t)] = lp
    return table.get, m.unknown


def _unigram(text: str) -> float:
    """Average unigram log-probability per character (Traditional folded)."""
    global _uni
    if _uni is None:
        _uni = _unigram_table()
    get, unknown = _uni
    if not text:
        return unknown
    return sum(map(get, text, itertools.repeat(unknown))) / len(text)  # type: ignore[arg-type]


def _plausible(line: str, probe: str, rare: re.Pattern[str]) -> tuple[tuple[str, str, str], ...]:
    """The hypotheses worth a span search on a line without a Latin-1 pair.

    Each rare-character run of ``probe`` (the line without ruby readings),
    with one character of context on either side, is tested one-shot:

    - UTF-8 shown as GBK (``R_E1``): the run's GBK bytes hold at least :data:`_E1_MIN_UNITS` valid
      three-byte UTF-8 characters.  Clean GBK text forms one by chance about
      once in 60 characters; UTF-8 Chinese is nothing else.  The test is
      structural only, so a second layer (double mojibake, whose first
      decode reads no better) passes too.
    - Big5 shown as GBK, GBK shown as Big5 (``R_BIG5``): both codecs are
      double-byte and clean text usually decodes in the other one, so
      structure says little; the run decoded the other way round must read
      better by :data:`_BIG5_MIN_GAIN` nats per character on the unigram
      model (real runs gain 4 to 11, clean runs lose).  Either direction
      opens both, because a layer peeled the wrong way round is peeled back
      by the other.

    A line holding a U+FFFD (a byte the wrong decoder rejected) is searched
    with every hypothesis: clean text has none, and the one-shot tests
    cannot see the pair the lost byte belonged to.

    The Latin-1 hypotheses (E2, E3) are searched whenever the line holds a
    character their view can map at all (without one they cannot match).
    A line that passes nothing is not searched: the deep search (every
    start, every layer) is what is slow, and it would find nothing the
    tests above rule out in all but contrived lines.
    """
    if "\ufffd" in probe:
        # a lost byte is damage in itself, and a rejected lead byte hides the
        # pair it belonged to from the one-shot tests: search it all
        return _HYPOTHESES
    e1 = big5 = False
    for m in rare.finditer(probe):
        w = probe[max(0, m.start() - 1) : m.end() + 1]
        raw = w.encode("gb18030", "replace")
        if not e1:
            e1 = len(_WIDE.findall(raw.decode("utf-8", "replace"))) + raw.count(_UTF8_FFFD) >= _E1_MIN_UNITS
        if not big5:
            base = _unigram(w) + _BIG5_MIN_GAIN
            big5 = _unigram(raw.decode("big5", "replace")) >= base
            if not big5:
                # the run itself must be Big5; a context character need not
                # (a run holds no `?`, and no Big5 byte is 0x3F: a `?` is a
                # character Big5 lacks)
                b5 = m.group().encode("big5", "replace")
                if b"?" not in b5:
                    s, e = m.span()
                    left, right = probe[max(0, s - 1) : s], probe[e : e + 1]
                    b5 = left.encode("big5", "ignore") + b5 + right.encode("big5", "ignore")
                    big5 = _unigram(b5.decode("gbk", "replace")) >= base
        if e1 and big5:
            break
    hyps = ((_E1_HYP,) if e1 else ()) + ((_G2B_HYP, _B2G_HYP) if big5 else ())
    if _LATIN_CHARS.search(line):
        hyps += _LATIN_HYPS
    return tuple(h for h in _HYPOTHESES if h in hyps)


_RUBY_GROUP = re.compile(r"[(（][a-zàáèéìíòóùúüāēěīńňōūǎǐǒǔǖǘǚǜǹḿ]{1,7}[)）]")
