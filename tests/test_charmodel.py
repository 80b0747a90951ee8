from seedclean import charmodel


def e1(s: str) -> str:
    return s.encode("utf-8").decode("gbk", errors="replace")


REAL = ["中国的发展", "“十四五”以来，我国经济发展取得新成就。", "我們的報告備受關注", "今天天气很好，我们去公园吧。"]


def test_real_beats_mojibake():
    for real in REAL:
        assert charmodel.score(real) > -7.5
    assert charmodel.score("中国的发展") > charmodel.score("涓�鍥界殑鍙戝睍") + 5
    assert charmodel.score("中国的发展") > charmodel.score("ÖÐ¹úµÄ·¢Õ¹") + 5
    assert charmodel.score("中文字符") > charmodel.score("ä¸­æ–‡å­—ç¬¦") + 5


def test_phase_shift_scores_low():
    # rare-looking characters of a late-resynchronising phase shift
    assert charmodel.score("我国经济发展取得") > charmodel.score("笆乃奈濉币岳矗") + 3


def test_traditional_scores_like_simplified():
    assert abs(charmodel.score("臺灣的經濟發展") - charmodel.score("台湾的经济发展")) < 1.0


def test_compare_and_empty():
    assert charmodel.compare("涓�鍥界殑鍙戝睍", "中国的发展") > 5
    assert charmodel.score("") == 0.0
    assert charmodel.char_logp("的") > charmodel.char_logp("殑")


def test_fold_preserves_length():
    s = "abc１２３ＡＢ 中文\u3000x"
    assert len(charmodel.fold(s)) == len(s)
