"""gbk-fold-straddle and gbk-ruby-straddle: inputs made by running the mechanism."""

from __future__ import annotations

import pytest

from seedclean.config import DEFAULT
from seedclean.edits import apply_edits
from seedclean.passes import gbkbytes


def fix(text: str) -> tuple[str, list]:
    edits = gbkbytes.find(text, DEFAULT)
    return apply_edits(text, edits), edits


def fold(text: str, mark: str, errors_char: str | None = None) -> str:
    """Byte-level fold of a full-width mark to ASCII, as the garbling program did."""
    data = text.encode("gbk").replace(mark.encode("gbk"), mark.encode("gbk").decode("gbk").translate(
        {0xFF0C: ",", 0xFF1A: ":", 0xFF1B: ";", 0xFF1F: "?", 0xFF01: "!", 0xFF08: "(", 0xFF09: ")"}).encode())
    out = data.decode("gbk", errors="replace")
    return out.replace("\ufffd", errors_char) if errors_char else out


def ruby(text: str, ch: str, reading: str) -> str:
    data = text.encode("gbk").replace(ch.encode("gbk"), (ch + "(" + reading + ")").encode("gbk"))
    return data.decode("gbk", errors="replace")


@pytest.mark.parametrize("orphan", ["\ufffd", "?"])
def test_seed_line_question_fold(orphan):
    # 保。縣 = B1A3 A1A3 BF68; folding ？(A3BF) hits the straddling pair A3|BF.
    damaged = fold("市財政信用擔保。縣農商銀行開辟", "？", orphan)
    assert damaged == f"市財政信用擔保{orphan}?h農商銀行開辟"
    assert fix(damaged)[0] == "市財政信用擔保。縣農商銀行開辟"


def test_comma_fold_exposes_letter():
    damaged = fold("今天的工作。現在開始討論下一項", "，")
    assert damaged == "今天的工作\ufffd,F在開始討論下一項"
    assert fix(damaged)[0] == "今天的工作。現在開始討論下一項"


def test_colon_fold_phase_shift():
    # 。湖 = A1A3 BAFE: folding ：(A3BA) leaves A1 3A FE .., a phase-shifted run.
    src = "緊急生產防護服。湖南省衛健委組織調度"
    damaged = fold(src, "：")
    assert damaged.startswith("緊急生產防護服\ufffd:")
    assert damaged != src
    assert fix(damaged)[0] == src


def test_ruby_straddle():
    damaged = ruby("我們的報告備受關注", "鎮", "zhèn")
    assert damaged == "我們的報告\ufffd(zhèn)涫荜P注"
    out, edits = fix(damaged)
    assert out == "我們的報告備受關注"
    assert edits[0].rule == "gbk-ruby-straddle"
    assert fix(damaged.replace("\ufffd", "?"))[0] == "我們的報告備受關注"


def test_aligned_folds_untouched():
    # aligned folds (？ -> ?) are the punctuation pass's job
    damaged = fold("你好嗎？我很好。", "？")
    assert damaged == "你好嗎?我很好。"
    assert fix(damaged)[1] == []


@pytest.mark.parametrize(
    "text",
    ["你好吗?我很好", "??", "what?abc", "价格??元", "https://example.com/s?q=中国&p=1", "代码 a?b:c 表示",
     "好(?_?)", "(?_?)好的", "他说??OK", "真的吗??你说呢", "中文???", "这是?号", "问题:答案", "呢?!好的",
     "查询?a=1", "中国\ufffd\ufffd人民", "第3?章"],
)
def test_false_positives(text):
    assert fix(text)[1] == []


def test_fast_path_clean():
    assert gbkbytes.find("中国的发展。" * 1000, DEFAULT) == []


def test_never_crosses_newline():
    damaged = fold("工作。現在\n開始", "，")
    for e in gbkbytes.find(damaged, DEFAULT):
        assert "\n" not in damaged[e.start : e.end] and "\n" not in e.replacement


def test_ignore_rule():
    damaged = fold("今天的工作。現在開始討論下一項", "，")
    cfg = DEFAULT.with_options(ignore={"gbk-fold-straddle"})
    assert gbkbytes.find(damaged, cfg) == []


@pytest.mark.parametrize("op", ["drop", "insert"])
def test_phase_shift(op):
    src = "有人知道这个问题怎么解决吗？重启了好几次都没用……"
    data = src.encode("gbk")
    i = len("有人知道这个问题怎么".encode("gbk"))
    data = data[:i] + data[i + 1 :] if op == "drop" else data[:i] + b"\xc4" + data[i:]
    damaged = data.decode("gb18030", errors="replace")
    assert damaged != src
    out, edits = fix(damaged)
    assert edits and edits[0].rule == "gbk-phase-shift"
    assert sum(a != b for a, b in zip(out, src, strict=False)) <= 1 and len(out) == len(src)


@pytest.mark.parametrize(
    "src, op, at",
    [
        ("我們的報告備受關注，許多學者來信詢問研究方法與資料來源。", "insert", "學"),
        ("全市供暖面積達到1.5億平方米，比去年增加了約三百萬平方米。", "insert", "積"),
        ("會議強調，要堅持以人民爲中心的發展思想。", "drop", "的"),
    ],
)
def test_phase_shift_resync_on_letter(src, op, at):
    # the shifted decoder meets a trail byte in 0x40-0x7E and shows it as a letter: no U+FFFD
    data = src.encode("gbk")
    i = len(src[: src.index(at)].encode("gbk"))
    data = data[:i] + data[i + 1 :] if op == "drop" else data[:i] + b"\x9c" + data[i:]
    damaged = data.decode("gb18030", errors="replace")
    assert "\ufffd" not in damaged and damaged != src
    out, edits = fix(damaged)
    assert edits and edits[0].rule == "gbk-phase-shift"
    # at most one character wrong or missing (a lost byte's character is chosen by context)
    assert out == src or any(out in (src[:k] + src[k + 1 :], src[:k] + c + src[k + 1 :]) for k in range(len(src))
                             for c in out[k : k + 1])


@pytest.mark.parametrize(
    "text", ["买A股，去B站看", "穿T恤的人拍X光片", "宁波前洋E商小镇", "维生素C片", "第A组", "卡拉OK厅", "做了个B超"]
)
def test_letters_in_clean_chinese_untouched(text):
    assert fix(text)[1] == []
    assert gbkbytes.garbled_spans(text) == []


def test_garbled_span_finding():
    # a shift the repair does not take is still reported, with its position
    text = "政府計畫在三年內補助設置更多站點，並檢討嚓P的安全規範。旅靠赏高^網路"
    spans = gbkbytes.garbled_spans(text)
    assert spans and all(text[s:e] for s, e, _ in spans)
    assert any("^" in text[s:e] for s, e, _ in spans)
    assert gbkbytes.garbled_spans("中国的发展。" * 100) == []
