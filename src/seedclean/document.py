"""``Document`` and its parts, with the text, JSON and Markdown renderers."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .edits import Finding, Repair

SCHEMA = "seedclean.document/1"

Span = tuple[int, int]

# Chinese labels used when metadata is shown to a reader (Markdown).
METADATA_LABELS = {
    "original_title": "原标题",
    "source": "来源",
    "date": "时间",
    "author": "作者",
    "editor": "编辑",
    "reposted_from": "转自",
}


@dataclass
class Paragraph:
    """One paragraph: its text and the first and last input lines it came from."""

    text: str
    lines: Span


@dataclass
class Section:
    """An optional heading (with a level, 0 for none) and its paragraphs."""

    heading: str | None
    level: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    heading_lines: Span | None = None


@dataclass
class Boilerplate:
    """Page chrome set aside: copyright, ICP numbers, related links, share prompts."""

    text: str
    lines: Span
    kind: str


@dataclass
class MetadataField:
    """One metadata value as found on its input line."""

    key: str
    value: str
    lines: Span


@dataclass
class Document:
    """A cleaned document: title, metadata, sections, boilerplate, repairs, findings."""

    title: str | None = None
    title_lines: Span | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    metadata_fields: list[MetadataField] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)
    blank_lines: list[int] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # the repaired text, line for line with the input

    @property
    def paragraphs(self) -> list[Paragraph]:
        """Every body paragraph, in order."""
        return [p for s in self.sections for p in s.paragraphs]

    def line_places(self) -> dict[int, list[str]]:
        """Where each input line went: ``title``, ``metadata``, ``heading``, ``paragraph``, ``boilerplate``, ``blank``.

        The "nothing lost" guarantee is that every input line appears here,
        in exactly one place, except that a title line may also carry
        metadata (``原标题：``) and one line may hold several metadata fields.
        """
        places: dict[int, list[str]] = {}

        def put(span: Span | None, place: str) -> None:
            if span is not None:
                for line in range(span[0], span[1] + 1):
                    places.setdefault(line, []).append(place)

        put(self.title_lines, "title")
        for f in self.metadata_fields:
            put(f.lines, "metadata")
        for s in self.sections:
            put(s.heading_lines, "heading")
            for p in s.paragraphs:
                put(p.lines, "paragraph")
        for b in self.boilerplate:
            put(b.lines, "boilerplate")
        for line in self.blank_lines:
            put((line, line), "blank")
        return dict(sorted(places.items()))

    def nothing_lost(self, n_lines: int) -> bool:
        """Every line 1..``n_lines`` is in exactly one place (see :meth:`line_places`)."""
        places = self.line_places()
        if list(places) != list(range(1, n_lines + 1)):
            return False
        return all(len(v) == 1 or set(v) <= {"title", "metadata"} for v in places.values())

    def repair_counts(self) -> dict[str, int]:
        """How many edits each rule made."""
        return dict(Counter(r.rule for r in self.repairs))

    # ---- renderers -------------------------------------------------------
    def to_text(self) -> str:
        """Plain text: title, then headings and paragraphs, one blank line apart."""
        blocks: list[str] = []
        if self.title:
            blocks.append(self.title)
        for s in self.sections:
            if s.heading:
                blocks.append(s.heading)
            blocks.extend(p.text for p in s.paragraphs)
        return "\n\n".join(blocks) + "\n" if blocks else ""

    def to_markdown(self) -> str:
        """Markdown: ``#`` title, metadata list, ``##``+ headings by level, paragraphs."""
        blocks: list[str] = []
        if self.title:
            blocks.append("# " + _md_escape_inline(self.title))
        meta = [
            f"- {METADATA_LABELS.get(k, k)}：{_md_escape_inline(v)}"
            for k, v in self.metadata.items()
            if not (k == "original_title" and v == self.title)
        ]
        if meta:
            blocks.append("\n".join(meta))
        for s in self.sections:
            if s.heading:
                blocks.append("#" * min(6, s.level + 1) + " " + _md_escape_inline(s.heading))
            blocks.extend(_md_escape_block(p.text) for p in s.paragraphs)
        return "\n\n".join(blocks) + "\n" if blocks else ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON structure of CONVENTIONS §7 (schema ``seedclean.document/1``)."""
        counts = Counter(r.rule for r in self.repairs)
        lines_by_rule: dict[str, set[int]] = {}
        for r in self.repairs:
            lines_by_rule.setdefault(r.rule, set()).add(r.line)
        return {
            "schema": SCHEMA,
            "source": self.source,
            "title": self.title,
            "title_lines": list(self.title_lines) if self.title_lines else None,
            "metadata": dict(self.metadata),
            "metadata_fields": [
                {"key": f.key, "value": f.value, "lines": list(f.lines)} for f in self.metadata_fields
            ],
            "sections": [
                {
                    "heading": s.heading,
                    "level": s.level,
                    "heading_lines": list(s.heading_lines) if s.heading_lines else None,
                    "paragraphs": [{"text": p.text, "lines": list(p.lines)} for p in s.paragraphs],
                }
                for s in self.sections
            ],
            "boilerplate": [{"text": b.text, "lines": list(b.lines), "kind": b.kind} for b in self.boilerplate],
            "blank_lines": list(self.blank_lines),
            "repairs": [
                {"rule": rule, "count": n, "lines": sorted(lines_by_rule[rule])} for rule, n in sorted(counts.items())
            ],
            "findings": [
                {"rule": f.rule, "line": f.line, "column": f.column, "message": f.message, "text": f.text}
                for f in self.findings
            ],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """One JSON object (UTF-8 text, not ASCII-escaped)."""
        return json_text(self.to_dict(), indent) + "\n"


# A JSON escape followed by a combining character: the mark would combine
# with the escape's last letter (`\u001e` + U+0301 reads `\u001é`).
_ESCAPE_THEN_CHAR = re.compile(r'(\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt]))(.)', re.S)


def json_text(obj: Any, indent: int | None = 2) -> str:
    """``json.dumps`` without ASCII escapes, and in NFC like the text it carries.

    The strings are NFC, but an escaped control character or quote followed
    by a combining mark is not: the mark would combine with the escape's
    last letter.  Such a mark is escaped too.
    """
    out = json.dumps(obj, ensure_ascii=False, indent=indent)
    if out.isascii() or unicodedata.is_normalized("NFC", out):
        return out
    return _ESCAPE_THEN_CHAR.sub(
        lambda m: m.group(1) + (f"\\u{ord(m.group(2)):04x}" if unicodedata.combining(m.group(2)) else m.group(2)),
        out,
    )


_MD_BLOCK_START = re.compile(r"^(?:[#>*+\-=]|\d+[.)](?:\s|$))")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")


def _md_escape_inline(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("`", "\\`")


def _md_escape_block(text: str) -> str:
    text = _md_escape_inline(text)
    if _MD_BLOCK_START.match(text):
        if text[0].isdigit():
            return _MD_ORDERED.sub(r"\1\\\2", text, count=1)
        return "\\" + text
    return text
