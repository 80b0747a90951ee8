"""A fast subset of ``benchmarks/accuracy.py`` (first document of each register).

Targets from issue 3: character error rate after repair <= 1% on every
family whose information is still present (or only one byte per event is
gone), 0 changed characters and 0 findings on the clean controls, and
``check`` reports every corrupted document.  Families that do not reach the
target yet are marked xfail with the reason, so the gap stays visible.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import accuracy

# Families that still miss the CER target (figures: full benchmark / this quick subset; see
# benchmarks/ACCURACY.md).  strict: the quick subset fails today, so an unexpected pass must
# be noticed and the mark removed.
NOT_YET = {
    "utf8-as-gbk-lossy": ("1.38% / 1.57%: each `?` is one lost byte, chosen from context; the bigram model "
                          "sometimes picks a near neighbour (倍工 for 复工)", True),
    "double-utf8-as-gbk": (
        "0.84% / 1.35%: meets the target on the full benchmark; on the quick subset a short span before Latin "
        "text (`使用 pip`) has too little context in either layer, and emoji bytes are not in the model",
        True,
    ),
    "gbk-lost-byte": ("1.37% / 1.39%, check 30/31: the lost byte's character is guessed from context", True),
    "gbk-fold-straddle": ("1.47% / 0.00%: two folds with a shifted run between them (passes on the quick "
                          "subset, fails on the full benchmark)", False),
    "gbk-ruby-straddle": ("2.75% / 6.91%: the reading's character is ambiguous when several share lead byte and "
                          "reading", True),
}


@pytest.fixture(scope="module")
def corpus():
    return accuracy.load_corpus()


def _params():
    out = []
    for fam in accuracy.FAMILIES:
        if fam.information == "lost":
            continue
        marks = []
        if fam.name in NOT_YET:
            reason, strict = NOT_YET[fam.name]
            marks = [pytest.mark.xfail(reason=reason, strict=strict)]
        out.append(pytest.param(fam, id=fam.name, marks=marks))
    return out


@pytest.mark.parametrize("fam", _params())
def test_family_cer(corpus, fam):
    row = accuracy.run_family(fam, corpus, quick=True)
    assert row.docs > 0
    assert row.checked == row.docs, f"check missed {row.docs - row.checked} corrupted documents"
    assert row.cer_after <= 0.01, f"{fam.name}: CER {100 * row.cer_after:.2f}% (before {100 * row.cer_before:.1f}%)"


@pytest.mark.parametrize("fam", [f for f in accuracy.FAMILIES if f.information == "lost"], ids=lambda f: f.name)
def test_lossy_family_reported(corpus, fam):
    row = accuracy.run_family(fam, corpus, quick=True)
    assert row.docs > 0 and row.checked == row.docs
    assert row.cer_after < row.cer_before


def test_controls_untouched(corpus):
    for row in accuracy.run_controls(corpus):
        assert row.after == 0, f"{row.family}: {row.after} changed characters"
        assert row.checked == row.docs, f"{row.family}: findings on clean text"
