

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
    garbled = "“中文字符”，测试".encode("utf-8").decode("cp1252", errors="replace")
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
