"""Edits proposed by repair passes, and the offset maps that carry positions back.

Every pass is a pure function ``find(text, config) -> list[Edit]``.  An
:class:`Edit` replaces ``text[start:end]`` with ``replacement`` and names the
rule that proposed it.  Passes never add or remove line breaks, so an edit's
line number is the same in every stage of the pipeline; columns shift, and
:class:`OffsetMap` maps a position in a later stage back to the input.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` by ``replacement``; proposed by ``rule``."""

    start: int
    end: int
    replacement: str
    rule: str


@dataclass(frozen=True, slots=True)
class Finding:
    """Something wrong that is reported but not changed (e.g. a lossy ``?``)."""

    rule: str
    line: int
    column: int
    message: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Repair:
    """An applied edit, located in the *input* text (1-based line and column)."""

    rule: str
    line: int
    column: int
    before: str
    after: str


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (any order) and return the new text.

    Overlapping edits are a bug in the pass that proposed them; the later
    one (by start) is dropped rather than corrupting the text.
    """
    if not edits:
        return text
    parts: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            continue
        parts.append(text[pos : e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def normalize_edits(edits: list[Edit]) -> list[Edit]:
    """Sort edits and drop any that overlap an earlier one."""
    out: list[Edit] = []
    pos = -1
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or (e.start == pos and out and out[-1].start == out[-1].end == e.start):
            continue
        out.append(e)
        pos = e.end
    return out


def compose_edits(text: str, first: list[Edit], then: list[Edit]) -> list[Edit]:
    """Edits on ``text`` that do what ``first`` and then ``then`` do.

    ``then`` is located in ``apply_edits(text, first)``.  An edit of
    ``then`` that touches a replacement of ``first`` is merged with it into
    one edit, named after the rule of the earliest edit of ``first`` in it;
    the other edits keep their own rule::

        compose_edits("ab cd", [Edit(0, 2, "x", "r1")], [Edit(0, 1, "y", "r2"), Edit(3, 4, "z", "r3")])
        -> [Edit(0, 2, "y", "r1"), Edit(4, 5, "z", "r3")]
    """
    first = normalize_edits(first)
    then = normalize_edits(then)
    mid = apply_edits(text, first)
    # each edit of ``first`` as (mid start, mid end, old start, old end, rule)
    spans: list[tuple[int, int, int, int, str]] = []
    delta = 0
    for e in first:
        spans.append((e.start + delta, e.start + delta + len(e.replacement), e.start, e.end, e.rule))
        delta += len(e.replacement) - (e.end - e.start)
    ends = [s[1] for s in spans]

    def to_old(p: int) -> int:
        """Old offset of mid offset ``p``, which no replacement of ``first`` strictly contains."""
        i = bisect_right(ends, p) - 1
        return p if i < 0 else p - (spans[i][1] - spans[i][3])

    # (mid start, mid end, old start, old end), like ``spans``
    regions: list[tuple[int, int, int, int, str]] = list(spans)
    for t in then:
        inside = [s for s in spans if s[0] <= t.end and t.start <= s[1]]
        ms = min([t.start] + [s[0] for s in inside])
        me = max([t.end] + [s[1] for s in inside])
        os_ = inside[0][2] if inside and inside[0][0] == ms else to_old(ms)
        oe = inside[-1][3] if inside and inside[-1][1] == me else to_old(me)
        regions.append((ms, me, os_, oe, inside[0][4] if inside else t.rule))
    regions.sort(key=lambda r: (r[0], -r[1]))
    merged: list[tuple[int, int, int, int, str]] = []
    for r in regions:
        if merged and r[0] <= merged[-1][1]:
            m = merged[-1]
            merged[-1] = (m[0], max(m[1], r[1]), min(m[2], r[2]), max(m[3], r[3]), m[4])
        else:
            merged.append(r)
    out: list[Edit] = []
    for ms, me, os_, oe, _ in merged:
        inner = [Edit(t.start - ms, t.end - ms, t.replacement, t.rule) for t in then if ms <= t.start and t.end <= me]
        named = [s[4] for s in spans if ms <= s[0] and s[1] <= me] or [t.rule for t in inner]
        rule = named[0]
        new = apply_edits(mid[ms:me], inner)
        old = text[os_:oe]
        # only the characters that differ change
        p = 0
        while p < len(old) and p < len(new) and old[p] == new[p]:
            p += 1
        q = 0
        while q < len(old) - p and q < len(new) - p and old[-1 - q] == new[-1 - q]:
            q += 1
        if old != new:
            out.append(Edit(os_ + p, oe - q, new[p : len(new) - q], rule))
    return out


class OffsetMap:
    """Maps positions in the text after a list of edits back to before it."""

    __slots__ = ("_deltas", "_edits", "_new_starts")

    def __init__(self, edits: list[Edit]) -> None:
        self._edits = edits  # sorted, non-overlapping
        self._new_starts: list[int] = []
        self._deltas: list[int] = []  # new - old offset before each edit
        delta = 0
        for e in edits:
            self._new_starts.append(e.start + delta)
            self._deltas.append(delta)
            delta += len(e.replacement) - (e.end - e.start)

    def to_old(self, pos: int) -> int:
        """Position in the old text of new position ``pos``."""
        i = bisect_right(self._new_starts, pos) - 1
        if i < 0:
            return pos
        e = self._edits[i]
        new_start = self._new_starts[i]
        new_end = new_start + len(e.replacement)
        if pos < new_end:
            # inside a replacement: map to its start (or proportionally if same length)
            if len(e.replacement) == e.end - e.start:
                return e.start + (pos - new_start)
            return e.start
        delta = self._deltas[i] + len(e.replacement) - (e.end - e.start)
        return pos - delta


class LineIndex:
    """1-based line and column of offsets in one text."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def locate(self, pos: int) -> tuple[int, int]:
        """Return (line, column), both 1-based."""
        i = bisect_right(self._starts, pos) - 1
        return i + 1, pos - self._starts[i] + 1

    @property
    def line_count(self) -> int:
        """How many lines the text has (a final newline opens an empty last line)."""
        return len(self._starts)
