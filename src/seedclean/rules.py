"""The rule registry: every rule id seedclean can emit, with its documentation.

Each rule is documented once, in the docstring of the module that implements
it.  This module maps a rule id to that module and reads the docstring at
run time, so ``seedclean rules``, ``docs/rules.md`` and the SARIF output
always show the same text as the code::

    >>> from seedclean import rules
    >>> rules.get("punct-comma-artifact").module
    'seedclean.passes.punct'
    >>> "space-cjk" in rules.RULE_IDS
    True

How a rule's text is found in its module's docstring (first that applies):

1. a line that starts with the id in double backquotes: a definition-list
   term (the id alone, or followed by a parenthesis, with an indented body
   below it) or the start of a paragraph (the id, a colon or a verb, and
   the text); such a section runs to the next line that starts with
   another rule's id;
2. a docstring whose first line is ``Rule <id>: ...``: the whole docstring;
3. the docstring of a function of the module that opens with the id;
4. the paragraph of the module docstring that mentions the id;
5. a short fallback kept here, for a rule whose module does not document it.

The summary is the section's first sentence; the examples are the lines of
its literal blocks (after ``::``) and inline literals of the form
``before -> after``.
"""

from __future__ import annotations

import fnmatch
import importlib
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = [
    "RULE_IDS",
    "RuleInfo",
    "UnknownRuleError",
    "all_rules",
    "expand",
    "get",
    "registry",
]

Kind = Literal["repair", "finding"]


@dataclass(frozen=True)
class _Spec:
    id: str
    module: str
    constant: str | None  # module attribute that holds the id, when there is one
    kind: Kind
    fallback_summary: str = ""
    fallback_examples: tuple[str, ...] = ()


# In pipeline order.  The module is where the rule is implemented and documented.
_SPECS: tuple[_Spec, ...] = (
    _Spec("undecodable-bytes", "seedclean.decoding", None, "finding",
          fallback_examples=(r'b"abc\x80def"  ->  finding: 1 undecodable byte(s) at byte offset 3',)),
    _Spec("mixed-encoding", "seedclean.decoding", "MIXED_RULE", "finding",
          fallback_examples=('"前面，".encode() + "中国".encode("gbk")  ->  finding: 4 bytes at byte offset 9 are '
                             'GB18030 inside UTF-8',)),
    _Spec("mojibake-utf8-as-gbk", "seedclean.passes.mojibake", "R_E1", "repair"),
    _Spec("mojibake-gbk-as-latin1", "seedclean.passes.mojibake", "R_E2", "repair"),
    _Spec("mojibake-utf8-as-latin1", "seedclean.passes.mojibake", "R_E3", "repair"),
    _Spec("mojibake-big5-gbk", "seedclean.passes.mojibake", "R_BIG5", "repair"),
    _Spec("gbk-fold-straddle", "seedclean.passes.gbkbytes", "RULE_FOLD", "repair"),
    _Spec("gbk-ruby-straddle", "seedclean.passes.gbkbytes", "RULE_RUBY", "repair"),
    _Spec("gbk-phase-shift", "seedclean.passes.gbkbytes", "RULE_PHASE", "repair"),
    _Spec("ruby-annotation", "seedclean.passes.ruby", "RULE", "repair"),
    _Spec("script-convert", "seedclean.passes.script", "RULE", "repair"),
    _Spec("script-context", "seedclean.passes.script", "CONTEXT_RULE", "repair"),
    _Spec("lossy-replacement", "seedclean.passes.lossy", "RULE", "finding"),
    _Spec("gbk-garbled-span", "seedclean.passes.gbkbytes", "RULE_GARBLED", "finding"),
    _Spec("punct-comma-artifact", "seedclean.passes.punct", "ARTIFACT", "repair"),
    _Spec("punct-fullwidth", "seedclean.passes.punct", "FULLWIDTH", "repair"),
    _Spec("space-cjk", "seedclean.passes.space", "RULE", "repair"),
    _Spec("unicode-nfc", "seedclean.pipeline", "NFC_RULE", "repair",
          fallback_summary="Text that is not in Unicode NFC is composed, line by line; this also maps CJK "
          "compatibility ideographs (U+F900-U+FAFF) to their unified ideographs.",
          fallback_examples=(r'"e\u0301"  ->  "é"', r'"\uf90a" (compatibility 金)  ->  "金" (U+91D1)')),
)  # fmt: skip

RULE_IDS: tuple[str, ...] = tuple(s.id for s in _SPECS)
"""Every rule id, in pipeline order.  Needs no import of the passes."""

_SPEC_BY_ID = {s.id: s for s in _SPECS}


class UnknownRuleError(ValueError):
    """A rule id or pattern that names no rule."""


@dataclass(frozen=True)
class RuleInfo:
    """One rule, as documented in its module's docstring.

    ``kind`` is ``repair`` (``fix`` changes the text) or ``finding`` (only
    reported).  ``summary`` is the first sentence of the rule's text,
    ``examples`` its before/after lines and ``description`` the whole
    section, dedented, as reStructuredText-ish prose.
    """

    id: str
    module: str
    kind: Kind
    summary: str
    examples: tuple[str, ...]
    description: str

    @property
    def fixable(self) -> bool:
        """True when ``seedclean fix`` repairs what this rule reports.

        Repairs are; so is ``mixed-encoding``, a finding whose text is already
        right: ``fix`` writes the file as UTF-8.
        """
        return self.kind == "repair" or self.id == "mixed-encoding"


def get(rule_id: str) -> RuleInfo:
    """The :class:`RuleInfo` of ``rule_id``; :class:`UnknownRuleError` if there is none."""
    try:
        return registry()[rule_id]
    except KeyError:
        raise UnknownRuleError(f"unknown rule {rule_id!r}") from None


def all_rules() -> list[RuleInfo]:
    """Every rule, in pipeline order."""
    return list(registry().values())


@lru_cache(maxsize=1)
def registry() -> Mapping[str, RuleInfo]:
    """Rule id -> :class:`RuleInfo`, built once from the modules' docstrings."""
    return {s.id: _build(s) for s in _SPECS}


def expand(patterns: Iterable[str]) -> frozenset[str]:
    """The rule ids matched by ``patterns`` (ids or globs such as ``mojibake-*``).

    A pattern that matches no rule raises :class:`UnknownRuleError`, so a
    typo in ``--select``/``--ignore`` or in ``pyproject.toml`` is caught.
    ``ALL`` matches every rule.
    """
    out: set[str] = set()
    for raw in patterns:
        pattern = raw.strip()
        if not pattern:
            continue
        if pattern == "ALL":
            out.update(RULE_IDS)
            continue
        matched = [r for r in RULE_IDS if fnmatch.fnmatchcase(r, pattern)]
        if not matched:
            raise UnknownRuleError(f"unknown rule {pattern!r}; see `seedclean rules`")
        out.update(matched)
    return frozenset(out)


# ---- reading the docstrings ---------------------------------------------------

_MARKER = re.compile(r"``([a-z0-9]+(?:-[a-z0-9]+)+)``")
_INLINE_EXAMPLE = re.compile(r"``([^`]+?\s->\s[^`]+?)``")


def _build(spec: _Spec) -> RuleInfo:
    module = importlib.import_module(spec.module)
    doc = textwrap.dedent(_cleandoc(module.__doc__ or ""))
    section = _section(doc, spec.id)
    if not section:  # a function of the module whose docstring opens with the id
        for obj in vars(module).values():
            fdoc = getattr(obj, "__doc__", None) if getattr(obj, "__module__", None) == spec.module else None
            if isinstance(fdoc, str) and fdoc.lstrip().startswith(f"``{spec.id}``"):
                section = _section(_cleandoc(fdoc), spec.id)
                break
    if not section:
        section = _section(doc, spec.id, mention=True)
    summary = _summary(section, spec.id) if section else ""
    examples = _examples(section) if section else ()
    return RuleInfo(
        id=spec.id,
        module=spec.module,
        kind=spec.kind,
        summary=summary or spec.fallback_summary,
        examples=examples or spec.fallback_examples,
        description=section or spec.fallback_summary,
    )


def _cleandoc(doc: str) -> str:
    lines = doc.expandtabs().splitlines()
    if not lines:
        return ""
    rest = textwrap.dedent("\n".join(lines[1:]))
    return (lines[0].strip() + "\n" + rest).strip("\n")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _section(doc: str, rule: str, *, mention: bool = False) -> str:
    """The part of ``doc`` that documents ``rule`` (empty when there is none).

    With ``mention``, the paragraph that merely mentions the id is enough.
    """
    lines = doc.splitlines()
    marker = f"``{rule}``"
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if not stripped.startswith(marker):
            continue
        level = _indent(line)
        rest = stripped[len(marker) :].strip()
        if not rest or rest.startswith("("):  # definition-list term: the body is indented below it
            body: list[str] = []
            for nxt in lines[i + 1 :]:
                if nxt.strip() and _indent(nxt) <= level:
                    break
                body.append(nxt)
            return textwrap.dedent("\n".join(body)).strip("\n")
        out = [stripped]
        for nxt in lines[i + 1 :]:
            m = _MARKER.match(nxt.lstrip())
            if nxt.strip() and _indent(nxt) <= level and m and m.group(1) != rule:
                break
            out.append(nxt)
        return "\n".join(out).strip("\n")
    first = lines[0] if lines else ""
    if marker in first and first.split(marker)[0].strip() in ("Rule", "Rules") and len(_MARKER.findall(first)) == 1:
        return doc.strip("\n")
    if not mention:
        return ""
    paragraphs = re.split(r"\n\s*\n", doc)
    for p in paragraphs:
        if marker in p:
            return textwrap.dedent(p).strip("\n")
    return ""


def _summary(section: str, rule: str) -> str:
    """The first sentence of ``section``, without the rule id and inline examples."""
    text = section.split("\n\n")[0]
    marker = f"``{rule}``"
    first_line = text.partition("\n")[0]
    if first_line.startswith(("Rule ", "Rules ")) and marker in first_line:
        text = first_line.split(":", 1)[1] if ":" in first_line else first_line
    else:
        text = text.removeprefix(marker).lstrip(": ")
        m = _INLINE_EXAMPLE.match(text)
        if m:
            text = text[m.end() :].lstrip(": ")
    text = " ".join(text.split())
    if text.endswith("::"):
        text = text[:-1]
    # the first sentence; a parenthesis is never split
    depth = 0
    for i, c in enumerate(text):
        if c in "(（":
            depth += 1
        elif c in ")）":
            depth = max(0, depth - 1)
        elif c in ".:" and depth == 0 and (i + 1 == len(text) or text[i + 1] == " "):
            if c == ":" and i + 1 == len(text):
                text = text[:i] + "."
                break
            if c == ".":
                text = text[: i + 1]
                break
    text = text.strip()
    if text.endswith(":"):
        text = text[:-1] + "."
    if text and not text.endswith((".", "。", ")")):
        text += "."
    text = text.replace("``", "`")
    return text[:1].upper() + text[1:]


def _examples(section: str) -> tuple[str, ...]:
    """Literal-block lines (after ``::``), else inline ``before -> after`` literals."""
    blocks: list[str] = []
    inline: list[str] = []
    lines = section.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        inline.extend(m.group(1).strip() for m in _INLINE_EXAMPLE.finditer(line))
        if not line.rstrip().endswith("::"):
            i += 1
            continue
        start = i  # the paragraph's indentation is that of its first line
        while start > 0 and lines[start - 1].strip():
            start -= 1
        level = _indent(lines[start])
        block: list[str] = []
        i += 1
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > level):
            block.append(lines[i])
            i += 1
        blocks.extend(b.rstrip() for b in textwrap.dedent("\n".join(block)).splitlines() if b.strip())
    return tuple(dict.fromkeys(blocks or inline))
