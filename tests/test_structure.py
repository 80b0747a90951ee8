"""Structure: title, metadata, headings, joined paragraphs, boilerplate, nothing lost."""

from __future__ import annotations

import seedclean
from seedclean.structure import build


def test_title_metadata_and_headings() -> None:
    doc = build(
        [
            "原标题：全国特色小镇全力打好攻坚战",
            "统筹推进疫情防控和经济社会发展。",
            "一、充分发挥产业优势，加强科研攻关",
            "（一）组织企业研发",
            "第二章 总则",
            "第三节 细则",
            "1. 第一项要求",
            "正文。",
        ]
    )
    assert doc.title == "全国特色小镇全力打好攻坚战"
    assert doc.metadata == {"original_title": "全国特色小镇全力打好攻坚战"}
    assert [(s.heading, s.level) for s in doc.sections] == [
        (None, 0),
        ("一、充分发挥产业优势，加强科研攻关", 1),
        ("（一）组织企业研发", 2),
        ("第二章 总则", 1),
        ("第三节 细则", 2),
        ("1. 第一项要求", 3),
    ]


def test_metadata_line_with_two_fields_and_dates() -> None:
    doc = build(["湖南蓝山：吹响集结号", "", "来源：中国产业经济信息网 时间：2020-03-01", "", "正文第一段。"])
    assert doc.title == "湖南蓝山：吹响集结号"
    assert doc.metadata == {"source": "中国产业经济信息网", "date": "2020-03-01"}
    assert [f.lines for f in doc.metadata_fields] == [(3, 3), (3, 3)]
    doc = build(["标题", "2021年3月5日 10:30", "作者：张三", "正文。"])
    assert doc.metadata["date"] == "2021-03-05 10:30"
    assert doc.metadata["author"] == "张三"


def test_broken_line_joined_but_not_poems_lists_or_headings() -> None:
    doc = build(["正文开始。", "江苏泰州医药双创小镇内", "企业成功研发新冠病毒诊断试剂盒，向350多家疾控中心供应试剂。"])
    assert [p.text for p in doc.paragraphs] == [
        "正文开始。",
        "江苏泰州医药双创小镇内企业成功研发新冠病毒诊断试剂盒，向350多家疾控中心供应试剂。",
    ]
    assert doc.paragraphs[1].lines == (2, 3)
    poem = ["静夜思。", "床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"]
    assert [p.text for p in build(poem).paragraphs] == poem
    punctuated = ["诗。", "床前明月光，", "疑是地上霜。"]
    assert [p.text for p in build(punctuated).paragraphs] == punctuated
    listing = ["清单。", "准备材料", "1. 身份证复印件一份，户口本复印件一份，照片两张。"]
    assert len(build(listing).paragraphs) == 3
    # not across a blank line
    across_blank = ["开头。", "小镇内", "", "企业成功研发新冠病毒诊断试剂盒，向多家疾控中心供应试剂。"]
    assert len(build(across_blank).paragraphs) == 3


def test_page_chrome_is_boilerplate() -> None:
    lines = [
        "标题",
        "",
        "正文第一段，内容很长很长很长很长很长很长很长很长很长很长很长很长。",
        "【版权及免责声明】凡本网所属版权作品，转载时须获得授权。",
        "延伸阅读",
        "某条新闻标题",
        "?",
        "微信公众号",
        "版权所有：某网京ICP备11041399号-2",
    ]
    doc = build(lines)
    assert [(b.kind, b.lines[0]) for b in doc.boilerplate] == [
        ("copyright", 4),
        ("related", 5),
        ("link", 6),
        ("lone-mark", 7),
        ("share", 8),
        ("icp", 9),
    ]
    assert [p.text for p in doc.paragraphs] == [lines[2]]


def test_article_mentioning_copyright_stays_body() -> None:
    text = "他说，版权所有者有权决定作品的使用方式，这是著作权法的基本原则之一，不能随意改变，也不应被忽视。"
    doc = build(["标题", "", text])
    assert [p.text for p in doc.paragraphs] == [text]
    assert doc.boilerplate == []


def test_closing_byline_stays_in_body() -> None:
    doc = seedclean.clean("标题\n\n正文内容很长很长。（中国经济周刊 黄斌 通讯员：吴小勇）\n")
    assert doc.paragraphs[-1].text.endswith("（中国经济周刊 黄斌 通讯员：吴小勇）")


def test_plain_paragraphs_without_title() -> None:
    doc = build(["第一段落写完了。", "第二段落也写完了。"])
    assert doc.title is None
    assert [p.text for p in doc.paragraphs] == ["第一段落写完了。", "第二段落也写完了。"]


def test_to_text_and_markdown() -> None:
    doc = seedclean.clean("原標題:小鎮(zhèn)攻堅\n一、加強攻關\n鎮(zhèn)內企業研發。\n")
    assert doc.to_text() == "小镇攻坚\n\n一、加强攻关\n\n镇内企业研发。\n"
    assert doc.to_markdown() == "# 小镇攻坚\n\n## 一、加强攻关\n\n镇内企业研发。\n"


def test_markdown_escapes_block_starts() -> None:
    doc = build(["标题", "", "1. 不是列表。", "# 不是标题。"])
    md = doc.to_markdown()
    assert "\n1\\. 不是列表。\n" in md and "\n\\# 不是标题。\n" in md


def test_breadcrumbs_and_prompts_are_chrome() -> None:
    doc = build(
        [
            "首页 > 新闻中心 > 正文",
            "小镇建设取得新进展",
            "",
            "记者从有关部门获悉，今年以来全省特色小镇建设取得新进展，投资增长明显。",
            "阅读原文",
        ]
    )
    assert doc.title == "小镇建设取得新进展"
    assert [(b.kind, b.lines) for b in doc.boilerplate] == [("nav", (1, 1)), ("share", (5, 5))]
    assert len(doc.paragraphs) == 1


def test_comparison_with_greater_than_is_not_a_breadcrumb() -> None:
    text = "今年的增长率 > 去年的增长率 > 前年的增长率，说明经济在稳步恢复之中。"
    assert [p.text for p in build(["标题", "", text]).paragraphs] == [text]


def test_line_places_and_nothing_lost() -> None:
    doc = build(["原标题：小镇", "来源：某网 时间：2020-03-01", "", "正文。", "版权所有：某网"])
    assert doc.line_places() == {
        1: ["title", "metadata"],
        2: ["metadata", "metadata"],
        3: ["blank"],
        4: ["paragraph"],
        5: ["boilerplate"],
    }
    assert doc.nothing_lost(5)
    assert not doc.nothing_lost(6)  # a sixth input line would be unaccounted for
    doc.blank_lines.append(4)  # a line in two places
    assert not doc.nothing_lost(5)
