import codecs

import pytest

from seedclean.decoding import BinaryInputError, EmptyInputError, decode, decode_surrogates

TEXT = "中国的发展\r\n第二行\rabc"
NORM = "中国的发展\n第二行\nabc"


@pytest.mark.parametrize(
    "data,enc",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-32-be"), "utf-32-be"),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le"),
        (TEXT.encode("gbk"), "gb18030"),
    ],
)
def test_encodings(data, enc):
    d = decode(data)
    assert d.text == NORM
    assert d.encoding == enc
    assert d.findings == []


def test_big5_whole_file():
    d = decode("臺灣的經濟發展很快，大家都很高興。".encode("big5"))
    assert d.text == "臺灣的經濟發展很快，大家都很高興。"
    assert d.encoding == "big5"


def test_mixed_utf8_and_legacy_runs():
    data = "前面是UTF8，".encode() + "中国的发展".encode("gbk") + "后面也是UTF8".encode()
    d = decode(data)
    assert d.text == "前面是UTF8，中国的发展后面也是UTF8"
    assert "gb18030" in d.encodings and "utf-8" in d.encodings
    data = "前面是UTF8，".encode() + "臺灣的經濟發展".encode("big5") + "后面".encode()
    assert decode(data).text == "前面是UTF8，臺灣的經濟發展后面"


def test_stray_byte_before_utf8_stays_one_byte():
    """A lone legacy byte does not pair with the UTF-8 lead byte after it (D6 E4 = 咒)."""
    d = decode(b"\xd6" + "中国的发展".encode())
    assert d.text == "\ufffd中国的发展"
    assert [f.rule for f in d.findings] == ["undecodable-bytes"]
    assert decode(b"\x80:\xd6" + "中国的发展".encode()).text == "\ufffd:\ufffd中国的发展"
    assert decode_surrogates("\udcd6中国") == "\ufffd中国"


@pytest.mark.parametrize("words", ["据这，", "据会不", "据这。"])
def test_gbk_trail_byte_that_starts_utf8_stays_gbk(words: str) -> None:
    """这 = D5 E2, and E2 A3 AC (the bytes of 这，) is valid UTF-8 up to the ASCII after it: still GBK."""
    data = "新闻：".encode() + words.encode("gbk") + b"2020" + "结束了".encode()
    assert decode(data).text == "新闻：" + words + "2020结束了"


@pytest.mark.parametrize(
    "data,text",
    [
        # 效 = D0 A7 and 学习 = D1 A7 CF B0 are also two-byte UTF-8 (Ч, ѧϰ): strict
        # UTF-8 took them, and the GBK run started one character late
        ("前面是UTF8，".encode() + "效果很好".encode("gbk") + "后面".encode(), "前面是UTF8，效果很好后面"),
        ("前面是UTF8，".encode() + "学习特色小镇".encode("gbk") + "后面".encode(), "前面是UTF8，学习特色小镇后面"),
        # 藻 = C4 A6 in Big5 is `Ħ` as UTF-8
        ("新聞報導：".encode() + "藻國塊吧".encode("big5") + "，結束了".encode(), "新聞報導：藻國塊吧，結束了"),
        # real two-byte UTF-8 in front of a GBK run stays: the end of a Latin word, a sign that reads better
        ("Café·".encode() + "中国的发展".encode("gbk") + "后面".encode(), "Café·中国的发展后面"),
        ("价格：5×".encode() + "中国的发展".encode("gbk") + "后面".encode(), "价格：5×中国的发展后面"),
        # 扁姜 = B1 E2 BD AA, and E2 BD AA EF BC 8C (with the UTF-8 `，`) is UTF-8: still GBK
        ("新闻：".encode() + "仿乖扁姜".encode("gbk") + "，结束了".encode(), "新闻：仿乖扁姜，结束了"),
        # one UTF-8 character between two Big5 runs: too short to end the run, taken where Big5 stops at it
        (
            "新聞：".encode() + "颱風來襲前".encode("big5") + "務".encode() + "必做好防災".encode("big5"),
            "新聞：颱風來襲前務必做好防災",
        ),
        # a UTF-8 character between GBK runs whose next bytes are also UTF-8 (统 = CD B3 = ͳ): the best segmentation
        ("开头的文字".encode() + "国".encode("gbk") + "家".encode() + "统计局".encode("gbk"), "开头的文字国家统计局"),
        # 鄖 = E0 A8 in Big5, and E0 A8 B7 is UTF-8 (Gurmukhi, never on a Chinese page)
        ("新聞：".encode() + "伽四略冰窟鄖搗武".encode("big5") + "，結束了".encode(), "新聞：伽四略冰窟鄖搗武，結束了"),
    ],
    ids=[
        "gbk-as-cyrillic", "gbk-as-cyrillic-2", "big5-as-latin", "cafe", "times-sign", "gbk-then-utf8",
        "big5-utf8-big5", "gbk-utf8-gbk", "big5-gurmukhi",
    ],
)
def test_where_a_legacy_run_starts_and_ends(data: bytes, text: str) -> None:
    assert decode(data).text == text


def test_undecodable_bytes_reported():
    data = "中国".encode("gbk") + b"\xff" + "发展\n好的".encode("gbk")
    d = decode(data)
    assert d.text == "中国\ufffd发展\n好的"
    assert len(d.findings) == 1
    f = d.findings[0]
    assert f.rule == "undecodable-bytes" and f.line == 1 and f.column == 3
    assert "byte offset 4" in f.message


def test_errors():
    with pytest.raises(EmptyInputError):
        decode(b"")
    with pytest.raises(BinaryInputError):
        decode(b"\x00\x01\x02\x03binary\x00\x00\xff\x10")
    with pytest.raises(BinaryInputError):
        decode(bytes(range(1, 32)) * 10)
    assert issubclass(BinaryInputError, ValueError)


def test_ascii_utf16_without_bom():
    assert decode("hello world\n".encode("utf-16-le")).text == "hello world\n"


def test_japanese_and_korean_not_read_as_chinese():
    from seedclean import decode

    ja = "日本語のテキストです。東京は今日晴れです。私は学生です。"
    ko = "한국어 텍스트입니다. 오늘 서울은 맑습니다. 저는 학생입니다."
    assert decode(ja.encode("shift_jis")).text == ja
    assert decode(ko.encode("euc_kr")).text == ko


def test_bomless_utf16_chinese():
    from seedclean import decode

    zh = "中国的经济发展取得了巨大成就，人民生活水平不断提高。\n第二行。"
    for codec in ("utf-16-le", "utf-16-be"):
        got = decode(zh.encode(codec))
        assert got.text == zh and got.encoding == codec


def test_mixed_encoding_is_reported_with_its_place():
    data = "第一行\n前面是UTF8，".encode() + "中国的发展".encode("gbk") + "后面".encode()
    d = decode(data)
    assert d.text == "第一行\n前面是UTF8，中国的发展后面"
    assert [(f.rule, f.line, f.column, f.text) for f in d.findings] == [("mixed-encoding", 2, 9, "中国的发展")]
    assert "10 bytes at byte offset 26" in d.findings[0].message


def test_one_encoding_is_no_mixed_finding():
    assert decode("中国的发展".encode("gbk")).findings == []
    assert decode("中国的发展".encode()).findings == []
    assert decode("臺灣的經濟發展很快".encode("big5")).findings == []


def test_surrogate_escaped_runs_are_reported():
    from seedclean.decoding import decode_surrogates_findings

    line = "前面，".encode() + "中国的".encode("gbk") + b"\xff"
    text, findings = decode_surrogates_findings("ok\n" + line.decode("utf-8", "surrogateescape"))
    assert text == "ok\n前面，中国的\ufffd"
    assert [(f.rule, f.line, f.column) for f in findings] == [("mixed-encoding", 2, 4), ("undecodable-bytes", 2, 7)]


@pytest.mark.parametrize("before", ["新闻：Москва", "希腊语 αβγ", "Ελλάδα", "北京·", "温度 37°", "עברית", "Ünïcode "])
def test_real_two_byte_utf8_before_a_gbk_run_stays(before: str) -> None:
    """A word of one script or a sign in front of a GBK run is real UTF-8 text, not GBK read as UTF-8."""
    data = before.encode() + "中国的发展".encode("gbk") + "后面的文字".encode()
    assert decode(data).text == before + "中国的发展后面的文字"
