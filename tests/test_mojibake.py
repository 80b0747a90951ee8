

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
