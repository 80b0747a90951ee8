"""The fast paths give what the find-based paths give.

``fix_text`` uses C-level shortcuts (``ruby.fix``, ``punct.fix``, the
Latin-1 run filter of the mojibake span search, the rewritten context and
detection regexes); ``clean`` applies each pass's ``find`` edits.  These
tests run both over the case files, the seed files and a few thousand
random mixtures (fixed seed), and compare the rewritten regexes with the
formulations they replaced.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path

import pytest

import seedclean
from seedclean.chars import CJK_OR_PUNCT
from seedclean.config import Config
from seedclean.edits import apply_edits, normalize_edits
from seedclean.passes import mojibake, punct, ruby, script

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = Config()

# ------------------------------------------------------------------ inputs

PIECES = [
    "全國", "特色小鎮", "鎮(zhèn)", "發(fā)", "戰(zhàn)", "的(de)", "的(de)(de)", "長(zhǎng)", "語(yǔ)", "綠(lǜ)",
    "綠(lù)",
    "沒(mò)", "跡(jì)", "鎮(ㄓㄣˋ)", "鎮（zhèn）", "(zhèn)", "北京（Běijīng）", "字节(byte)", "呢(le1)", "中(zhong)",
    "中国", "发展", "经济", "我们", "吗", "么", "甚么", "著名", "显著", "看著", "著著", "土著著", "神祇", "地祇", "祇",
    "衹", "名著", "著名著", "它們", "鬥爭", "乾隆",
    ",", ",,", ",,,", ",、", ",。", ",;", ":", ";", "?", "??", "!", ",:", "?!", "、", "。", "，", "：", "？", "“", "”",
    "‘", "’", "(", ")", "（", "）", " ", "  ", "\u00a0", "\u3000", "\n", "\n\n", "&nbsp;", "&#160;", ":)", ";-)",
    "http://x.cn/a?b=1", "10:30", "1,000", "a", "Python", "ChatGPT?", "ü", "é", "ǔ", "Ã©", "Ã¤Â¸Â­",
    "ä¸­æ–‡", "ÖÐ¹ú", "涓枃", "鍙戝睍", "硂畒", "\ufffd", "??h", "?,F", "ひらがな", "カタカナ", "の",
]


def _mixtures(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        out.append("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30))))
    return out


def _cases() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "cases").glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            if isinstance(case, dict) and isinstance(case.get("input"), str):
                texts.append(case["input"])
    return texts


def _seeds() -> list[str]:
    return [seedclean.decode(p.read_bytes()).text for p in sorted((ROOT / "seeds" / "raw").glob("*.txt"))]


MIXTURES = _mixtures(3000, 4)
TEXTS = _cases() + _seeds() + MIXTURES


def _by_edits(find, text: str, config: Config) -> str:
    edits = find(text, config)
    return apply_edits(text, normalize_edits(edits)) if edits else text


# ------------------------------------------------------------------ passes


@pytest.mark.parametrize("config", [DEFAULT, Config(ruby_min_count=1)], ids=["default", "min1"])
def test_ruby_fix_matches_find(config):
    for text in TEXTS:
        assert ruby.fix(text, config) == _by_edits(ruby.find, text, config), text


def test_ruby_fix_matches_find_with_an_empty_and_a_full_table():
    texts = MIXTURES[:300]
    ruby._VALID.clear()
    for text in texts:
        assert ruby.fix(text, DEFAULT) == _by_edits(ruby.find, text, DEFAULT), text
    for text in texts:  # every key known now
        assert ruby.fix(text, DEFAULT) == _by_edits(ruby.find, text, DEFAULT), text


def test_punct_fix_matches_find():
    for text in TEXTS:
        # punct runs after the parentheses pass, as in the pipeline
        text = _by_edits(punct.find_parens, text, DEFAULT)
        assert punct.fix(text, DEFAULT) == _by_edits(punct.find, text, DEFAULT), text


def test_fix_text_matches_clean():
    for text in TEXTS:
        assert seedclean.fix_text(text) == seedclean.clean(text).text, text


# ------------------------------------------------------------------ rewritten regexes

_OLD_ADJ = re.compile(rf"[,:;?!]+(?=[{CJK_OR_PUNCT}])|[,:;?!](?<=[{CJK_OR_PUNCT}][,:;?!])[,:;?!]*")
_OLD_ZHU = re.compile(
    r"(?:显|卓|昭|土|编|原|名|专|巨|论|遗|译|合|新|拙|撰)著|著(?:名|作|称|述|录|者|书|文|说|有|译)|(著)"
)
_OLD_CONTEXT = re.compile(r"甚么|(?<!神)(?<!地)祇|衹")


def _random_strings(alphabet: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(n)]


def test_adjacent_mark_regex_unchanged():
    for text in _random_strings(",:;?!中。a “", 20000, 1) + TEXTS:
        assert [m.span() for m in punct._ADJ.finditer(text)] == [m.span() for m in _OLD_ADJ.finditer(text)], text


def test_context_regexes_unchanged():
    alphabet = script._ZHU_BEFORE + "名作称述录者书文说有译" + "著著著神地祇衹甚么中"
    for text in _random_strings(alphabet, 20000, 2) + TEXTS:
        old = [m.start(1) for m in _OLD_ZHU.finditer(text) if m.group(1)]
        assert [m.start() for m in script._ZHU.finditer(text) if m.group() == "著"] == old, text
        old_ctx = [m.span() for m in _OLD_CONTEXT.finditer(text)]
        assert [m.span() for m in script._CONTEXT.finditer(text)] == old_ctx, text


def _old_detect(text: str) -> str:
    trad_re, simp_re = script._detectors()
    if len(text) > script._SAMPLE:
        text = text[: script._SAMPLE]
    if script._KANA.search(text) and script._is_japanese(text):
        return "unknown"
    has_trad = trad_re.search(text) is not None
    has_simp = simp_re.search(text) is not None
    if not has_trad:
        return "hans" if has_simp else "unknown"
    if not has_simp:
        return "hant"
    n_trad = len(trad_re.findall(text))
    n_simp = len(simp_re.findall(text))
    if n_trad >= 3 * n_simp:
        return "hant"
    if n_simp >= 3 * n_trad:
        return "hans"
    return "unknown"


def test_detect_unchanged():
    rng = random.Random(3)
    words = ["中國", "發展", "經濟", "我們", "中国", "发展", "经济", "我们", "的", "是", "ひらがな", "の", "a"]
    texts = TEXTS + ["".join(rng.choice(words) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        assert script.detect(text) == _old_detect(text), text


# ------------------------------------------------------------------ mojibake span search


def test_latin_run_class_is_what_the_latin_view_maps():
    mapped = mojibake._LATIN_RUN
    for cp in itertools.chain(range(0, 0xD800), range(0xE000, 0x110000)):
        ch = chr(cp)
        assert (mapped.fullmatch(ch) is not None) == (mojibake._latin_view(ch) is not None), hex(cp)


def test_reading_run_letters_are_pinyin():
    letters = re.search(r"\[A-Za-z([^\]]*)\]", mojibake._READING_RUN.pattern)
    assert letters is not None
    assert mojibake._PINYIN_ONLY.fullmatch("AZaz" + letters.group(1))


def test_skipping_reading_runs_changes_nothing(monkeypatch):
    rng = random.Random(5)
    latin = ["(yǔ)", "(lǜ)", "(zhèn)", "(ǎ)(ǎ)", "ǔ)", "(yǔ)é", "é(yǔ)", "(yǔ),,", "(yǔ)1", "ǔ", "Ã©", "ÖÐ¹ú", "ä¸­æ–‡",
             "Běijīng", "(Běi)", "abc(ǎi)x", "(nǚ)(ér)"]
    han = ["中", "國", "語", "的", "，", "。", "发展", "鎮"]
    lines = ["".join(rng.choice(latin if rng.random() < 0.4 else han) for _ in range(rng.randint(1, 12)))
             for _ in range(1500)]
    got = [mojibake._line_edits(line, 0, len(line), DEFAULT) for line in lines]
    monkeypatch.setattr(mojibake, "_LATIN_WORK_RUN", mojibake._work_run_re(skip_readings=False))
    assert [mojibake._line_edits(line, 0, len(line), DEFAULT) for line in lines] == got


def test_latin_work_runs_are_the_runs_with_work():
    """One scan (``_LATIN_WORK_RUN``) finds the runs of ``_LATIN_RUN`` that are not ASCII and not reading runs."""
    rng = random.Random(6)
    latin = ["(yǔ)", "(lǜ)", "(zhèn)", "(ǎ)(ǎ)", "ǔ)", "(yǔ)é", "é(yǔ)", "(yǔ),,", "(yǔ)1", "ǔ", "Ã©", "ÖÐ¹ú", "ä¸­æ–‡",
             "Běijīng", "(Běi)", "abc(ǎi)x", "(nǚ)(ér)", "abc", "(de)", "\ufffd", "€", "“", "ab c", ")", "é)", "x)é"]
    han = ["中", "國", "語", "的", "，", "。", "发展", "鎮"]
    lines = ["".join(rng.choice(latin if rng.random() < 0.5 else han) for _ in range(rng.randint(0, 14)))
             for _ in range(5000)]
    for line in TEXTS + lines:
        old = [m.span() for m in mojibake._LATIN_RUN.finditer(line)
               if not m.group().isascii() and mojibake._READING_RUN.fullmatch(m.group()) is None]
        assert [m.span() for m in mojibake._LATIN_WORK_RUN.finditer(line)] == old, line


# ------------------------------------------------------------------ line memos

LINE_PIECES = [*PIECES, "\n", "\n", "\n ", " \n", "\n\u3000", "\u3000\n", "“\n", "\n”", "，\n", "\n,", "\n:", "&amp"]


def test_late_stage_is_line_local():
    """``fix_fast`` memoises the late passes and NFC per line (``pipeline._late_fast``), except after ``\\n;``."""
    from seedclean import pipeline

    rng = random.Random(11)
    texts = TEXTS + ["".join(rng.choice(LINE_PIECES) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    for text in texts:
        if "\n;" in text:
            continue
        per_line = "\n".join(pipeline._late_fast(line, DEFAULT) for line in text.split("\n"))
        assert pipeline._late_fast(text, DEFAULT) == per_line, text


def test_ruby_strip_is_line_local():
    """``ruby.fix`` counts and removes readings per line (``memo.LineTable``)."""
    rng = random.Random(12)
    texts = TEXTS + ["".join(rng.choice(LINE_PIECES) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    for text in texts:
        lines = [ruby._strip(line, 0) for line in text.split("\n")]
        assert ruby._strip(text, 0) == (sum(n for n, _ in lines), "\n".join(t for _, t in lines)), text
