"""Rule ``ruby-annotation``: remove pinyin readings flattened into the text.

Scrapers that drop ``<ruby>`` markup leave the reading in parentheses right
after the character it annotated::

    全國特色小鎮(zhèn)和改革發(fā)展  ->  全國特色小鎮和改革發展

A parenthesised group is removed only when all of this holds:

* it follows a Han character directly and holds one lowercase pinyin
  syllable (tone marks or none) or one zhuyin syllable, possibly repeated
  (``的(de)(de)``);
* the syllable is a real reading of *that* character or of its
  Simplified form (pypinyin's dictionary, every heteronym counts: the
  scraper's table was dictionary-first, so ``長(zhǎng)`` in ``長期`` is
  still an annotation, and it annotated the Simplified page, so
  ``剝(bāo)`` is one although pypinyin gives 剝 only bō);
* the document shows the pattern systematically: at least
  ``Config.ruby_min_count`` valid annotations.

So a lesson's ``北京（Běijīng）`` (a word, capitalised), ``第三声(Běi)``,
``呢(le1)`` (digit tone) and ``字节(byte)`` (not a reading of 节) stay.
"""

from __future__ import annotations

import itertools
import operator
import re
import unicodedata
from functools import lru_cache

from ..chars import HAN
from ..config import Config
from ..edits import Edit
from ..memo import LineTable

RULE = "ruby-annotation"

_PINYIN_LETTERS = "a-zàáèéìíòóùúüāēěīńňōūǎǐǒǔǖǘǚǜǹḿ"
_ZHUYIN = "\u3105-\u312f\u31a0-\u31bf"
_ZHUYIN_TONES = "ˊˇˋ˙"
_SYL = rf"(?:[{_PINYIN_LETTERS}]{{1,7}}|[{_ZHUYIN}]{{1,4}}[{_ZHUYIN_TONES}]?|[˙][{_ZHUYIN}]{{1,4}})"
_GROUP = rf"[(（]{_SYL}[)）]"
_CANDIDATE = re.compile(rf"([{HAN}])((?:{_GROUP})+)")
# The same runs of groups, found from the parenthesis: the scan starts at a
# small character class and the lookbehind (placed after the parenthesis)
# captures the annotated character.  ``split`` hands back
# [text, readings, character, text, readings, character, ..., text].
# Its repeats are possessive (the same matches: a syllable's letters are never
# a parenthesis or a tone mark, and nothing follows the run), which the
# regex engine runs faster.
_SYL_POSSESSIVE = rf"(?:[{_PINYIN_LETTERS}]{{1,7}}+|[{_ZHUYIN}]{{1,4}}+[{_ZHUYIN_TONES}]?|[˙][{_ZHUYIN}]{{1,4}}+)"
_KEYED = re.compile(
    rf"([(（](?<=([{HAN}])[(（]){_SYL_POSSESSIVE}[)）](?:[(（]{_SYL_POSSESSIVE}[)）])*+)"
)
_HAN_RE = re.compile(f"[{HAN}]")
_ONE = re.compile(rf"[(（]({_SYL})[)）]")
_FAST = re.compile(r"[(（][a-zàáèéìíòóùúüāēěīǎǐǒǔǖǘǚǜ\u3105-\u312f˙]")


@lru_cache(maxsize=1)
def _dict() -> dict[int, str]:
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


def _strip_tone(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("u\u0308", "ü")


@lru_cache(maxsize=1)
def _bopomofo_converter() -> object:
    from pypinyin.style.bopomofo import BopomofoConverter

    return BopomofoConverter()


@lru_cache(maxsize=8192)
def _bopomofo(reading: str) -> str | None:
    """Zhuyin of one toned pinyin syllable (about 1,500 distinct ones), or None."""
    try:
        return _bopomofo_converter().to_bopomofo(reading)  # type: ignore[attr-defined,no-any-return]
    except Exception:  # noqa: BLE001  # pragma: no cover - a converter quirk on a rare syllable must not crash
        return None


@lru_cache(maxsize=16384)
def _readings(char: str) -> frozenset[str]:
    """Every accepted written form of every reading of ``char`` and of its Simplified form.

    The scraper's table annotated the Simplified page before it was
    machine-converted, so ``剝(bāo)`` carries a reading of 剥 that pypinyin
    does not list for 剝.  Accepting it here means the readings go in the
    same run as the rest, not after the conversion made 剥 of 剝.
    """
    from .. import charmodel

    raw = _dict().get(ord(char)) or ""
    simplified = charmodel._get().t2s.get(ord(char))
    if simplified and len(simplified) == 1 and simplified != char:
        raw = ",".join(r for r in (raw, _dict().get(ord(simplified)) or "") if r)
    if not raw:
        return frozenset()
    forms: set[str] = set()
    for reading in raw.split(","):
        forms.add(reading)
        bare = _strip_tone(reading)
        forms.add(bare)
        forms.add(bare.replace("ü", "v"))
        forms.add(bare.replace("ü", "u"))
        zhuyin = _bopomofo(reading)
        if zhuyin is not None:
            forms.add(zhuyin)
    return frozenset(forms)


def _valid(char: str, groups: str) -> bool:
    readings = _readings(char)
    syllables = _ONE.findall(groups)
    return bool(syllables) and all(unicodedata.normalize("NFC", s) in readings for s in syllables)


@lru_cache(maxsize=65536)
def _valid_key(key: str) -> bool:
    """``key`` is a Han character followed by its parenthesised reading(s)."""
    return bool(key) and _HAN_RE.match(key) is not None and _valid(key[0], key[1:])


# :func:`_valid_key` results for :func:`fix`, looked up in C (``map(dict.get, ...)``).
_VALID: dict[str, bool] = {}
_VALID_MAX = 1 << 18  # entries before the table is emptied (memory stays bounded)


def find(text: str, config: Config) -> list[Edit]:
    """Edits that delete flattened readings, when the document shows the pattern."""
    if not config.enabled(RULE) or ("(" not in text and "（" not in text) or not _FAST.search(text):
        return []
    edits: list[Edit] = []
    for m in _CANDIDATE.finditer(text):
        if _valid_key(m.group()):
            edits.append(Edit(m.start(2), m.end(2), "", RULE))
    if len(edits) < config.ruby_min_count:
        return []
    return edits


def fix(text: str, config: Config) -> str:
    """Same result as applying :func:`find`, without building edits (the hot path).

    A run of readings never crosses a line break, so the result is the
    document's lines each without its valid runs, once the document shows
    :attr:`Config.ruby_min_count` of them: each distinct line is worked on
    once (:class:`~seedclean.memo.LineTable`), or, while that table steps
    aside (text that does not repeat), the whole text at once (:func:`_strip`).
    """
    if not config.enabled(RULE) or ("(" not in text and "（" not in text) or not _FAST.search(text):
        return text
    got = _LINES.values(text, _strip_line)
    if got is None:
        hits, out = _strip(text, config.ruby_min_count)
        return out if hits >= config.ruby_min_count else text
    if sum(map(_COUNT, got)) < config.ruby_min_count:
        return text
    return "\n".join(map(_TEXT, got))


_LINES = LineTable()
_COUNT = operator.itemgetter(0)
_TEXT = operator.itemgetter(1)


def _strip_line(line: str) -> tuple[int, str]:
    if "(" not in line and "（" not in line:
        return 0, line
    return _strip(line, 0)


def _strip(text: str, min_count: int) -> tuple[int, str]:
    """(valid runs of readings in ``text``, ``text`` without them) -- the text itself when fewer than ``min_count``.

    One ``split`` of :data:`_KEYED` finds every run of readings that follows
    a Han character, the same runs as :data:`_CANDIDATE`.  Keys (character +
    readings) are built, looked up and counted with C-level ``map`` calls;
    :func:`_valid_key` runs once per key not seen before.  When every run is
    valid the text is the joined pieces between them.
    """
    parts = _KEYED.split(text)  # [text, readings, character, text, ..., text]
    if len(parts) == 1:
        return 0, text
    runs = parts[1::3]
    keys = list(map(operator.add, parts[2::3], runs))
    if len(_VALID) > _VALID_MAX:
        _VALID.clear()
    valid = list(map(_VALID.get, keys))
    if None in valid:
        unseen = set(itertools.compress(keys, map(operator.is_, valid, itertools.repeat(None))))
        fresh = {k: _valid_key(k) for k in unseen}
        _VALID.update(fresh)
        valid = list(map(fresh.get, keys, valid))  # the new results where there were none
    hits = valid.count(True)  # the values are bools
    if hits < min_count:
        return hits, text
    if hits == len(keys):
        return hits, "".join(parts[0::3])
    parts[1::3] = map(operator.mul, runs, map(operator.not_, valid))  # a run stays where it is not valid
    del parts[2::3]
    return hits, "".join(parts)
