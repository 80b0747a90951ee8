"""Rule ``ruby-annotation``: remove pinyin readings flattened into the text.

Scrapers that drop ``<ruby>`` markup leave the reading in parentheses right
after the character it annotated::

    全國特色小鎮(zhèn)和改革發(fā)展  ->  全國特色小鎮和改革發展

A parenthesised group is removed only when all of this holds:

* it follows a Han character directly and holds one lowercase pinyin
  syllable (tone marks or none) or one zhuyin syllable, possibly repeated
  (``的(de)(de)``);
* the syllable is a real reading of *that* character (pypinyin's
  dictionary, every heteronym counts: the scraper's table was
  dictionary-first, so ``長(zhǎng)`` in ``長期`` is still an annotation);
* the document shows the pattern systematically: at least
  ``Config.ruby_min_count`` valid annotations.

So a lesson's ``北京（Běijīng）`` (a word, capitalised), ``第三声(Běi)``,
``呢(le1)`` (digit tone) and ``字节(byte)`` (not a reading of 节) stay.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..chars import HAN
from ..config import Config
from ..edits import Edit

RULE = "ruby-annotation"

_PINYIN_LETTERS = "a-zàáèéìíòóùúüāēěīńňōūǎǐǒǔǖǘǚǜǹḿ"
_ZHUYIN = "\u3105-\u312f\u31a0-\u31bf"
_ZHUYIN_TONES = "ˊˇˋ˙"
_SYL = rf"(?:[{_PINYIN_LETTERS}]{{1,7}}|[{_ZHUYIN}]{{1,4}}[{_ZHUYIN_TONES}]?|[˙][{_ZHUYIN}]{{1,4}})"
_GROUP = rf"[(（]{_SYL}[)）]"
_CANDIDATE = re.compile(rf"([{HAN}])((?:{_GROUP})+)")
_GROUPS = re.compile(rf"((?:{_GROUP})+)")  # same groups, found from the parenthesis
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


@lru_cache(maxsize=4096)
def _readings(char: str) -> frozenset[str]:
    """Every accepted written form of every reading of ``char``."""
    raw = _dict().get(ord(char))
    if not raw:
        return frozenset()
    from pypinyin.style.bopomofo import BopomofoConverter

    conv = BopomofoConverter()
    forms: set[str] = set()
    for reading in raw.split(","):
        forms.add(reading)
        bare = _strip_tone(reading)
        forms.add(bare)
        forms.add(bare.replace("ü", "v"))
        forms.add(bare.replace("ü", "u"))
        try:
            forms.add(conv.to_bopomofo(reading))
        except Exception:  # noqa: BLE001  # pragma: no cover - a converter quirk on a rare syllable must not crash
            pass
    return frozenset(forms)


def _valid(char: str, groups: str) -> bool:
    readings = _readings(char)
    syllables = _ONE.findall(groups)
    return bool(syllables) and all(unicodedata.normalize("NFC", s) in readings for s in syllables)


@lru_cache(maxsize=65536)
def _valid_key(key: str) -> bool:
    """``key`` is a Han character followed by its parenthesised reading(s)."""
    return bool(key) and _HAN_RE.match(key) is not None and _valid(key[0], key[1:])


def find(text: str, config: Config) -> list[Edit]:
    """Edits that delete flattened readings, when the document shows the pattern."""
    if not config.enabled(RULE) or not _FAST.search(text):
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

    ``split`` hands back [text, readings, text, readings, ...] in C; the
    annotated character is the last one before each group, and validity is
    decided once per distinct annotation.
    """
    if not config.enabled(RULE) or not _FAST.search(text):
        return text
    parts = _GROUPS.split(text)  # [text, groups, text, groups, ..., text]
    if len(parts) == 1:
        return text
    groups = parts[1::2]
    keys = [p[-1:] + g for p, g in zip(parts[0::2], groups, strict=False)]  # one more text than groups
    valid = {k for k in set(keys) if _valid_key(k)}
    hits = [k in valid for k in keys]
    if sum(hits) < config.ruby_min_count:
        return text
    parts[1::2] = ["" if hit else g for hit, g in zip(hits, groups, strict=True)]
    return "".join(parts)
