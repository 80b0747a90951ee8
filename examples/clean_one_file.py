"""Clean one scraped file with the library: the article, what was repaired, the JSON.

Usage::

    python examples/clean_one_file.py seeds/raw/001_ceb33e9e3089e7eb.txt [OUT.json]

``seedclean.clean`` decodes the bytes (UTF-8, GB18030, Big5, UTF-16, mixed
files), repairs the text and recovers the structure: title, metadata,
sections and paragraphs with their input line numbers, and the page chrome
set aside as boilerplate.  This script prints a short report and the
article, and writes the ``seedclean.document/1`` JSON when given a second
path.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import seedclean


def main(argv: list[str]) -> int:
    """Clean ``argv[1]``; write its JSON to ``argv[2]`` if given."""
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: clean_one_file.py INPUT [OUTPUT.json]", file=sys.stderr)
        return 2
    src = Path(argv[1])
    # The nearest pyproject.toml's [tool.seedclean] table, or the defaults.
    config = seedclean.Config.from_pyproject()
    doc = seedclean.clean(src.read_bytes(), config, path=str(src))

    print(f"file:      {src} ({doc.source['encoding']})")
    print(f"title:     {doc.title}")
    for key, value in doc.metadata.items():
        print(f"{key + ':':<10} {value}")
    print(f"body:      {len(doc.paragraphs)} paragraph(s) in {len(doc.sections)} section(s)")
    print(f"set aside: {len(doc.boilerplate)} boilerplate line(s)")
    counts = Counter(r.rule for r in doc.repairs)
    for rule, n in counts.most_common():
        print(f"repaired:  {n:5d} x {rule}")
    for f in doc.findings:  # what could not be repaired, kept in the text
        print(f"finding:   line {f.line}, column {f.column}: {f.rule}: {f.message}")
    print()
    print(doc.to_text(), end="")

    if len(argv) > 2:
        out = Path(argv[2])
        out.write_text(doc.to_json(), encoding="utf-8")
        print(f"\nwrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
