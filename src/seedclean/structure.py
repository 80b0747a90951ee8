"""Line classification and paragraph joining (CONVENTIONS §5).

Every input line ends up in exactly one place: the title, a metadata field,
a section heading, a paragraph (possibly joined with the next line), the
boilerplate list, or the list of blank lines.  ``Document`` records the
input line numbers of each.

Rules, in the order they are tried on each non-blank line:

* ``原标题：X`` or ``标题：X`` -> title (and ``original_title``);
* ``来源：`` ``时间：`` ``作者：`` ``转自：`` ... (several on one line are split)
  and bare date lines -> metadata;
* page chrome -> boilerplate: copyright notices, ICP licence numbers,
  breadcrumbs (``首页 > 新闻 > 正文``),
  ``延伸阅读`` / ``热点新闻`` style link headers, share prompts, lone ``?``
  lines; after the first such line that follows the article, the short
  lines of the page tail (link titles, tags) are boilerplate too;
* the first line, when it is short and does not end a sentence -> title;
* ``一、`` ``（一）`` ``第一章`` ``1.`` at the start of a short line that does
  not end a sentence -> heading with a level;
* everything else is a paragraph.  A short paragraph line that ends without
  punctuation and is followed directly by a much longer line that ends a
  sentence was broken by an inline element (a bolded name): the two are
  joined.  Poems and lists, whose lines are alike in length or end in
  punctuation, are not joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Boilerplate, Document, MetadataField, Paragraph, Section

_LABELS: dict[str, str] = {
    "原标题": "original_title",
    "标题": "original_title",
    "来源": "source",
    "出处": "source",
    "文章来源": "source",
    "本文来源": "source",
    "新闻来源": "source",
    "稿源": "source",
    "时间": "date",
    "日期": "date",
    "发布时间": "date",
    "发布日期": "date",
    "发表时间": "date",
    "更新时间": "date",
    "作者": "author",
    "记者": "author",
    "文": "author",
    "编辑": "editor",
    "责任编辑": "editor",
    "责编": "editor",
    "转自": "reposted_from",
    "转载自": "reposted_from",
    "转载于": "reposted_from",
}
_LABEL_ALT = "|".join(sorted(map(re.escape, _LABELS), key=len, reverse=True))
_META_LINE = re.compile(rf"^(?:【)?({_LABEL_ALT})(?:】)?\s*[：:]\s*(.*)$")
_META_SPLIT = re.compile(rf"\s+(?=(?:{_LABEL_ALT})\s*[：:])")
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*(\d{1,2}[:：]\d{2}(?:[:：]\d{2})?))?$"
)

_HEADING = re.compile(
    r"^(?:(?P<l1>[一二三四五六七八九十百]+、)"
    r"|(?P<l2>[（(][一二三四五六七八九十百]+[)）])"
    r"|(?P<ch>第[一二三四五六七八九十百零〇\d]+[章部篇])"
    r"|(?P<sec>第[一二三四五六七八九十百零〇\d]+节)"
    r"|(?P<l3>\d{1,2}(?:[.．、](?!\d)|\s)))"
)
_SENTENCE_END = "。！？!?…"
_ANY_PUNCT_END = "。！？!?…；;：:，,、”’」』）)》】—.·"
_LIST_START = re.compile(r"^(?:[-*•·●◆■□]|\d{1,3}[.、)）]|[（(]\d{1,3}[)）]|[①-⑳])")

_CHROME_HEADERS = re.compile(
    r"^(?:延伸阅读|相关阅读|相关新闻|相关文章|相关链接|热点新闻|热点视频|热点舆情|热点推荐|热门推荐|热门文章|"
    r"推荐阅读|精彩推荐|更多精彩|猜你喜欢|大家都在看|今日推荐|最新新闻|往期回顾|专题推荐)\s*[：:]?$"
)
_SHARE = re.compile(
    r"^(?:分享到|扫一扫|微信扫一扫|微信公众号|关注我们|点击关注|长按二维码|返回顶部|打印本页|关闭窗口|"
    r"【打印】|【关闭】|【收藏】|\[打印\]|\[关闭\]|上一篇|下一篇|阅读原文|点击阅读原文|点击查看原文|字号[:：]|【字号|"
    r"责任编辑[:：]?$)"
)
_NAV = re.compile(
    r"^(?:当前位置|您的位置|您现在的位置|所在位置)\s*[:：]|^首页\s*[>»/＞]|^\S{1,12}(?:\s*[>»＞]\s*\S{1,12}){2,}$"
)
_ICP = re.compile(r"ICP[备证]|公网安备|增值电信业务")
_COPYRIGHT_START = re.compile(r"^(?:【?版权(?:及免责)?声明】?|【?免责声明】?|版权所有|Copyright|©|\(c\))", re.I)
_COPYRIGHT_ANY = re.compile(r"版权所有|Copyright\s|All rights reserved|©", re.I)
_LONE_MARK = re.compile(r"^[?？!！.。,，、·•\-—_=*~ ]+$")


@dataclass
class _Item:
    kind: str  # title | meta | heading | para | chrome | blank
    text: str
    first: int
    last: int
    level: int = 0
    sub: str = ""  # chrome kind


def _chrome_kind(text: str) -> str | None:
    if _LONE_MARK.match(text):
        return "lone-mark"
    short = len(text) <= 80
    if short and _ICP.search(text):
        return "icp"
    if _COPYRIGHT_START.match(text) or (short and _COPYRIGHT_ANY.search(text) and text[-1] not in _SENTENCE_END):
        return "copyright"
    if _CHROME_HEADERS.match(text):
        return "related"
    if len(text) <= 80 and _NAV.search(text):
        return "nav"
    if len(text) <= 40 and _SHARE.match(text):
        return "share"
    return None


def _heading_level(text: str) -> int:
    if len(text) > 60 or text[-1] in _SENTENCE_END:
        return 0
    m = _HEADING.match(text)
    if not m or len(text) <= len(m.group()):
        return 0
    kind = m.lastgroup
    return {"ch": 1, "l1": 1, "sec": 2, "l2": 2, "l3": 3}.get(kind or "", 0)


def _meta_fields(text: str) -> list[tuple[str, str]] | None:
    """Metadata fields on one line, or None when it is not a metadata line."""
    if len(text) > 120:
        return None
    date = _DATE.match(text)
    if date:
        return [("date", _iso_date(date))]
    parts = _META_SPLIT.split(text)
    out: list[tuple[str, str]] = []
    for part in parts:
        m = _META_LINE.match(part.strip())
        if not m or not m.group(2).strip():
            return None
        key = _LABELS[m.group(1)]
        value = m.group(2).strip()
        if key == "date":
            d = _DATE.match(value)
            if d:
                value = _iso_date(d)
        out.append((key, value))
    return out


def _iso_date(m: re.Match[str]) -> str:
    y, mo, d, t = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
    out = f"{y}-{mo:02d}-{d:02d}"
    if t:
        out += " " + t.replace("：", ":")
    return out


def _looks_like_title(text: str, next_item: _Item | None) -> bool:
    if len(text) > 60 or text[-1] in _SENTENCE_END or _LIST_START.match(text):
        return False
    if next_item is None:
        return False
    return next_item.kind in ("blank", "meta") or len(next_item.text) >= 2 * len(text)


def build(lines: list[str]) -> Document:
    """A Document (without repairs, findings or source) from repaired lines."""
    items: list[_Item] = []
    for no, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            items.append(_Item("blank", "", no, no))
            continue
        items.append(_Item("para", text, no, no))

    doc = Document()
    seen_body = False
    tail = False
    first_text = True
    for idx, it in enumerate(items):
        if it.kind == "blank":
            continue
        text = it.text
        if first_text and _chrome_kind(text) in ("nav", "share"):
            it.kind, it.sub = "chrome", str(_chrome_kind(text))
            continue  # a breadcrumb above the title
        if first_text:
            first_text = False
            meta = _meta_fields(text)
            if meta and meta[0][0] == "original_title":
                it.kind = "title"
                doc.title = meta[0][1]
                doc.title_lines = (it.first, it.last)
                for k, v in meta:
                    _add_meta(doc, k, v, it)
                continue
            after = _peek_kind(items[idx + 1]) if idx + 1 < len(items) else None
            if (
                meta is None
                and _chrome_kind(text) is None
                and _heading_level(text) == 0
                and _looks_like_title(text, after)
            ):
                it.kind = "title"
                doc.title = text
                doc.title_lines = (it.first, it.last)
                continue
        meta = _meta_fields(text)
        if meta:
            it.kind = "meta"
            for k, v in meta:
                _add_meta(doc, k, v, it)
            continue
        chrome = _chrome_kind(text)
        if chrome and (chrome != "related" or seen_body):
            it.kind, it.sub = "chrome", chrome
            if seen_body and chrome != "lone-mark":
                tail = True
            continue
        if tail and (len(text) < 50 or text[-1] not in _SENTENCE_END):
            it.kind, it.sub = "chrome", "link"
            continue
        level = _heading_level(text)
        if level:
            it.kind, it.level = "heading", level
            continue
        it.kind = "para"
        seen_body = True

    _join_broken(items)

    current = Section(None, 0)
    doc.sections.append(current)
    for it in items:
        if it.kind == "blank":
            doc.blank_lines.append(it.first)
        elif it.kind == "chrome":
            doc.boilerplate.append(Boilerplate(it.text, (it.first, it.last), it.sub))
        elif it.kind == "heading":
            current = Section(it.text, it.level, [], (it.first, it.last))
            doc.sections.append(current)
        elif it.kind == "para":
            current.paragraphs.append(Paragraph(it.text, (it.first, it.last)))
    if not doc.sections[0].paragraphs and doc.sections[0].heading is None:
        doc.sections.pop(0)
    return doc


def _peek_kind(item: _Item) -> _Item:
    """The next item as classification will see it (metadata is decided early)."""
    if item.kind != "blank" and _meta_fields(item.text):
        return _Item("meta", item.text, item.first, item.last)
    return item


def _add_meta(doc: Document, key: str, value: str, it: _Item) -> None:
    doc.metadata.setdefault(key, value)
    doc.metadata_fields.append(MetadataField(key, value, (it.first, it.last)))


def _join_broken(items: list[_Item]) -> None:
    """Join a short unpunctuated paragraph line to the longer line right after it."""
    i = 0
    while i < len(items) - 1:
        a, b = items[i], items[i + 1]
        if (
            a.kind == "para"
            and b.kind == "para"
            and b.first == a.last + 1
            and len(a.text) <= 40
            and a.text[-1] not in _ANY_PUNCT_END
            and len(b.text) >= max(20, 2 * len(a.text))
            and b.text[-1] in _SENTENCE_END + "”’」』）)"
            and not _LIST_START.match(b.text)
        ):
            joiner = " " if (a.text[-1].isascii() and a.text[-1].isalnum() and b.text[0].isascii()) else ""
            a.text = a.text + joiner + b.text
            a.last = b.last
            del items[i + 1]
            continue
        i += 1
