

import pytest

import seedclean
from seedclean.config import DEFAULT
from seedclean.edits import apply_edits
from seedclean.passes import mojibake

SRC = "中国的经济发展取得了巨大成就，人民生活水平不断提高。"


def fix(text):
    edits = mojibake.find(text, DEFAULT)
    return apply_edits(text, edits), edits


def test_e1_only_span_changes():
    garbled = SRC.encode("utf-8").decode("gbk", errors="replace")
    text = "前言：" + garbled + " 完\n第二行正常。"
    assert fix(text)[0] == "前言：" + SRC + " 完\n第二行正常。"


def test_e2_latin1_and_cp1252():
    for codec in ("latin-1", "cp1252"):
        garbled = SRC.encode("gbk").decode(codec, errors="replace")
        if "\ufffd" in garbled:
            continue
        out, edits = fix(garbled)
        assert out == SRC
        assert edits[0].rule == "mojibake-gbk-as-latin1"


def test_e3_keeps_chinese_quotes():
    garbled = "“中文字符”，测试".encode().decode("cp1252", errors="replace")
    if "\ufffd" not in garbled:
        assert fix(garbled)[0] == "“中文字符”，测试"


def test_fast_path():
    assert mojibake.find("plain ascii text", DEFAULT) == []
    assert mojibake.find(SRC * 200, DEFAULT) == []


TRAD = "這座古蹟建於清朝，歷經多次整修。遊客可以預約導覽，深入了解當地的歷史文化。"


def test_big5_read_as_gbk():
    garbled = TRAD.encode("big5").decode("gb18030")
    out, edits = fix(garbled)
    assert out == TRAD
    assert edits[0].rule == "mojibake-big5-gbk"


def test_gbk_read_as_big5_keeps_valid_pairs():
    garbled = SRC.encode("gbk").decode("big5", errors="replace")
    out, edits = fix(garbled)
    assert edits and all(e.rule == "mojibake-big5-gbk" for e in edits)
    assert out.count("\ufffd") <= garbled.count("\ufffd")


def test_whole_line_with_ascii_and_lost_last_byte():
    # runs between ASCII are even here; the last byte of 。 is lost at the line end
    src = "升级 v2.3.1 以后内存占用约为 128MB 左右。"
    garbled = src.encode("utf-8").decode("gb18030", errors="replace")
    assert fix(garbled)[0] == src


def test_gbk_as_latin1_with_extension_a():
    src = "南汉开国皇帝刘䶮在位期间，广州一带的商业相当繁荣。"
    assert fix(src.encode("gb18030").decode("latin-1"))[0] == src


def test_utf8_as_gbk_then_cp1252():
    layer1 = SRC.encode("utf-8").decode("gb18030", errors="replace")
    garbled = layer1.encode("utf-8").decode("cp1252", errors="replace")
    if "\ufffd" not in garbled:
        assert fix(garbled)[0] == SRC


IDIOMS = (
    "他说话诘屈聱牙，做事跋扈恣睢，却又鞭辟入里、戛然而止，真是魑魅魍魉、耄耋之年的饕餮之徒。\n"
    "魑魅魍魉，饕餮耄耋，踽踽独行于觥筹交错之间；龃龉嗫嚅，趔趄蹒跚，罄竹难书。\n"
    "叱咤膏粱纨袴，绸缪帷幄，掎挈伺诈，狐裘尨茸，缊褐瓢箪，磨砻砥砺。\n"
)


def test_clean_rare_idioms_skip_the_deep_search(monkeypatch):
    # every line has rare-character runs (the fast path lets them through),
    # but no run passes a hypothesis' cheap test: no span search, no layer peeled
    assert all(mojibake._patterns()[1].search(line) for line in IDIOMS.splitlines())
    calls = {"peel": 0, "spans": 0}
    peel, spans = mojibake._peel, mojibake._spans

    def counting_peel(*args):
        calls["peel"] += 1
        return peel.__wrapped__(*args)

    def counting_spans(*args):
        calls["spans"] += 1
        return spans(*args)

    monkeypatch.setattr(mojibake, "_peel", counting_peel)
    monkeypatch.setattr(mojibake, "_spans", counting_spans)
    assert mojibake.find(IDIOMS * 10, DEFAULT) == []
    assert calls == {"peel": 0, "spans": 0}


def test_short_spans_in_a_line_of_rare_idioms_are_still_repaired():
    line = IDIOMS.splitlines()[0]
    e1 = "中国的经济发展".encode().decode("gbk", errors="replace")
    assert fix(line + e1 + "。")[0] == line + "中国的经济发展。"
    big5 = TRAD.encode("big5").decode("gb18030")
    assert fix(line + "\n" + big5)[0] == line + "\n" + TRAD


def test_gbk_read_as_big5_next_to_simplified_text():
    # the run's Simplified neighbour cannot be encoded in Big5: it must not veto the run
    garbled = "社会" + "特色小镇".encode("gbk").decode("big5", errors="replace") + "发展"
    out, edits = fix(garbled)
    assert edits and all(e.rule == "mojibake-big5-gbk" for e in edits)
    assert out.count("\ufffd") <= garbled.count("\ufffd")


# Characters whose GBK bytes begin a three-byte UTF-8 sequence (lead byte E0-EF):
# a real `?` after them must not be taken for a lost byte of UTF-8 read as GBK.
_QMARK_TRAPS = ["这是琛?他说", "你知道岚?好的", "为什么铮?12", "我问他琛?", "他說琛的?”", "瑕疵??真的吗"]


@pytest.mark.parametrize("text", _QMARK_TRAPS)
def test_a_real_question_mark_is_not_a_lost_byte(text):
    without = seedclean.fix_text(text, ignore=frozenset(mojibake.RULES))
    assert seedclean.fix_text(text) == without
    assert not [r for r in seedclean.clean(text).repairs if r.rule.startswith("mojibake")]


def test_a_question_mark_inside_utf8_read_as_gbk_is_a_lost_byte():
    # strict GBK decoder, U+FFFD saved as GBK: 中 = E4 B8 AD; B8 AD pairs, AD E5 is rejected
    garbled = "中国的发展很快。".encode().decode("gbk", errors="replace").replace("\ufffd", "?")
    assert "?" in garbled
    assert seedclean.fix_text(garbled) == "中国的发展很快。"


def test_clean_neighbours_are_not_part_of_the_span() -> None:
    """学习 = GBK D1 A7 CF B0, which is also UTF-8 (`ѧϰ`): the span of UTF-8 read as GBK ends before it."""
    for text, want in (
        ("学习鐗硅壊灏忛幃", "学习特色小鎮"),
        ("鐗硅壊灏忛幃学习", "特色小鎮学习"),
        ("婀栧崡学习", "湖南学习"),
    ):
        assert apply_edits(text, mojibake.find(text, DEFAULT)) == want


def test_ruby_readings_are_not_neighbours() -> None:
    text = "鎮(zhèn)ÈÕ鎮(zhèn)"
    assert apply_edits(text, mojibake.find(text, DEFAULT)) == "鎮(zhèn)日鎮(zhèn)"


def test_a_repaired_line_is_examined_again() -> None:
    """GBK read as Latin-1 next to UTF-8 read as cp1252: the first repair leaves `À´Դ`, the second fixes it."""
    text = "来源：À´Ô´ä¸\x8aæµ·"
    edits = mojibake.find(text, DEFAULT)
    assert apply_edits(text, edits) == "来源：来源上海"
    assert len(edits) == 1


def test_compose_edits() -> None:
    import random

    from seedclean.edits import Edit, compose_edits, normalize_edits

    def random_edits(text: str, rng: random.Random, rule: str) -> list[Edit]:
        out, pos = [], 0
        while pos <= len(text):
            if rng.random() < 0.3:
                end = min(len(text), pos + rng.randint(0, 3))
                out.append(Edit(pos, end, "".join(rng.choice("xyab") for _ in range(rng.randint(0, 3))), rule))
                pos = end + 1
            else:
                pos += 1
        return out

    rng = random.Random(6)
    for _ in range(3000):
        text = "".join(rng.choice("abcd") for _ in range(rng.randint(0, 10)))
        first = random_edits(text, rng, "r1")
        mid = apply_edits(text, first)
        then = random_edits(mid, rng, "r2")
        got = compose_edits(text, first, then)
        assert apply_edits(text, got) == apply_edits(mid, then)
        assert got == normalize_edits(got)
    assert compose_edits("ab cd", [Edit(0, 2, "x", "r1")], [Edit(0, 1, "y", "r2"), Edit(3, 4, "z", "r3")]) == [
        Edit(0, 2, "y", "r1"),
        Edit(4, 5, "z", "r3"),
    ]
