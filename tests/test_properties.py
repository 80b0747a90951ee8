"""Property tests (hypothesis) for ``fix_text``, ``clean``, ``check`` and ``decode``.

Profiles (``HYPOTHESIS_PROFILE``):

* ``ci`` (default): few examples, derandomized, no example database, so the
  normal test command stays fast and deterministic;
* ``deep``: 25x the examples, random seeds, with the example database
  (``HYPOTHESIS_PROFILE=deep python3 -m pytest tests/test_properties.py``).

Properties: never raises (bytes may raise only ``EmptyInputError`` and
``BinaryInputError``); the output is NFC and encodes as UTF-8 (no lone
surrogates); ``fix_text`` keeps the number of lines and is idempotent;
clean text comes back unchanged; ``fix_text(x) == clean(x).text``; every
input line of ``clean(x)`` is accounted for (title, metadata, heading,
paragraph, boilerplate or blank), and every repair and finding points
at a real line.
"""

from __future__ import annotations

import json
import os
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import seedclean
from seedclean import BinaryInputError, EmptyInputError

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "deep",
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
SCALE = 25 if PROFILE == "deep" else 1


def bounded(n: int) -> settings:
    """``n`` examples under ``ci`` (25x under ``deep``), never a deadline."""
    return settings(max_examples=n * SCALE, deadline=None)


# ---------------------------------------------------------------- vocabulary

SIMPLIFIED = (
    "中国的发展经济社会改革全力打好疫情防控阻击战特色小镇县农商银行当日授信办理到账我们在这里见面学习工作时间来源"
)
TRADITIONAL = (
    "中國的發展經濟社會改革全力打好疫情防控阻擊戰特色小鎮縣農商銀行當日授信辦理到賬我們在這裡見面學習工作時間來源"
)
WORDS_HANS = [
    "中国",
    "发展",
    "经济",
    "社会",
    "改革",
    "全力",
    "疫情",
    "防控",
    "阻击战",
    "特色小镇",
    "县农商银行",
    "当日",
    "授信",
    "办理",
    "到账",
    "我们",
    "学习",
    "工作",
    "时间",
    "来源",
    "作者",
    "北京",
    "上海",
    "湖南",
    "蓝山",
    "集结号",
    "双线战役",
    "企业",
    "贷款",
    "财政",
    "信用",
    "担保",
]
WORDS_HANT = [
    "中國",
    "發展",
    "經濟",
    "社會",
    "改革",
    "阻擊戰",
    "特色小鎮",
    "縣農商銀行",
    "當日",
    "辦理",
    "到賬",
    "我們",
    "學習",
    "時間",
    "來源",
    "臺灣",
    "擔保",
    "鎮內企業",
    "集結號",
    "雙線戰役",
]
LATIN_WORDS = [
    "Python",
    "ChatGPT",
    "KN95",
    "GDP",
    "iPhone",
    "http://example.com/a?b=1",
    "a?b",
    "x=1",
    "OK",
    'print("你好")',
    ":)",
    ";-)",
    "&nbsp;",
    "10:30",
    "1,000",
    "3.14",
    "2020-03-01",
    "COVID-19",
]
PUNCT_ASCII = [*",.:;?!()[]\"'-/", ",,", ",、", ",。", ",;", "??", "?!", "...", "(((", ")))"]
PUNCT_FULL = list("，。：；？！（）、“”‘’《》【】「」…—·　")
RUBY = [
    "鎮(zhèn)",
    "發(fā)",
    "戰(zhàn)",
    "藍(lán)",
    "結(jié)",
    "號(hào)",
    "的(de)",
    "的(de)(de)",
    "長(zhǎng)",
    "北京（Běijīng）",
    "呢(le1)",
    "字节(byte)",
    "中(zhong)",
    "國(guó)",
    "時(shí)",
    "鎮(ㄓㄣˋ)",
    "镇(zhen4)",
    "(zhèn)",
    "鎮(zhe\u0300n)",
]
LOSSY = ["??", "?", "锟斤拷", "锟斤拷锟斤拷锟", "烫烫烫", "屯屯屯", "\ufffd", "\ufffd\ufffd", "“锟斤拷”", "吗?"]
SPACES = [
    " ",
    "  ",
    "\t",
    "\u00a0",
    "\u00a0\u00a0",
    " \u00a0 \u00a0 ",
    "\u3000",
    "\u3000\u3000",
    "\u2002",
    "\u200b",
    "\u202f",
    "\u205f",
    "\ufeff",
]
CONTROLS = [
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\u200e",
    "\u202e",
    "\r",
    "\r\n",
    "\n",
    "\n\n",
]
COMBINING = ["e\u0301", "\u0301", "a\u030c", "u\u0308", "\u1100\u1161", "Å", "\u212b", "\uf900", "\ufa0e", "ｶ"]
STRUCTURE = [
    "原标题：",
    "来源：",
    "时间：",
    "作者：",
    "转自：",
    "一、",
    "（一）",
    "第一章",
    "1.",
    "版权所有",
    "ICP备12345号",
    "热点新闻",
    "分享到",
    "2020年3月1日",
    "©",
    "延伸阅读：",
]


def _mojibake(word: str) -> list[str]:
    out = []
    for enc, dec in (
        ("utf-8", "gbk"),
        ("gbk", "latin-1"),
        ("utf-8", "cp1252"),
        ("big5", "gbk"),
        ("gbk", "big5"),
        ("utf-8", "latin-1"),
        ("gbk", "cp1252"),
    ):
        try:
            out.append(word.encode(enc).decode(dec, "replace"))
        except UnicodeEncodeError:
            pass
    return out


MOJIBAKE = sorted({m for w in WORDS_HANS + WORDS_HANT + ["中国的发展", "湖南蓝山"] for m in _mojibake(w)})


def _escaped(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


# GBK / Big5 / UTF-8 bytes with a byte dropped or flipped, read with surrogateescape.
ESCAPED_SAMPLES = [
    _escaped("中国".encode("gbk")),
    _escaped("縣農商".encode("big5")),
    _escaped("中国的发展".encode()[:-1]),
    _escaped(b"\xff\xfe\x80"),
    _escaped(b"\xbfh"),
]

fragments = st.one_of(
    st.sampled_from(WORDS_HANS),
    st.sampled_from(WORDS_HANT),
    st.text(alphabet=SIMPLIFIED + TRADITIONAL, min_size=1, max_size=12),
    st.sampled_from(LATIN_WORDS),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ0123456789", min_size=1, max_size=6),
    st.sampled_from(PUNCT_ASCII),
    st.sampled_from(PUNCT_FULL),
    st.sampled_from(MOJIBAKE),
    st.sampled_from(RUBY),
    st.sampled_from(LOSSY),
    st.sampled_from(SPACES),
    st.sampled_from(CONTROLS),
    st.sampled_from(COMBINING),
    st.sampled_from(STRUCTURE),
    st.sampled_from(ESCAPED_SAMPLES),
    st.binary(min_size=1, max_size=6).map(_escaped),
    st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF).map(str),
    st.characters(codec="utf-8").map(str),
    st.characters().map(str),  # anything, lone surrogates included
)

garbled = st.lists(fragments, max_size=40).map("".join)
garbled_no_surrogates = garbled.map(lambda s: s.encode("utf-8", "replace").decode("utf-8"))
anything = st.one_of(garbled, st.text(max_size=60))

# Realistic damage: each fragment (one kind of damage) stands between Chinese
# words, as on a scraped page; no control characters, no lone surrogates.
realistic_fragment = st.one_of(
    st.sampled_from(WORDS_HANS),
    st.sampled_from(WORDS_HANT),
    st.sampled_from(LATIN_WORDS),
    st.sampled_from(PUNCT_ASCII),
    st.sampled_from(PUNCT_FULL),
    st.sampled_from(RUBY),
    st.sampled_from(MOJIBAKE),
    st.sampled_from(LOSSY),
    st.sampled_from([" ", "\u00a0", "\u3000", "\n", "\n\n"]),
    st.sampled_from(STRUCTURE),
)
realistic = st.lists(st.tuples(realistic_fragment, st.sampled_from(WORDS_HANS + WORDS_HANT)), max_size=20).map(
    lambda parts: "".join(f + w for f, w in parts)
)

# Already-clean Simplified text: sentences, full-width punctuation, numbers and Latin words.
CLEAN_SENTENCES = [
    "中国的发展很快。",
    "3月1日，湖南省蓝山县召开会议。",
    "县农商银行开辟“当日授信、当日办理、当日到账”绿色通道。",
    "我们使用 Python 编写程序。",
    "会议于10:30开始，共有1,000人参加。",
    "他说：“我们一定能打赢这场疫情防控阻击战！”",
    "你吃饭了吗？",
    "《人民日报》发表评论文章（全文见第二版）。",
    "床前明月光，疑是地上霜。",
    "举头望明月，低头思故乡。",
    "截至2020年3月1日，全国共有200个特色小镇。",
    "增长率达到3.5%，比上年提高0.2个百分点。",
    "访问 https://example.com 了解更多信息。",
    "这款 iPhone 的价格是5,999元。",
    "他著有多部著作，是著名的学者。",
    "看着窗外的雨，我想起了故乡。",
    "GDP同比增长6.1%；CPI上涨2.9%。",
    "第一，要坚持人民至上；第二，要坚持实事求是。",
    "北京、上海、广州和深圳都是大城市。",
    "这是一个测试——没有任何问题……",
]
CLEAN_EXTRAS = ["", "2020年", "100", "COVID-19", "KN95口罩", "5G网络"]

clean_line = st.lists(st.sampled_from(CLEAN_SENTENCES), min_size=1, max_size=4).map("".join)
clean_text = st.lists(st.one_of(clean_line, st.sampled_from(CLEAN_EXTRAS)), min_size=1, max_size=12).map("\n".join)


# ---------------------------------------------------------------- helpers


def assert_valid_output(out: str) -> None:
    assert isinstance(out, str)
    out.encode("utf-8")  # raises on a lone surrogate
    assert unicodedata.is_normalized("NFC", out)
    assert "\r" not in out


def assert_nothing_lost(doc: seedclean.Document, n_lines: int) -> None:
    """Every input line is in exactly one place, and no place holds empty text."""
    assert doc.nothing_lost(n_lines), doc.line_places()
    assert all(f.value.strip() for f in doc.metadata_fields)
    for s in doc.sections:
        assert s.heading is None or s.heading.strip()
        assert all(p.text.strip() and p.lines[0] <= p.lines[1] for p in s.paragraphs)
    assert all(b.text.strip() for b in doc.boilerplate)


def assert_document(doc: seedclean.Document, n_lines: int) -> None:
    assert_valid_output(doc.text)
    assert doc.text.count("\n") + 1 == max(n_lines, 1)
    assert_nothing_lost(doc, n_lines)
    for r in doc.repairs:
        assert 1 <= r.line <= max(n_lines, 1) and r.column >= 1, r
    for f in doc.findings:
        assert 1 <= f.line <= max(n_lines, 1) and f.column >= 1, f
    data = json.loads(doc.to_json())
    assert data["schema"] == "seedclean.document/1"
    for rendered in (doc.to_text(), doc.to_markdown(), doc.to_json()):
        assert_valid_output(rendered)


def lines_of(text: str) -> int:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.count("\n") + 1 if text else 0


# ---------------------------------------------------------------- fixed idempotence bugs
# Once known bugs, each with its minimal input, the output of one run (which
# a second run must leave alone) and what went wrong.

# Fixed (d9b4574): NFC ran after the passes; U+3000 was punctuation for the
# space pass; marks were decided before parentheses (inputs only).
NFC_LAST = ["\u1100\u1161?", "\uf9e7", "鎮(zhe\u0300n)鎮(zhe\u0300n)", "\u212b\u212b"]
SPACE_ONLY_LINE = ["\u3000\u3000\u3000 ", "中国\u3000\u3000"]
PUNCT_PAREN = ["(中国:)", "(中国;中国)"]
# Found by the deep profile (issue 6): the punctuation pass widened `,` and the
# next run's gbk-phase-shift took `，》` before the U+FFFD for a shifted run.
# Then the same with the context: `中国,,` next to a site read `中国，` on the next run.
PUNCT_THEN_PHASE = [",》\udcff\udcfe\udc80", "，》\ufffd䜣", "中国,,\udcca\x81íÔ´", "中国中国:\udcca\x81íÔ´"]
PUNCT_THEN_PHASE += ["中国,:\udcca\x81íÔ´", "中国,、\udcca\x81íÔ´"]


@pytest.mark.parametrize("text", NFC_LAST + SPACE_ONLY_LINE + PUNCT_PAREN + PUNCT_THEN_PHASE, ids=repr)
def test_fixed_idempotence_regressions(text: str) -> None:
    once = seedclean.fix_text(text)
    assert seedclean.fix_text(once) == once


# Issue 6.  Pass order: gbk-phase-shift (early) repaired on the next run
# what t2s (later) made: `鴷J` -> `䴕J` -> `哈欽`.  The lines a stage changes
# now go through the early passes again in the same run (pipeline.py,
# "settling"); the phase-shift repair of `䴕J` (a guessed lost lead byte,
# B9 FE 9A 4A = 哈欽) is then converted like the rest.
PHASE_SHIFT_AFTER_T2S = [("鴷J", "哈钦"), ("䴕J", "哈钦")]
# passes/mojibake.py: a short span is judged with its neighbours, and those
# were the ruby reading `èn)` and `鎮(z`, which the ruby pass removes later:
# `ÈÕ` (GBK 日 read as Latin-1) gained too little and was repaired only on the
# next run.  Ruby readings no longer vote as neighbours.
MOJIBAKE_AFTER_RUBY = [("鎮(zhèn)ÈÕ鎮(zhèn)", "镇日镇")]
# passes/mojibake.py: two kinds of mojibake in one span (GBK 来源 read as
# Latin-1, then UTF-8 上海 read as cp1252): the UTF-8 repair turns `Ô´` into
# Armenian `Դ`, the next run repaired `À´Դ` as GBK.  A repaired line is now
# examined again in the same run.
MOJIBAKE_MIXED_SPAN = [("À´Ô´ä¸\x8aæµ·", "来源上海")]
# Found by the deep profile: `鑷虹仯` (UTF-8 臺灣 read as GBK) is short and was
# judged next to the garbled `\x81íÔ` (GBK 來源 read as Latin-1), so it gained
# too little; the next run judged it next to 來源.  Same fix.
MOJIBAKE_MIXED_SPAN += [("鑷虹仯\x81íÔ´中国北京（Běijīng）", "台湾来源中国北京（Běijīng）")]
# passes/mojibake.py: the walk of UTF-8-read-as-GBK ran on into clean text,
# whose GBK bytes are also UTF-8 (学习 = D1 A7 CF B0 = `ѧϰ`): the span in
# front of 特色小鎮 was repaired with 学习 turned into Cyrillic (the next run
# turned it back), and the span before 学习 gained too little to be repaired
# at all (while before 學習, which is no such UTF-8, it was).  A common Han
# character that would become a Cyrillic, Greek, ... letter now ends the span.
# 特色小鎮 stays Traditional: one Traditional character next to two
# Simplified ones is a mixed text, which script-convert leaves alone.
MOJIBAKE_EATS_NEIGHBOUR = [("学习鐗硅壊灏忛幃", "学习特色小鎮"), ("鐗硅壊灏忛幃学习", "特色小鎮学习")]
MOJIBAKE_NEIGHBOURS = [("婀栧崡学习", "湖南学习"), ("婀栧崡學習", "湖南学习"), ("学习婀栧崡", "学习湖南")]

ISSUE_6 = PHASE_SHIFT_AFTER_T2S + MOJIBAKE_AFTER_RUBY + MOJIBAKE_MIXED_SPAN + MOJIBAKE_EATS_NEIGHBOUR
ISSUE_6 += MOJIBAKE_NEIGHBOURS


@pytest.mark.parametrize("text,once", ISSUE_6, ids=repr)
def test_issue_6_right_in_one_run(text: str, once: str) -> None:
    """The output of one run, which a second run leaves unchanged."""
    assert seedclean.fix_text(text) == once
    assert seedclean.fix_text(once) == once
    assert seedclean.clean(text).text == once


# Found by the deep profile: the late passes (punct, space) change what the
# early passes see, and the next run repaired again, wrongly.  Fixed at the
# repairs themselves:
# - space removes the no-break space in `擔保\xa0擔保\ufffd`; gbk-phase-shift
#   then turned the clean `担保担保` before the U+FFFD into `１５１．` (a shift
#   result with full-width letters or digits is now refused);
# - space turns U+3000 into a space next to `屯屯屯`; mojibake-big5-gbk then
#   repaired it as `戚戚戚` (runs of 烫/屯 are lossy markers no span crosses);
# - punct widens `,` after `è‡ºç\ufffd£财政`, UTF-8 臺灣 read as cp1252 with
#   the byte 0x81 lost to U+FFFD; mojibake then repaired `\ufffd£` as Big5
#   (`臺ç將G`).  A U+FFFD in the cp1252 view is now one of the five bytes
#   cp1252 leaves undefined, so the first run repairs 臺灣 whole (and
#   `æ“”ä¿\ufffd` next to 屯屯屯 as 擔保).
LATE_THEN_EARLY_FIXED = [
    ("中國擔保\xa0擔保\ufffd中国", "中国担保担保\ufffd中国"),
    ("屯屯屯\u3000æ“”ä¿\ufffd", "屯屯屯担保"),
    ("中国學習è‡ºç\ufffd£财政,中国", "中国學習臺灣财政，中国"),
]


@pytest.mark.parametrize("text,once", LATE_THEN_EARLY_FIXED, ids=repr)
def test_late_then_early_fixed(text: str, once: str) -> None:
    assert seedclean.fix_text(text) == once
    assert seedclean.fix_text(once) == once


# Found by the deep profile after the fixes above, fixed in two places:
# - decoding.py: stray surrogate-escaped bytes (`\udcd6` + 中国) paired with
#   the UTF-8 lead byte behind them as GBK (`咒腑国`); a lone byte in front of
#   UTF-8 now stays one undecodable byte when the UTF-8 reads better;
# - pipeline.py: the late passes (punct, space) still change what the early
#   ones see.  `\ufffd:咒腑国`: once `:` is widened, mojibake-big5-gbk takes
#   the U+FFFD and `：` as one character's bytes.  The lines the late passes
#   change now go through the early passes again in the same run (settling
#   after the late passes), and the late passes again on what that changes.
#   The repair itself is poor (`取G〨灯国`); these inputs already hold a lost
#   character, and the test asserts only that one run settles.
LATE_THEN_EARLY_SETTLED = ["\udc80:\udcd6中国", "\ufffd:咒腑国"]


@pytest.mark.parametrize("text", LATE_THEN_EARLY_SETTLED, ids=repr)
def test_late_then_early_settled(text: str) -> None:
    once = seedclean.fix_text(text)
    assert seedclean.fix_text(once) == once
    assert seedclean.clean(text).text == once


def test_stray_surrogate_escaped_bytes_stay_lost() -> None:
    assert seedclean.fix_text("\udc80:\udcd6中国") == "\ufffd:\ufffd中国"


@pytest.mark.parametrize("script", ["hans", "hant", "tw", "hk", "keep"])
def test_mojibake_repair_does_not_depend_on_the_neighbours_script(script: str) -> None:
    """`婀栧崡` (UTF-8 湖南 read as GBK) is repaired before Simplified and Traditional text alike."""
    for text in ("婀栧崡学习", "婀栧崡學習"):
        once = seedclean.fix_text(text, script=script)
        assert once.startswith("湖南"), (text, once)
        assert seedclean.fix_text(once, script=script) == once


# ---------------------------------------------------------------- fix_text


@bounded(300)
@given(anything)
@example("國國國\udcff發展")
@example("鎮(zhèn)鎮(zhèn)\udcff")
@example("中国\udcff")
def test_fix_text_never_raises_and_output_is_valid(text: str) -> None:
    out = seedclean.fix_text(text)
    assert_valid_output(out)
    assert out.count("\n") == text.replace("\r\n", "\n").replace("\r", "\n").count("\n")


@bounded(200)
@given(realistic)
@example("鎮(zhèn)和鎮(zhèn),,成效")
# four short spans, each repaired only once its neighbour is: a line was examined three times at most
@example("閹\ufffd鍏т紒妤\ufffd中国闃绘搳鎴\ufffd中国闃绘搳鎴\ufffd中国\x81íÔ´中国")
def test_fix_text_is_idempotent(text: str) -> None:
    once = seedclean.fix_text(text)
    assert seedclean.fix_text(once) == once


@bounded(200)
@given(garbled)
@example("\udcb3。中国中 ")  # a trailing space (removed late) changed a phase-shift decision at the line end
@example("\udcb3。中国中\xa0")  # the same with a no-break space, which a rare-character run took in
@example(":中国\ufffd顈\ufffd中国")  # after `：` a Big5 repair made kana (`來訪い`) out of the span
@example("??中国\ufffd顈\ufffd中国")  # after `？？` a Big5 repair made a private-use character
@example("\udcb3。中\u3000中国")  # an ideographic space (removed late) in a phase-shift site's context
@example("\udc80\udcd4中国中国\x85,;中国")  # ftfy judged `\x85,;` before `,;` was widened, `\x85` after
@example("中国,“,")  # the second comma follows a Chinese mark only once the first is widened
@example("来源: ,中国")  # the space before the second run goes with the first
def test_fix_text_is_idempotent_on_hostile_input(text: str) -> None:
    """Idempotence on everything ``garbled`` makes."""
    once = seedclean.fix_text(text)
    assert seedclean.fix_text(once) == once


@bounded(60)
@given(realistic, st.sampled_from(["hant", "tw", "hk", "keep"]))
def test_fix_text_other_scripts(text: str, script: str) -> None:
    once = seedclean.fix_text(text, script=script)
    assert_valid_output(once)
    assert once.count("\n") == text.replace("\r\n", "\n").replace("\r", "\n").count("\n")
    assert seedclean.fix_text(once, script=script) == once


@bounded(150)
@given(clean_text)
def test_clean_text_is_unchanged(text: str) -> None:
    assert seedclean.fix_text(text) == text
    doc = seedclean.clean(text)
    assert doc.text == text
    assert doc.repairs == []
    assert seedclean.check(text) == []


@bounded(150)
@given(garbled.filter(lambda s: "\r" not in s))
def test_fix_text_equals_clean_text(text: str) -> None:
    assert seedclean.fix_text(text) == seedclean.clean(text).text


# ---------------------------------------------------------------- clean / check


@bounded(200)
@given(anything)
@example("\udcd6й\udcfa\u1100\u1161")  # a mixed-encoding finding showed the decomposed Hangul it held (not NFC)
def test_clean_str_nothing_lost(text: str) -> None:
    doc = seedclean.clean(text)
    assert_document(doc, lines_of(text))


@bounded(100)
@given(garbled)
def test_check_never_raises(text: str) -> None:
    n = max(lines_of(text), 1)
    for f in seedclean.check(text):
        assert 1 <= f.line <= n and f.column >= 1


# ---------------------------------------------------------------- bytes


def _encodings(text: str) -> st.SearchStrategy[bytes]:
    options = []
    for enc in ("utf-8", "gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"):
        try:
            options.append(text.encode(enc))
        except UnicodeEncodeError:
            pass
    return st.sampled_from(options) if options else st.just(text.encode("utf-8", "surrogateescape"))


def _splice(parts: list[bytes]) -> bytes:
    return b"".join(parts)


byte_inputs = st.one_of(
    st.binary(max_size=200),
    garbled_no_surrogates.flatmap(_encodings),
    st.lists(st.one_of(garbled_no_surrogates.flatmap(_encodings), st.binary(max_size=8)), max_size=6).map(_splice),
    st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\xef\xbb\xbf\xff\xfe"]).flatmap(
        lambda bom: st.binary(max_size=40).map(lambda b: bom + b)
    ),
)


@bounded(300)
@given(byte_inputs)
@example(b"\xff\xfe\x00\xd8")  # UTF-16 BOM, lone surrogate
@example(b"\x00\xd8\x00\x00")
def test_decode_never_raises_unexpectedly(data: bytes) -> None:
    try:
        d = seedclean.decode(data)
    except EmptyInputError:
        assert not data
        return
    except BinaryInputError:
        assert data
        return
    d.text.encode("utf-8")
    assert "\r" not in d.text
    assert d.encoding


def test_decode_empty() -> None:
    with pytest.raises(EmptyInputError):
        seedclean.decode(b"")


@bounded(200)
@given(byte_inputs)
# a control character (escaped in JSON as \u001e) then a combining mark: the mark combined with the escape's `e`
@example("中国中国中国\x1e\u0301".encode())
def test_clean_bytes(data: bytes) -> None:
    try:
        doc = seedclean.clean(data)
    except (EmptyInputError, BinaryInputError):
        return
    decoded = seedclean.decode(data).text
    assert_document(doc, lines_of(decoded))


@bounded(100)
@given(garbled_no_surrogates.filter(lambda s: "\r" not in s and s.strip() != "" and "\x00" not in s))
def test_utf8_bytes_and_str_agree(text: str) -> None:
    try:
        doc = seedclean.clean(text.encode("utf-8"))
    except BinaryInputError:
        return
    assert doc.text == seedclean.fix_text(text[1:] if text.startswith("\ufeff") else text)


@bounded(100)
@given(st.binary(min_size=1, max_size=60))
def test_surrogate_escaped_bytes(data: bytes) -> None:
    text = data.decode("utf-8", "surrogateescape")
    out = seedclean.fix_text(text)
    assert_valid_output(out)
    assert out.count("\n") == text.replace("\r\n", "\n").replace("\r", "\n").count("\n")
    assume("\r" not in text)
    assert seedclean.clean(text).text == out
