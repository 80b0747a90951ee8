#!/usr/bin/env python3
"""Accuracy benchmark: corrupt clean Chinese texts in every family of issue 3, repair, score.

Run ``python3 benchmarks/accuracy.py`` (Markdown table on stdout; ``--quick``
for the small subset that ``tests/test_accuracy.py`` uses, ``--show FAMILY``
to print the worst samples of one family).

Clean texts (``benchmarks/corpus/*.txt``, written for this benchmark, except
the Tang poems and the Analects quotation in ``classical.txt``, which are
public domain) come in six registers: ``news`` (Simplified news),
``chat`` (forum chat with emoji, ``……``, ``。。。`` and emoticons),
``classical`` (poetry), ``tech`` (code, URLs, commands), ``tw``
(Taiwanese Traditional) and ``rare`` (Extension A/B characters).  A blank
line separates documents.  Every text is already clean by
``/work/shared/CONVENTIONS.md``, so the expected output of the pipeline is
the original text; Traditional sources are repaired with ``script="keep"``
so script conversion does not count as an error.  ``news-hant`` is the news
register put through OpenCC ``s2t`` (the byte-level garbling programs ran on
machine-converted Traditional pages).

Each family is a deterministic function of the clean text and a
``random.Random`` seeded from the family and document names.  The scorer
reports, per family:

* ``CER before`` / ``CER after``: Levenshtein distance between the text and
  the original, divided by the length of the original, summed over the
  family's documents (line by line: no pass adds or removes a line);
* ``exact``: documents restored exactly;
* ``check``: documents for which :func:`seedclean.check` returns at least
  one repair or finding with a line and column (for the controls: documents
  with *no* finding, which is the target);
* ``information``: ``present`` when the corrupted text still holds every
  byte of the original (target: CER after <= 1%), ``1 byte`` when exactly
  one byte per event is gone and the repair has to pick it from context
  (a handful to a few dozen candidates; same target), ``lost`` when whole
  characters were replaced (reported, no target).

Controls are the clean documents themselves: the target is 0 changed
characters and 0 findings.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
sys.path.insert(0, str(HERE.parent / "src"))

import seedclean  # noqa: E402

TRADITIONAL = {"tw", "news-hant"}
SIMPLIFIED_PROSE = ("news", "chat", "classical", "tech", "rare")


# ------------------------------------------------------------------ corpus


@dataclass(frozen=True)
class Doc:
    register: str
    index: int
    text: str

    @property
    def name(self) -> str:
        return f"{self.register}-{self.index}"

    @property
    def options(self) -> dict[str, str]:
        return {"script": "keep"} if self.register in TRADITIONAL else {}


def load_corpus() -> dict[str, list[Doc]]:
    out: dict[str, list[Doc]] = {}
    for path in sorted(CORPUS.glob("*.txt")):
        reg = path.stem
        blocks = [b.strip("\n") for b in path.read_text(encoding="utf-8").split("\n\n")]
        out[reg] = [Doc(reg, i, b) for i, b in enumerate(blocks) if b.strip()]
    import opencc

    s2t = opencc.OpenCC("s2t")
    out["news-hant"] = [Doc("news-hant", d.index, s2t.convert(d.text)) for d in out["news"]]
    return out


# ------------------------------------------------------------------ codecs


def _c1_handler(exc: UnicodeError) -> tuple[str, int]:
    """WHATWG windows-1252: the five undefined bytes decode to C1 controls."""
    assert isinstance(exc, UnicodeDecodeError)
    return "".join(chr(b) for b in exc.object[exc.start : exc.end]), exc.end


import codecs  # noqa: E402

codecs.register_error("bench-c1", _c1_handler)


def gbk_bytes(text: str) -> bytes:
    # GB18030 is GBK plus four-byte sequences for what GBK lacks (emoji, Ext-B)
    return text.encode("gb18030")


def as_gbk(data: bytes) -> str:
    """What a browser shows for bytes labelled GBK: user-defined rows -> PUA, bad bytes -> U+FFFD."""
    return data.decode("gb18030", errors="replace")


def as_cp1252(data: bytes) -> str:
    return data.decode("cp1252", errors="bench-c1")


# ------------------------------------------------------------------ families

Corrupt = Callable[[str, Random], "str | None"]


def utf8_as_gbk(text: str, rng: Random) -> str:
    return as_gbk(text.encode("utf-8"))


def utf8_as_gbk_lossy(text: str, rng: Random) -> str:
    # strict GBK decoder (no user-defined rows), then the result saved as GBK: U+FFFD -> '?'
    return text.encode("utf-8").decode("gbk", errors="replace").replace("\ufffd", "?")


def gbk_as_latin1(text: str, rng: Random) -> str:
    return gbk_bytes(text).decode("latin-1")


def gbk_as_cp1252(text: str, rng: Random) -> str:
    return as_cp1252(gbk_bytes(text))


def big5_as_gbk(text: str, rng: Random) -> str | None:
    try:
        data = text.encode("big5")
    except UnicodeEncodeError:
        return None
    return as_gbk(data)


def gbk_as_big5(text: str, rng: Random) -> str | None:
    try:
        data = text.encode("gbk")
    except UnicodeEncodeError:
        return None
    return data.decode("big5", errors="replace")


def double_utf8_as_gbk(text: str, rng: Random) -> str:
    return as_gbk(as_gbk(text.encode("utf-8")).encode("utf-8"))


def utf8_as_gbk_then_cp1252(text: str, rng: Random) -> str:
    return as_cp1252(as_gbk(text.encode("utf-8")).encode("utf-8"))


def utf8_as_cp1252(text: str, rng: Random) -> str:
    return as_cp1252(text.encode("utf-8"))


def _high_positions(data: bytes) -> list[int]:
    """Byte offsets inside runs of double-byte characters (not the first or last of a line)."""
    out = []
    for i in range(2, len(data) - 2):
        if data[i] >= 0x81 and data[i - 1] >= 0x81 and data[i + 1] >= 0x81:
            out.append(i)
    return out


def gbk_lost_byte(text: str, rng: Random) -> str | None:
    data = gbk_bytes(text)
    pos = _high_positions(data)
    if not pos:
        return None
    i = rng.choice(pos)
    return as_gbk(data[:i] + data[i + 1 :])


def gbk_gained_byte(text: str, rng: Random) -> str | None:
    data = gbk_bytes(text)
    # a character boundary inside a run of Chinese
    bounds = []
    i = 0
    while i < len(data):
        b = data[i]
        step = 1 if b < 0x80 else (4 if i + 1 < len(data) and 0x30 <= data[i + 1] <= 0x39 else 2)
        if b >= 0x81 and i >= 2 and data[i - 2] >= 0x81:
            bounds.append(i)
        i += step
    if not bounds:
        return None
    i = rng.choice(bounds)
    return as_gbk(data[:i] + bytes((rng.randrange(0x81, 0xFF),)) + data[i:])


_FOLDS = {"，": ",", "：": ":", "；": ";", "？": "?", "！": "!", "（": "(", "）": ")"}


def gbk_fold(text: str, rng: Random) -> str | None:
    """Every full-width mark folded to ASCII on the GBK bytes; needs one straddling hit."""
    data = gbk_bytes(text)
    straddles = 0
    for fw, ascii_ in _FOLDS.items():
        pat = fw.encode("gbk")
        straddles += data.count(pat) - text.count(fw)
        data = data.replace(pat, ascii_.encode())
    if straddles <= 0:
        return None
    return as_gbk(data)


def _reading(ch: str) -> str | None:
    from pypinyin import Style, pinyin

    got = pinyin(ch, style=Style.TONE, heteronym=False, errors="ignore")
    return got[0][0] if got and got[0] else None


def _not_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return False
    except UnicodeEncodeError:
        return True


def gbk_ruby(text: str, rng: Random) -> str | None:
    """Ruby readings inserted on GBK bytes for a table of Traditional characters.

    The table holds the document's own non-GB2312 Traditional characters
    (aligned hits) plus one or two characters that a straddling byte pair
    spells (misaligned hits); without a straddle the document is skipped.
    """
    data = gbk_bytes(text)
    straddle: list[str] = []
    for a, b in itertools.pairwise(text):
        ba, bb = a.encode("gb18030"), b.encode("gb18030")
        if len(ba) != 2 or len(bb) != 2:
            continue
        try:
            ch = bytes((ba[1], bb[0])).decode("gbk")
        except UnicodeDecodeError:
            continue
        if "\u4e00" <= ch <= "\u9fff" and _not_gb2312(ch) and _reading(ch) and ch not in straddle:
            straddle.append(ch)
    if not straddle:
        return None
    own = sorted({c for c in text if "\u4e00" <= c <= "\u9fff" and _not_gb2312(c) and _reading(c)})
    table = rng.sample(own, min(6, len(own))) + rng.sample(straddle, min(2, len(straddle)))
    for ch in table:
        pat = ch.encode("gbk")
        data = data.replace(pat, pat + b"(" + _reading(ch).encode("gbk") + b")")  # type: ignore[union-attr]
    return as_gbk(data)


def _mixed(text: str, rng: Random, codec: str) -> str | None:
    """Runs of 1-12 characters in ``codec``, the rest in UTF-8, read as UTF-8 with ``surrogateescape``.

    What a template in UTF-8 with legacy-encoded content pasted in gives.
    ``fix_text`` turns the escaped bytes back into bytes and decodes the
    line as a mixed file (:func:`seedclean.decoding.decode_surrogates`).
    """
    out = bytearray()
    i, legacy, any_legacy = 0, rng.random() < 0.5, False
    while i < len(text):
        n = rng.randint(1, 12)
        part = text[i : i + n]
        i += n
        if legacy and "\n" not in part:
            try:
                out += part.encode(codec)
                any_legacy = any_legacy or not part.isascii()
            except UnicodeEncodeError:
                out += part.encode("utf-8")
        else:
            out += part.encode("utf-8")
        legacy = not legacy
    return out.decode("utf-8", "surrogateescape") if any_legacy else None


def mixed_gbk(text: str, rng: Random) -> str | None:
    return _mixed(text, rng, "gbk")


def mixed_big5(text: str, rng: Random) -> str | None:
    return _mixed(text, rng, "big5")


@dataclass(frozen=True)
class Family:
    name: str
    corrupt: Corrupt
    registers: tuple[str, ...]
    information: str  # present | 1 byte | lost
    note: str


ALL_PROSE = (*SIMPLIFIED_PROSE, "tw")

FAMILIES: tuple[Family, ...] = (
    Family("utf8-as-gbk", utf8_as_gbk, ALL_PROSE, "1 byte",
           "UTF-8 read as GBK (browser decoder: user rows -> PUA); an odd run loses its last byte to U+FFFD"),
    Family("utf8-as-gbk-lossy", utf8_as_gbk_lossy, ALL_PROSE, "1 byte",
           "strict GBK decoder, then saved as GBK: every bad byte became '?' (one lost byte each)"),
    Family("gbk-as-latin1", gbk_as_latin1, ALL_PROSE, "present", "GBK/GB18030 bytes read as Latin-1"),
    Family("gbk-as-cp1252", gbk_as_cp1252, ALL_PROSE, "present", "GBK/GB18030 bytes read as cp1252"),
    Family("big5-as-gbk", big5_as_gbk, ("tw", "news-hant"), "present", "Big5 bytes read as GBK"),
    Family("gbk-as-big5", gbk_as_big5, SIMPLIFIED_PROSE, "lost",
           "GBK bytes read as Big5: pairs Big5 lacks become U+FFFD"),
    Family("double-utf8-as-gbk", double_utf8_as_gbk, ALL_PROSE, "1 byte", "UTF-8 read as GBK, twice"),
    Family("utf8-as-gbk+cp1252", utf8_as_gbk_then_cp1252, ALL_PROSE, "1 byte",
           "UTF-8 read as GBK, saved as UTF-8, read as cp1252"),
    Family("utf8-as-cp1252", utf8_as_cp1252, ALL_PROSE, "present", "UTF-8 read as cp1252 (ftfy's family)"),
    Family("gbk-lost-byte", gbk_lost_byte, (*ALL_PROSE, "news-hant"), "1 byte",
           "one byte dropped from a GBK stream (phase shift)"),
    Family("gbk-gained-byte", gbk_gained_byte, (*ALL_PROSE, "news-hant"), "present",
           "one stray byte inserted into a GBK stream (phase shift)"),
    Family("gbk-fold-straddle", gbk_fold, (*ALL_PROSE, "news-hant"), "1 byte",
           "full-width marks folded to ASCII on GBK bytes, at least one straddling pair"),
    Family("gbk-ruby-straddle", gbk_ruby, ("tw", "news-hant"), "1 byte",
           "ruby readings inserted on GBK bytes, at least one straddling pair"),
    Family("mixed-utf8-gbk", mixed_gbk, (*ALL_PROSE, "news-hant"), "present",
           "runs of 1-12 characters in GBK inside UTF-8 (str with surrogate-escaped bytes)"),
    Family("mixed-utf8-big5", mixed_big5, ("tw", "news-hant"), "present",
           "runs of 1-12 characters in Big5 inside UTF-8 (str with surrogate-escaped bytes)"),
)

CONTROLS = ("news", "chat", "classical", "tech", "tw", "rare")


# ------------------------------------------------------------------ scoring


def levenshtein(a: str, b: str) -> int:
    if a == b:
        return 0
    # trim common prefix/suffix: repaired lines differ in a few places
    i = 0
    n = min(len(a), len(b))
    while i < n and a[i] == b[i]:
        i += 1
    a, b = a[i:], b[i:]
    j = 0
    n = min(len(a), len(b))
    while j < n and a[-1 - j] == b[-1 - j]:
        j += 1
    if j:
        a, b = a[:-j], b[:-j]
    if not a or not b:
        return len(a) + len(b)
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for ca in a:
        cur = [prev[0] + 1]
        for k, cb in enumerate(b):
            cur.append(min(prev[k + 1] + 1, cur[k] + 1, prev[k] + (ca != cb)))
        prev = cur
    return prev[-1]


def distance(got: str, want: str) -> int:
    gl, wl = got.split("\n"), want.split("\n")
    if len(gl) != len(wl):
        return levenshtein(got, want)
    return sum(levenshtein(g, w) for g, w in zip(gl, wl, strict=True))


@dataclass
class Row:
    family: str
    information: str
    docs: int = 0
    chars: int = 0
    before: int = 0
    after: int = 0
    exact: int = 0
    checked: int = 0
    seconds: float = 0.0
    worst: list[tuple[int, str, str, str]] | None = None

    @property
    def cer_before(self) -> float:
        return self.before / max(1, self.chars)

    @property
    def cer_after(self) -> float:
        return self.after / max(1, self.chars)


def _rng(*parts: str) -> Random:
    return Random(zlib.crc32("/".join(parts).encode()))


def _reported(findings: list) -> bool:
    return any(f.line >= 1 and f.column >= 1 for f in findings)


def run_family(fam: Family, corpus: dict[str, list[Doc]], quick: bool = False, keep: int = 0) -> Row:
    row = Row(fam.name, fam.information, worst=[])
    t0 = time.perf_counter()
    for reg in fam.registers:
        docs = corpus.get(reg, [])
        if quick:
            docs = docs[:1]
        for doc in docs:
            bad = fam.corrupt(doc.text, _rng(fam.name, doc.name))
            if bad is None or bad == doc.text:
                continue
            fixed = seedclean.fix_text(bad, **doc.options)
            d0, d1 = distance(bad, doc.text), distance(fixed, doc.text)
            row.docs += 1
            row.chars += len(doc.text)
            row.before += d0
            row.after += d1
            row.exact += fixed == doc.text
            row.checked += _reported(seedclean.check(bad, **doc.options))
            if keep and d1:
                row.worst.append((d1, doc.name, bad, fixed))  # type: ignore[union-attr]
    row.seconds = time.perf_counter() - t0
    return row


def run_controls(corpus: dict[str, list[Doc]], quick: bool = False) -> list[Row]:
    rows = []
    for reg in CONTROLS:
        row = Row(f"control: {reg}", "-", worst=[])
        t0 = time.perf_counter()
        docs = corpus[reg][:1] if quick else corpus[reg]
        for doc in docs:
            fixed = seedclean.fix_text(doc.text, **doc.options)
            d = distance(fixed, doc.text)
            row.docs += 1
            row.chars += len(doc.text)
            row.after += d
            row.exact += d == 0
            row.checked += not seedclean.check(doc.text, **doc.options)
            if d:
                row.worst.append((d, doc.name, doc.text, fixed))  # type: ignore[union-attr]
        row.seconds = time.perf_counter() - t0
        rows.append(row)
    return rows


def run(quick: bool = False, families: tuple[str, ...] = ()) -> tuple[list[Row], list[Row]]:
    corpus = load_corpus()
    fams = [f for f in FAMILIES if not families or f.name in families]
    return [run_family(f, corpus, quick, keep=1) for f in fams], run_controls(corpus, quick)


def table(rows: list[Row], controls: list[Row]) -> str:
    out = [
        "| family | information | docs | chars | CER before | CER after | exact | check reports |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        out.append(
            f"| {r.family} | {r.information} | {r.docs} | {r.chars} | {100 * r.cer_before:.1f}% | "
            f"{100 * r.cer_after:.2f}% | {r.exact}/{r.docs} | {r.checked}/{r.docs} |"
        )
    out.append("")
    out.append("| control | docs | chars | changed chars | unchanged docs | docs without findings |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in controls:
        out.append(f"| {r.family.split(': ')[1]} | {r.docs} | {r.chars} | {r.after} | {r.exact}/{r.docs} | "
                   f"{r.checked}/{r.docs} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="first document of each register only")
    ap.add_argument("--family", action="append", default=[], help="only this family (repeatable)")
    ap.add_argument("--show", type=int, default=0, help="print up to N imperfect documents per family")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    rows, controls = run(args.quick, tuple(args.family))
    print(table(rows, controls))
    print(f"\n_{sum(r.docs for r in rows)} corrupted and {sum(r.docs for r in controls)} control documents, "
          f"{time.perf_counter() - t0:.1f} s._")
    if args.show:
        for r in rows + controls:
            for d, name, bad, fixed in sorted(r.worst or [], key=lambda w: (-w[0], w[1]))[: args.show]:
                print(f"\n### {r.family} {name}: {d} errors\n--- corrupted\n{bad}\n--- repaired\n{fixed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
