"""Line memos: a line-local transform applied once per distinct line.

A transform ``fn`` is *line-local* when ``fn(a + "\\n" + b) == fn(a) + "\\n" + fn(b)``
for all lines ``a`` and ``b``: what it does to a line depends on that line
alone.  NFC, the mojibake pass and OpenCC's conversion are (OpenCC's
segmentation never crosses a line break: no dictionary phrase holds one).
Web text repeats lines (navigation, bylines, boilerplate, the same
paragraph on many pages), so :class:`LineMemo` keeps each line's result and
runs ``fn`` only on the lines it has not seen, joined into one call.

Memory is bounded: the memo forgets everything once it holds
``max_chars`` characters (keys and values) or ``max_lines`` lines, and a
line longer than ``max_line`` characters is never kept (repeated lines are
short; a long one is worked on each time, so its cost stays proportional
to its length).

On text that does not repeat, looking lines up and keeping them is pure
overhead (a few ms per MB), so the memo watches its hit rate: after a
window of :data:`WINDOW` lines with fewer than 1 in 20 found, it steps
aside for the next ``60 * WINDOW`` lines (``fn`` is called directly), then
samples again.  The result is the same either way.
"""

from __future__ import annotations

import itertools
import operator
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["LineMemo", "LineTable", "clear_all"]

WINDOW = 1 << 10  # lines per hit-rate sample


_ALL: weakref.WeakSet[_Memo] = weakref.WeakSet()


def clear_all() -> None:
    """Forget every line of every memo (for timings that must not see earlier runs)."""
    for memo in list(_ALL):
        memo.clear()


class _Memo:
    """What :class:`LineMemo` and :class:`LineTable` share: the store, its bounds and the hit-rate watch."""

    __slots__ = ("__weakref__", "_bypass", "_chars", "_d", "_hits", "_seen", "max_chars", "max_line", "max_lines")

    def __init__(self, max_chars: int = 1 << 20, max_lines: int = 1 << 15, max_line: int = 2048) -> None:
        self._d: dict[str, Any] = {}
        self._chars = 0
        self.max_chars = max_chars
        self.max_lines = max_lines
        self.max_line = max_line
        self._seen = 0  # lines looked up in the current window
        self._hits = 0  # of which found
        self._bypass = 0  # lines still to pass without the memo
        _ALL.add(self)

    def clear(self) -> None:
        """Forget every line."""
        self._d.clear()
        self._chars = 0

    def __len__(self) -> int:
        return len(self._d)

    def _bypassed(self, text: str) -> bool:
        """True while the memo steps aside (counting ``text``'s lines against the bypass)."""
        if self._bypass > 0:
            self._bypass -= text.count("\n") + 1
            return True
        return False

    def _lookup(self, lines: list[str]) -> tuple[list[Any], int]:
        """The stored values of ``lines`` (None where missing) and how many are missing; updates the hit rate."""
        got = list(map(self._d.get, lines))
        missing = got.count(None)
        self._seen += len(lines)
        self._hits += len(lines) - missing
        if self._seen >= WINDOW:
            if self._hits * 20 < self._seen:
                self._bypass = 60 * WINDOW
            self._seen = self._hits = 0
        return got, missing


class LineMemo(_Memo):
    """Line -> ``fn(line)`` for one line-local transform ``fn``."""

    __slots__ = ()

    def _store(self, lines: list[str], outs: list[str]) -> None:
        lengths = list(map(len, lines))
        if max(lengths) > self.max_line:
            keep = list(map(self.max_line.__ge__, lengths))
            lines = list(itertools.compress(lines, keep))
            outs = list(itertools.compress(outs, keep))
            lengths = list(itertools.compress(lengths, keep))
        size = sum(lengths) + sum(map(len, outs))
        if size > self.max_chars:
            return
        if self._chars + size > self.max_chars or len(self._d) + len(lines) > self.max_lines:
            self.clear()
        self._d.update(zip(lines, outs, strict=True))
        self._chars += size

    def apply(self, text: str, fn: Callable[[str], str]) -> str:
        """``fn(text)`` for a line-local ``fn``, calling ``fn`` only on the lines not seen before.

        ``fn`` must keep the number of lines; when it does not, its result
        on the whole text is returned and nothing is remembered.
        """
        if self._bypassed(text):
            return fn(text)
        lines = text.split("\n")
        got, missing = self._lookup(lines)
        if not missing:
            return "\n".join(got)
        if missing == len(lines):
            out = fn(text)
            outs = out.split("\n")
            if len(outs) == len(lines):
                self._store(lines, outs)
            return out
        todo = list(itertools.compress(lines, map(operator.is_, got, itertools.repeat(None))))
        outs = fn("\n".join(todo)).split("\n")
        if len(outs) != len(todo):
            return fn(text)
        self._store(todo, outs)
        fresh = iter(outs)
        return "\n".join([g if g is not None else next(fresh) for g in got])


class LineTable(_Memo):
    """Line -> ``fn(line)`` for a per-line function with any value.

    For a pass whose result on a text is assembled from per-line results
    (``ruby.fix``: each line's readings, counted and removed, and one
    decision for the document).  Same bounds and hit-rate watch as
    :class:`LineMemo`; while it steps aside, :meth:`values` returns None and
    the caller works on the whole text as it would without the table.
    """

    __slots__ = ()

    def values(self, text: str, fn: Callable[[str], object]) -> list | None:  # type: ignore[type-arg]
        """``[fn(line) for line in text.split("\\n")]``, calling ``fn`` only on lines not seen before.

        None while the table steps aside (a low hit rate, see :class:`LineMemo`).
        A stored value is counted as twice its line's length.
        """
        if self._bypassed(text):
            return None
        lines = text.split("\n")
        d = self._d
        got, missing = self._lookup(lines)
        if missing:
            for i in itertools.compress(range(len(got)), map(operator.is_, got, itertools.repeat(None))):
                line = lines[i]
                got[i] = value = fn(line)
                if len(line) <= self.max_line:
                    if self._chars + 2 * len(line) > self.max_chars or len(d) >= self.max_lines:
                        self.clear()
                    d[line] = value
                    self._chars += 2 * len(line)
        return got
