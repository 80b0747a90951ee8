"""Undo byte-level edits that hit a GBK byte pair straddling two characters.

Some garbling programs edited the GBK-encoded *bytes* of a page with
``bytes.replace``.  Such a replace also matches where the trail byte of one
character and the lead byte of the next happen to equal the pattern.  The
decoder then meets an orphaned byte, shows it as ``?`` or ``\ufffd``, and
the damage is visible as a short ASCII tell inside Chinese text.  Both rules
re-create the byte string, reverse the edit and keep the result only when
the character model (:mod:`seedclean.charmodel`) says it clearly reads
better than every other candidate and than the damaged text.

``gbk-fold-straddle`` (taxonomy T2)
    A full-width mark ``，：；？！（）`` (GBK ``A3 xx``) was folded to ASCII at
    byte level.  Where ``A3 xx`` straddled a boundary, i.e. char1 = ``L A3``
    and char2 = ``xx T``, the fold left ``L 3F T`` (for ``？``): ``L`` is an
    orphan lead byte shown as ``?``/``\ufffd``, then the ASCII mark, then
    ``T`` (0x40-0x7E) shown as a Latin letter or symbol.  ``L`` is lost, so
    every lead byte 0x81-0xFE that makes ``L A3`` a valid GBK character is a
    candidate; the context decides::

        擔保??h農  ->  擔保。縣農     (。 = A1 A3, 縣 = BF 68)
        工作?,F在開始  ->  工作。現在開始   (現 = AC 46)

    A run of marks after the orphan is a chain of straddling pairs
    (``。。。`` = A1 A3 A1 A3 A1 A3 holds ``！`` = A3 A1 twice)::

        好的�!!Ｏ麓卧偎蛋伞�  ->  好的。。。下次再说吧。

    A variant where the decoder swallowed the mark with the orphan
    (``保?h農``) is tried with every mark, and accepted only between Han
    characters.

``gbk-ruby-straddle`` (taxonomy T1, misaligned case)
    A ruby replace ``gbk(ch) -> gbk(ch) + b"(" + reading + b")"`` matched the
    trail byte of the previous character and the lead byte of the next one.
    The reading names ``ch``; its first byte equals the previous
    character's trail byte and its second byte is the orphan (lost, shown as
    ``?``).  Candidates are the GBK characters with that lead byte whose
    dictionary reading (pypinyin) is the annotated one.  Removing the
    insertion and decoding again realigns the characters that followed::

        我們的報告?(zhèn)涫荜P注  ->  我們的報告備受關注
        (告 = B8 E6, 備 = 82 E4; E6 82 is 鎮)

``gbk-garbled-span`` (a finding, see :func:`garbled_spans`)
    What remains of a GBK stream that fell out of step after the repairs
    (a letter that a shifted byte pair explains, or a run of rare
    characters ending in ``\ufffd``) is reported with its position and
    left as it is::

        他們在北京舉行了曌h  ->  finding at line 1, column 9 (unchanged)

When no candidate clearly wins, nothing is emitted and the lossy-marker
pass reports the ``?``.
"""

from __future__ import annotations

import itertools
import operator
import re
from functools import cache, lru_cache

from seedclean import charmodel
from seedclean.chars import CJK_PUNCT, HAN
from seedclean.config import Config
from seedclean.edits import Edit, apply_edits, normalize_edits

__all__ = ["find", "garbled_spans", "RULE_FOLD", "RULE_RUBY", "RULE_PHASE", "RULE_GARBLED"]

RULE_FOLD = "gbk-fold-straddle"
RULE_RUBY = "gbk-ruby-straddle"
RULE_PHASE = "gbk-phase-shift"
RULE_GARBLED = "gbk-garbled-span"  # a finding: see garbled_spans()

# ASCII mark -> second byte of its full-width GBK form (first byte is A3).
_FOLD_TRAIL = {",": 0xAC, ":": 0xBA, ";": 0xBB, "?": 0xBF, "!": 0xA1, "(": 0xA8, ")": 0xA9}

_ORPHAN = "?\ufffd"
_TRAIL_ASCII = r"\x40-\x7e"
# Orphan + ASCII mark + exposed trail byte, after Chinese, not inside a Latin word.
# Orphan + ASCII mark after Chinese; what follows is the realigned next character.
_FOLD_RE = re.compile(rf"(?<=[{HAN}{CJK_PUNCT},;:!])[{_ORPHAN}]([,:;?!()])(?=[^\x00-\x3e])")
# Orphan + a run of ASCII marks: a chain of straddling pairs (`。。。` = A1 A3 A1 A3 A1 A3
# holds `！` = A3 A1 twice), each mark but the last standing for `x A3` with the next.
_FOLD_CHAIN_RE = re.compile(rf"(?<=[{HAN}{CJK_PUNCT}])[{_ORPHAN}]([,:;?!()]{{2,6}})(?=[^\x00-\x3e]|$)", re.M)
# Mark swallowed with the orphan: only between Han characters, a letter as trail byte.
_SWALLOW_RE = re.compile(rf"(?<=[{HAN}])[{_ORPHAN}]([A-Za-z])(?=[{HAN}])")
_LATIN_AFTER = re.compile(r"[\x40-\x7e][A-Za-z0-9]")
_PINYIN = "a-zàáâèéêìíòóùúüāēěīǐōǒūǔǖǘǚǜńňḿɑ"
_RUBY_RE = re.compile(rf"(?<=[{HAN}])[{_ORPHAN}]\(?([{_PINYIN}]{{1,7}}[1-5]?)\)")

_RUBY_ANY = re.compile(rf"\([{_PINYIN}]{{1,7}}[1-5]?\)")
_WINDOW = 6  # characters of context on each side
_MARGIN = 1.5  # nats of total log-probability a winner must beat the runner-up by
_GAIN = 0.8  # nats per character the repaired window must gain over the damaged one


def _gbk(ch: str) -> bytes | None:
    """GBK bytes of ``ch`` (GB18030: user-defined PUA and four-byte forms too)."""
    if ch == "\ufffd":
        return None
    try:
        return ch.encode("gb18030")
    except UnicodeEncodeError:
        return None


def _stream(rest: str) -> tuple[list[int], list[int]]:
    """Bytes of ``rest`` with -1 for each U+FFFD (a lost byte), and each char's end offset."""
    out: list[int] = []
    ends: list[int] = []
    for ch in rest:
        if ch == "\ufffd":
            out.append(-1)
        else:
            b = _gbk(ch)
            if b is None:
                break
            out += b
        ends.append(len(out))
    return out, ends


def _redecode(head: list[int], rest: str) -> tuple[int, str] | None:
    """Decode ``head`` + the bytes of ``rest`` until it agrees with ``rest`` again.

    Returns ``(n, new)``: ``head`` plus the first ``n`` characters of
    ``rest`` decode to ``new``, after which the decoding is ``rest``
    unchanged.  Lost bytes (U+FFFD) are chosen by context.
    """
    from seedclean.passes.mojibake import _resolve, _unit_gbk

    stream, ends = _stream(rest)
    rest = rest[: len(ends)]
    full = head + stream
    off = len(head)
    boundary = {off + e: i + 1 for i, e in enumerate(ends)}
    # once the decoding is back on a boundary of ``rest`` after its last lost
    # byte, it is ``rest`` itself from there on
    last_hole = max((i for i, v in enumerate(full) if v == -1), default=-1)
    pos = 0
    units: list[str | tuple[tuple[str, float], ...]] = []
    last: tuple[int, int] | None = None
    while pos < len(full):
        got = _unit_gbk(full, pos, None) or _lost_four(full, pos)
        if got is None:
            break
        pos, ch = got
        units.append(ch)
        if pos in boundary:
            last = (boundary[pos], len(units))
            if pos > last_hole:
                break
    if last is None:
        return None
    n, u = last
    new = _resolve(units[:u], False)
    k = 0
    while k < n and k < len(new) and rest[n - 1 - k] == new[-1 - k]:
        k += 1
    return n - k, new[: len(new) - k]


@cache
def _first_candidates() -> tuple[str, ...]:
    """Characters whose GBK form is ``L A3``."""
    out = []
    for lead in range(0x81, 0xFF):
        try:
            out.append(bytes((lead, 0xA3)).decode("gbk"))
        except UnicodeDecodeError:
            pass
    return tuple(out)


def _pair(lead: int, trail: int) -> str | None:
    try:
        ch = bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None
    return ch if len(ch) == 1 else None


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to ``_WINDOW`` characters each side on the same line, ruby readings removed."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    if le == -1:
        le = len(text)
    left = _RUBY_ANY.sub("", text[max(ls, start - 8 * _WINDOW) : start])[-_WINDOW:]
    # an injected "," before a (lost) mark is noise; do not let it vote
    left = left.rstrip(",")
    right = _RUBY_ANY.sub("", text[end : min(le, end + 8 * _WINDOW)])[:_WINDOW]
    return left, right


@lru_cache(maxsize=8192)
def _first_lefts(left: str) -> tuple[float, ...]:
    """Per first candidate ``a``: log P(a | ``left``) (normalised chars), or its unigram without ``left``."""
    m = charmodel._get()
    firsts = m.norm("".join(_first_candidates()))
    if not left:
        return tuple(m.uni_logp.get(a, m.unknown) for a in firsts)
    return tuple(m.pair_logp(left, a) for a in firsts)


@lru_cache(maxsize=8192)
def _first_rights(right: str) -> tuple[float, ...]:
    """Per first candidate ``a``: log P(``right`` | a) (normalised chars)."""
    m = charmodel._get()
    return tuple(m.pair_logp(a, right) for a in m.norm("".join(_first_candidates())))


def _scores(left: str, tail: str, edge: str) -> list[float]:
    """``logprob(a + tail, left) + (logprob(edge, a + tail) if edge else 0.0)`` for every first candidate ``a``.

    The same floating-point sums in the same order as the per-candidate
    calls (the model is a bigram model and its normalisation maps one
    character to one character), computed once per position for all
    candidates: only the first pair and the second one depend on ``a``.
    """
    m = charmodel._get()
    t = m.norm(left[-1:] + tail + edge)
    nl = t[0] if left else ""
    if left:
        t = t[1:]
    nt = t[: len(tail)]
    out = list(map(operator.add, _first_lefts(nl), _first_rights(nt[0])))
    for x, y in itertools.pairwise(nt):
        out = list(map(m.pair_logp(x, y).__add__, out))
    return list(map((m.pair_logp(nt[-1], t[-1]) if edge else 0.0).__add__, out))


def _pick(left: str, right: str, original: str, tails: list[str], gain: float) -> str | None:
    """The candidate ``a + tail`` (``a`` a first candidate) that clearly reads best in context, or None."""
    if not tails:
        return None
    # only the candidate differs: score it with its two neighbours (the rest
    # of the window adds the same constant to every candidate)
    edge = right[:1]
    firsts = _first_candidates()
    scored_pairs: list[tuple[float, str]] = []
    for tail in tails:
        cands = map(operator.add, firsts, itertools.repeat(tail))
        scored_pairs.extend(zip(_scores(left, tail, edge), cands, strict=True))
    scored = sorted(scored_pairs, reverse=True)
    if len(scored) > 1 and scored[0][0] - scored[1][0] < _MARGIN:
        return None
    best = scored[0][1]
    best_lp = charmodel.logprob(left + best + right)
    n_best = len(left + best + right)
    n_orig = len(left + original + right)
    if best_lp / n_best - charmodel.logprob(left + original + right) / n_orig < gain:
        return None
    return best


def _realign(text: str, pos: int, lead: int) -> tuple[int, str] | None:
    """Put byte ``lead`` back before the GBK bytes of ``text[pos:]`` (same line).

    Returns ``(end, new)``: decoding ``lead + gbk(text[pos:end])`` gives
    ``new``, after which the realigned decoding agrees with the text again.
    None when the realigned bytes do not decode cleanly.
    """
    le = text.find("\n", pos)
    if le == -1:
        le = len(text)
    got = _redecode([lead], text[pos : min(le, pos + 200)])
    # a U+FFFD may stay only for one the text showed (a four-byte character that lost a byte)
    if got is None or not got[1] or got[1].count("\ufffd") > text.count("\ufffd", pos, pos + got[0]):
        return None
    return pos + got[0], got[1]


def _fold_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _FOLD_RE.finditer(text):
        lead2 = _FOLD_TRAIL[m.group(1)]
        if text[m.end()] in _ORPHAN:
            # the second character's trail byte was itself lost (decoder shows it as ?)
            end = m.end() + 1
            nxt = _gbk(text[end]) if end < len(text) else b""
            if nxt is None:
                continue
            seconds = []
            for x in range(0x80, 0xFF):
                c = _pair(lead2, x)
                if c is not None and (not nxt or _pair(x, nxt[0]) is None):
                    seconds.append(c)
            left, right = _context(text, m.start(), end)
            best = _pick(left, right, text[m.start() : end], seconds, _GAIN)
            if best is not None:
                edits.append(Edit(m.start(), end, best, RULE_FOLD))
            continue
        got = _realign(text, m.end(), lead2)
        if got is None:
            continue
        end, second = got
        # An exposed trail byte (ASCII letter/symbol) is strong evidence by itself.
        exposed = end - m.end() == 1 and not _LATIN_AFTER.match(text, m.end())
        left, right = _context(text, m.start(), end)
        best = _pick(left, right, text[m.start() : end], [second], 0.0 if exposed else _GAIN)
        if best is not None:
            edits.append(Edit(m.start(), end, best, RULE_FOLD))
    for m in _FOLD_CHAIN_RE.finditer(text):
        marks = m.group(1)
        middle = [_pair(_FOLD_TRAIL[mk], 0xA3) for mk in marks[:-1]]
        if None in middle:
            continue
        end = m.end()
        lead2 = _FOLD_TRAIL[marks[-1]]
        if end < len(text) and text[end] != "\n":
            got = _realign(text, end, lead2)
            if got is None:
                continue
            end, second = got
            seconds = [second]
        else:  # the chain ends the line: the last pair lost its trail byte
            seconds = [c for x in range(0x40, 0xFF) if (c := _pair(lead2, x)) is not None and c in CJK_PUNCT]
        left, right = _context(text, m.start(), end)
        mid = "".join(c for c in middle if c is not None)
        best = _pick(left, right, text[m.start() : end], [mid + b for b in seconds], _GAIN)
        if best is not None:
            edits.append(Edit(m.start(), end, best, RULE_FOLD))
    for m in _SWALLOW_RE.finditer(text):
        trail = ord(m.group(1))
        # sorted: the candidates' order must not depend on string hashing
        swallowed = sorted({c for mk in _FOLD_TRAIL if (c := _pair(_FOLD_TRAIL[mk], trail)) is not None})
        left, right = _context(text, m.start(), m.end())
        best = _pick(left, right, m.group(0), swallowed, _GAIN)
        if best is not None:
            edits.append(Edit(m.start(), m.end(), best, RULE_FOLD))
    return edits


@lru_cache(maxsize=4096)
def _ruby_candidates(lead: int, reading: str) -> tuple[tuple[int, str], ...]:
    """(trail byte, char) for GBK chars ``lead xx`` that read ``reading``."""
    from pypinyin import Style, pinyin

    out = []
    for trail in range(0x40, 0xFF):
        if trail == 0x7F:
            continue
        ch = _pair(lead, trail)
        if ch is None:
            continue
        readings: set[str] = set()
        for style in (Style.TONE, Style.NORMAL, Style.TONE3):
            got = pinyin(ch, style=style, heteronym=True, errors="ignore")
            if got:
                readings.update(got[0])
        if reading in readings or reading.replace("ɑ", "a") in readings:
            out.append((trail, ch))
    return tuple(out)


def _ruby_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _RUBY_RE.finditer(text):
        prev_b = _gbk(text[m.start() - 1])
        if prev_b is None or len(prev_b) != 2:
            continue
        cands = _ruby_candidates(prev_b[1], m.group(1))
        if not cands:
            continue
        le = text.find("\n", m.end())
        if le == -1:
            le = len(text)
        rest = text[m.end() : min(le, m.end() + 200)]
        options: dict[str, tuple[int, str]] = {}
        for trail, _ch in cands:
            got = _redecode([trail], rest)
            if got is None or not got[1] or "\ufffd" in got[1]:
                continue
            options[got[1]] = (got[0], got[1])
        if not options:
            continue
        left, _ = _context(text, m.start(), m.start())
        # compare on the same span: orig = ?(reading) + damaged run; candidates differ in run length
        scored = []
        for new, (old_len, _) in options.items():
            end = m.end() + old_len
            _, right = _context(text, end, end)
            lp = charmodel.logprob(left + new + right) / len(left + new + right)
            olp = charmodel.logprob(left + text[m.start() : end] + right) / len(left + text[m.start() : end] + right)
            scored.append((lp - olp, lp, new, end))
        scored.sort(reverse=True)
        gain, lp, new, end = scored[0]
        if gain < _GAIN:
            continue
        if len(scored) > 1 and scored[1][2] != new and scored[0][1] - scored[1][1] < _MARGIN / len(new):
            continue
        edits.append(Edit(m.start(), end, new, RULE_RUBY))
    return edits


_PHASE_GAIN = 1.5  # nats per character a re-phased region must gain
_GUESS_COST = 6.0  # nats charged to a hypothesis that invents a lost byte
_PUA = re.compile("[\ue000-\uf8ff\ufffd]")
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def _phase_edits(text: str) -> list[Edit]:
    """``gbk-phase-shift``: one byte lost or gained inside a GBK stream (taxonomy T4).

    From the byte where it happened the decoder pairs the wrong bytes and
    shows valid but rare characters until an ASCII byte or the end of the
    line resynchronises it (then usually with a U+FFFD for the odd byte)::

        “十四五”以来  -> (first byte lost)  笆奈濉币岳...

    or until a trail byte in 0x40-0x7E, which it shows as an ASCII letter
    or symbol (``許多矊W者 -> 許多學者``: a byte gained before 學).

    A shift that runs into a four-byte GB18030 character (an emoji) shows
    its ASCII digits and a U+FFFD for the byte the decoder rejected; the
    characters before it are re-phased and the lost character stays a
    U+FFFD, reported by the lossy pass::

        我已经仿蚝闷绷藬9�  ->  我已经买好票了�     (🎬 = 94 39 C1 30)

    Sites: a run of rare characters, a U+FFFD after Chinese, an ASCII letter
    or symbol right after Chinese (:data:`_TELL`), a digit and a U+FFFD
    right after Chinese (:data:`_GB4_LOST`).  At each of the few
    characters before the site a lost byte is put back (as a lead or a trail
    byte, chosen by context) or a gained one dropped, and the decoding that
    reads clearly best is kept.
    """
    from seedclean.passes.mojibake import _patterns

    _, rare = _patterns()
    sites: list[tuple[int, int, int]] = []  # (first start, last start, end)
    for m in rare.finditer(text):
        a = m.start()
        ls = text.rfind("\n", 0, a) + 1
        le = _line_end(text, a)
        b = m.end()
        while b < le and text[b] >= "\x80" and text[b] != "\ufffd" and not text[b].isspace():
            b += 1
        if b < le and text[b] == "\ufffd":
            b += 1
        tail = _GB4_TAIL.match(text, b, le)
        if tail is not None:
            # the shifted stream ran into a four-byte GB18030 character (an
            # emoji, an Extension B character) and shows its ASCII digits
            sites.append((max(ls, a - 4), a, tail.end()))
        sites.append((max(ls, a - 4), a, b))
    for q in _fffd_sites(text):
        lo = _run_start(text, q, _SITE_SPAN)
        if q - lo >= 2:
            sites.append((lo, q - 2, q + 1))
    for m in _TELL.finditer(text):
        p = m.start()
        if not _tell_worth(text, p):
            continue
        lo = _run_start(text, p, _SITE_SPAN)
        sites.append((lo, p - 1, p + 1))
    if "\ufffd" in text:
        for m in _GB4_LOST.finditer(text):
            p = m.start()
            lo = _run_start(text, p, _SITE_SPAN)
            if p - lo >= 2:
                sites.append((lo, p - 1, m.end()))
    sites.sort(key=lambda t: (t[2], t[0]))
    edits: list[Edit] = []
    for lo, hi, b in sites:
        if edits and lo < edits[-1].end:
            continue
        got = _phase_site(text, lo, hi, b)
        if got is not None:
            edits.append(got)
    return edits


# What a shifted decoder shows of a four-byte GB18030 character after a run of
# double-byte ones: its two ASCII digits, with its third byte between them as
# a U+FFFD (rejected) or inside one character.
_GB4_TAIL = re.compile("[0-9](?:\ufffd[0-9]?|[^\x00-\x7f\n][0-9])")
# The same with its third byte rejected, right after a double-byte character: a site of its own.
_GB4_LOST = re.compile("(?<=[\u0100-\ufffc])[0-9]\ufffd[0-9]?")


_TELL_GAIN = 12.0  # nats the shifted pair (trail byte, letter) must gain over the two characters it replaces
_SITE_SPAN = 14  # characters before a U+FFFD or a letter where the shift may have started
# An ASCII letter or symbol (a trail byte 0x40-0x7E) right after a double-byte
# character, not the start of a Latin word.
# The lookbehind comes after the byte so that the scan starts from a small
# character class (fast) rather than testing a lookbehind at every position.
_TELL = re.compile(r"[\x40-\x7e](?<=[\u2e80-\ufaff\uff00-\uffef][\x40-\x7e])(?![A-Za-z])")
_ASCII_TELL = re.compile(rb"[\x40-\x7e]")  # the first character of _TELL, in the ASCII bytes of a text


def _line_end(text: str, pos: int) -> int:
    le = text.find("\n", pos)
    return len(text) if le == -1 else le


# The full-width forms of the ASCII marks that the punctuation pass widens
# next to Chinese.  The ASCII marks are bytes below 0x40, which no GBK
# character contains, so the run of double-byte characters before a U+FFFD
# or a letter (where a shift may have started) ends at them; it ends at
# their full-width forms too, or the next run would find a site where this
# one did not (`,》\ufffd` -> punctuation -> `，》\ufffd` -> gbk-phase-shift).
# For the same reason no region starts at one.  (A shifted decoder can show
# them by chance, A3 xx after 。, so a rare-run region may still cross them.)
_SYNC = "，：；？！（）"


def _run_start(text: str, pos: int, span: int) -> int:
    """Start of the run of double-byte characters that ends at ``pos`` (at most ``span``)."""
    lo = pos
    while lo > 0 and pos - lo < span:
        c = text[lo - 1]
        if c < "\u0100" or c == "\ufffd" or c == "\n" or c in _SYNC:
            break
        b = _gbk(c)
        if b is None or len(b) != 2:
            break
        lo -= 1
    return lo


def _fffd_sites(text: str) -> list[int]:
    out: list[int] = []
    pos = text.find("\ufffd")
    while pos != -1 and len(out) < 64:
        # a lone U+FFFD after Chinese (a run of them is a real loss)
        if pos > 0 and text[pos - 1] >= "\u0100" and text[pos - 1] != "\ufffd" and text[pos + 1 : pos + 2] != "\ufffd":
            out.append(pos)
        pos = text.find("\ufffd", pos + 1)
    return out


def _tell_worth(text: str, p: int) -> bool:
    """Cheap test: does the shifted pair (previous char's trail byte, letter) read better?

    It reads ``text[p - 3 : p + 3]`` only, so it is memoised on that window
    (the same letters after the same characters recur: ``A股``, ``X光``).
    """
    lo = max(0, p - 3)
    key = (text[lo : p + 3], p - lo)
    got = _TELL_MEMO.get(key)
    if got is None:
        got = _tell_worth_new(text, p)
        if len(_TELL_MEMO) >= _TELL_MEMO_MAX:
            _TELL_MEMO.clear()
        _TELL_MEMO[key] = got
    return got


_TELL_MEMO: dict[tuple[str, int], bool] = {}
_TELL_MEMO_MAX = 1 << 14


def _tell_worth_new(text: str, p: int) -> bool:
    if text[p - 1] in _SYNC:  # like its ASCII form, which no shift pairs with the letter
        return False
    prev = _gbk(text[p - 1])
    if prev is None or len(prev) != 2:
        return False
    ch = _pair(prev[1], ord(text[p]))
    if ch is None or _PUA.match(ch):
        return False
    right = text[p + 1 : p + 3]
    left = text[max(0, p - 3) : p - 1]
    return charmodel.logprob(left + ch + right) - charmodel.logprob(left + text[p - 1 : p + 1] + right) >= _TELL_GAIN


_WIDEN = str.maketrans(",:;?!", "，：；？！")
_COMMAS = re.compile("，+(?=[，、。；：？！])")  # an injected comma before a mark: `,,` `,:` `,、`


def _as_final(context: str) -> str:
    """``context`` as the later passes leave it next to Chinese (for scoring).

    ASCII marks take their full-width forms and no-break and ideographic
    spaces go, as the punctuation and space passes will do: scored as it
    stands, a site would be judged differently by the next run (`中国,,`
    there reads `中国，`, `中国,:` reads `中国：`, `中\u3000中国` reads `中中国`).
    """
    if context.isascii():
        return context
    if "\u3000" in context or "\xa0" in context:
        context = context.replace("\u3000", "").replace("\xa0", "")
    if not any(c in context for c in ",:;?!"):
        return context
    return _COMMAS.sub("", context.translate(_WIDEN))


def _phase_site(text: str, lo: int, hi: int, b: int) -> Edit | None:
    """Best re-phasing of ``text[start:b]`` for a start in ``lo..hi``, or None."""
    from seedclean.passes.mojibake import _resolve, _unit_gbk

    ls = text.rfind("\n", 0, b - 1) + 1
    le = _line_end(text, b - 1)
    # trailing spaces are not context: the space pass removes them
    le = max(b, ls + len(text[ls:le].rstrip()))
    w0 = max(ls, lo - 8)
    w1 = min(le, b + 4)
    best: tuple[float, int, str] | None = None
    at_end = b == le
    for start in range(lo, hi + 1):
        region = text[start:b]
        # one shift resynchronises once: a region with two U+FFFDs is other damage
        # (and every pair of lost bytes would multiply the candidates)
        if (region[:1] < "\x80" or region[:1] == "\ufffd" or region[:1] in _SYNC or len(region) < 2
                or region.count("\ufffd") > 1):
            continue
        stream, _ends = _stream(region)
        if len(_ends) != len(region) or not stream or stream[0] == -1:
            continue
        trials = (
            [-1, *stream],  # lost lead byte
            [*stream[:1], -1, *stream[1:]],  # lost trail byte
            stream[1:],  # gained byte
            stream[:1] + stream[2:],  # gained byte inside the character
        )
        for n_trial, trial in enumerate(trials):
            pos = 0
            units: list[str | tuple[tuple[str, float], ...]] = []
            while pos < len(trial):
                got = _unit_gbk(trial, pos, None)
                if got is None:
                    got = _lost_four(trial, pos)
                    if got is None:
                        break
                pos, ch = got
                units.append(ch)
            if pos != len(trial) or not units:
                continue
            new = _resolve(units, at_end, _as_final(text[max(ls, start - 3) : start]))
            if (_PUA.search(new.replace("\ufffd", "")) or new.count("\ufffd") > region.count("\ufffd")
                    or _FULLWIDTH_ALNUM.search(new)):
                # full-width letters and digits are what a shift through GBK
                # punctuation rows produces, not what a page says
                continue
            cand = _as_final(text[w0:start]) + new + _as_final(text[b:w1])
            # a guessed (lost) byte costs: an extra common character must pay its way
            lp = (charmodel.logprob(cand) - (_GUESS_COST if n_trial < 2 else 0.0)) / len(cand)
            if best is None or lp > best[0]:
                best = (lp, start, new)
    if best is None:
        return None
    lp, start, new = best
    # judged on a window around the chosen region; the damaged window is
    # scored without its U+FFFDs: removing an unknown character is no
    # evidence by itself
    l0 = max(ls, start - 6)
    left, right = _as_final(text[l0:start]), _as_final(text[b:w1])
    after = left + new + right
    if charmodel.score(after) - charmodel.score((left + text[start:b] + right).replace("\ufffd", "")) < _PHASE_GAIN:
        return None
    return Edit(start, b, new, RULE_PHASE)


def _lost_four(stream: list[int], pos: int) -> tuple[int, str] | None:
    """A four-byte GB18030 character that lost a byte (``lead digit ? digit``): U+FFFD, or None.

    At the end of the stream the last two bytes may be one U+FFFD (``lead digit ?``).

    Which character it was is not known (its candidates are emoji or
    Extension B characters the model cannot tell apart), so the U+FFFD the
    damaged text already showed stays, and the lossy pass reports it; the
    characters before it are re-phased.
    """
    seq = stream[pos : pos + 4]
    if len(seq) < 4 and pos + len(seq) != len(stream):
        return None
    # the last two bytes may have been shown as one U+FFFD at the end of the stream
    if len(seq) >= 3 and -1 in seq[2:] and 0x81 <= seq[0] <= 0xFE and 0x30 <= seq[1] <= 0x39 \
            and (len(seq) == 3 or seq[3] == -1 or 0x30 <= seq[3] <= 0x39):
        return pos + len(seq), "\ufffd"
    return None


_LINE_ROUNDS = 6


def _line_round(line: str, flags: tuple[bool, bool, bool]) -> list[Edit]:
    ruby_on, fold_on, phase_on = flags
    edits: list[Edit] = []
    if ruby_on:
        edits.extend(_ruby_edits(line))
    if fold_on:
        taken = [(e.start, e.end) for e in edits]
        for e in _fold_edits(line):
            if all(e.end <= s or e.start >= t for s, t in taken):
                edits.append(e)
    if not edits and phase_on:
        edits.extend(_phase_edits(line))
    return edits


def find(text: str, config: Config) -> list[Edit]:
    """Propose ``gbk-fold-straddle``, ``gbk-ruby-straddle`` and ``gbk-phase-shift`` repairs.

    Fast path: text without ``?`` or U+FFFD has nothing to do.  A line is
    repaired in rounds (a repair can expose the next straddle further on),
    and the changed part of the line becomes one edit named after the first
    rule that fired.
    """
    first = None
    if "?" not in text and "\ufffd" not in text:
        # a _TELL letter is ASCII: text without one (most Chinese prose) is
        # ruled out by its ASCII characters alone, extracted in C, at a tenth
        # of a scan; readings (`(zhèn)`) mean letters, so that text is scanned
        if "(" not in text and _ASCII_TELL.search(text.encode("ascii", "ignore")) is None:
            return []
        first = _TELL.search(text)
        if first is None:
            return []
    flags = (config.enabled(RULE_RUBY), config.enabled(RULE_FOLD), config.enabled(RULE_PHASE))
    edits: list[Edit] = []
    for ls, le in _suspect_lines(text, first):
        got = _line_edit(text[ls:le], flags)
        if got is not None:
            p, q, new, rule = got
            edits.append(Edit(ls + p, le - q, new, rule))
    return edits


# Line -> its repair, for :func:`find` (a line's repair depends on the line
# alone: boilerplate and repeated paragraphs are repaired once).  Bounded.
_LINE_MEMO: dict[tuple[str, tuple[bool, bool, bool]], tuple[int, int, str, str] | None] = {}
_LINE_MEMO_MAX = 4096
_LINE_MEMO_LONGEST = 2048  # characters; longer lines are not kept


def _line_edit(line: str, flags: tuple[bool, bool, bool]) -> tuple[int, int, str, str] | None:
    """(changed prefix length, unchanged suffix length, replacement, rule) for one line, or None."""
    key = (line, flags)
    try:
        return _LINE_MEMO[key]
    except KeyError:
        pass
    got = _line_edit_uncached(line, flags)
    if len(line) <= _LINE_MEMO_LONGEST:
        if len(_LINE_MEMO) >= _LINE_MEMO_MAX:
            _LINE_MEMO.clear()
        _LINE_MEMO[key] = got
    return got


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix of ``a`` and ``b`` (slice comparisons, no per-character loop)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the common suffix of ``a`` and ``b``, at most ``limit``."""
    la, lb = len(a), len(b)
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid : la - lo] == b[lb - mid : lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _line_edit_uncached(line: str, flags: tuple[bool, bool, bool]) -> tuple[int, int, str, str] | None:
    cur = line
    rule = None
    for _ in range(_LINE_ROUNDS):
        found = _line_round(cur, flags)
        if not found:
            break
        rule = rule or min(found, key=lambda e: e.start).rule
        cur = apply_edits(cur, normalize_edits(found))
    if rule is None or cur == line:
        return None
    p = _common_prefix(line, cur)
    q = _common_suffix(line, cur, min(len(line), len(cur)) - p)
    return p, q, cur[p : len(cur) - q], rule


_LOSS = re.compile("[?\ufffd]")


def _suspect_lines(text: str, first: re.Match[str] | None = None) -> list[tuple[int, int]]:
    """Lines with a ``?``, a U+FFFD or a letter that a phase shift explains (:func:`_tell_worth`).

    Two separate searches: an alternation with the look-behind of
    :data:`_TELL` would lose the regex engine's first-character scan.
    ``first`` is the first match of :data:`_TELL` when the caller has it.
    """
    starts: set[int] = set()
    for pat, check in ((_LOSS, False), (_TELL, True)):
        if not check and "?" not in text and "\ufffd" not in text:
            continue
        pos = 0
        m: re.Match[str] | None
        while True:
            if check and first is not None:
                m, first = first, None
            else:
                m = pat.search(text, pos)
            if m is None:
                break
            if check and not _tell_worth(text, m.start()):
                pos = m.end()
                continue
            starts.add(text.rfind("\n", 0, m.start()) + 1)
            le = text.find("\n", m.end())
            if le == -1:
                break
            pos = le + 1
    return [(ls, _line_end(text, ls)) for ls in sorted(starts)]


_GARBLED_MSG = "run of rare characters that reads like a GBK stream out of step (a lost or gained byte); not repaired"


def garbled_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, message) for phase-shift damage that :func:`find` did not repair.

    Meant to run on the repaired text (like ``lossy.scan``): a letter that a
    shifted pair explains (:func:`_tell_worth`), or a run of rare characters
    that ends in a U+FFFD or such a letter.  Same fast path as :func:`find`.
    """
    if "\ufffd" not in text and _TELL.search(text) is None:
        return []
    from seedclean.passes.mojibake import _patterns

    _, rare = _patterns()
    out: list[tuple[int, int, str]] = []
    for m in _TELL.finditer(text):
        p = m.start()
        if _tell_worth(text, p):
            out.append((max(_run_start(text, p, 4), p - 1), p + 1, _GARBLED_MSG))
    if "\ufffd" in text:
        for m in rare.finditer(text):
            e = m.end()
            le = _line_end(text, e)
            while e < le and text[e] >= "\x80" and text[e] != "\ufffd":
                e += 1
            if e < le and text[e] == "\ufffd":
                out.append((m.start(), e + 1, _GARBLED_MSG))
    out.sort()
    merged: list[tuple[int, int, str]] = []
    for s0, e0, msg in out:
        if merged and s0 < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e0), msg)
        else:
            merged.append((s0, e0, msg))
    return merged
