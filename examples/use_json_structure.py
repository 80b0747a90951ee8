"""Use seedclean's JSON downstream: paragraphs with provenance, ready for a corpus.

Usage::

    seedclean fix seeds/raw/*.txt -o out --format json
    python examples/use_json_structure.py out/*.json > paragraphs.jsonl

Each input is one ``seedclean.document/1`` object (docs/json-schema.md).
This script keeps the article body only (metadata and boilerplate are
already set aside), and writes one JSON line per paragraph with the
document's title, date and source, the paragraph's input line span, and
whether the document had unrepaired findings, so a corpus builder can
filter on it.  A summary goes to standard error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SCHEMA = "seedclean.document/1"


def paragraphs(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One record per body paragraph, with where it came from."""
    meta = doc.get("metadata", {})
    for section_no, section in enumerate(doc["sections"]):
        for para in section["paragraphs"]:
            first, last = para["lines"]
            yield {
                "text": para["text"],
                "title": doc["title"],
                "heading": section["heading"],
                "section": section_no,
                "date": meta.get("date"),
                "source": meta.get("source"),
                "file": doc["source"].get("path"),
                "sha256": doc["source"].get("sha256"),
                "lines": [first, last],
                "has_findings": bool(doc["findings"]),
            }


def main(argv: list[str]) -> int:
    """Read each JSON file named in ``argv[1:]``; print JSON lines."""
    if len(argv) < 2:
        print("usage: use_json_structure.py DOC.json...", file=sys.stderr)
        return 2
    n_docs = n_paras = n_chars = 0
    for name in argv[1:]:
        doc = json.loads(Path(name).read_text(encoding="utf-8"))
        if doc.get("schema") != SCHEMA:
            print(f"{name}: not a {SCHEMA} document, skipped", file=sys.stderr)
            continue
        n_docs += 1
        for record in paragraphs(doc):
            n_paras += 1
            n_chars += len(record["text"])
            print(json.dumps(record, ensure_ascii=False))
        kinds = sorted({b["kind"] for b in doc["boilerplate"]})
        repaired = sum(r["count"] for r in doc["repairs"])
        print(
            f"{name}: {doc['title']!r}; {repaired} repair(s); boilerplate set aside: {', '.join(kinds) or 'none'}",
            file=sys.stderr,
        )
    print(f"{n_docs} document(s), {n_paras} paragraph(s), {n_chars} characters", file=sys.stderr)
    return 0 if n_docs else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
