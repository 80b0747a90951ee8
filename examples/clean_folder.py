"""Clean every text file in a folder, in parallel, into another folder.

Usage::

    python examples/clean_folder.py IN_DIR OUT_DIR [--check]

For each ``*.txt`` / ``*.md`` below ``IN_DIR`` this writes the repaired
text line for line (``<name>.txt``, the same as ``seedclean fix --format
lines``) and the structure (``<name>.json``) into ``OUT_DIR``, keeping the
sub-folders.  With ``--check`` nothing is written: the script reports how
many findings each file has and exits 1 if any has one, like
``seedclean check``.

The same work from the shell::

    seedclean fix IN_DIR/*.txt -o OUT_DIR --format lines,json
    seedclean check IN_DIR
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import seedclean

SUFFIXES = {".txt", ".md"}


def clean_one(job: tuple[Path, Path | None, seedclean.Config]) -> tuple[str, int, int]:
    """Clean one file; return (name, repairs, findings).  Writes when an output path is given."""
    src, out, config = job
    data = src.read_bytes()
    if not data:
        return src.name, 0, 0
    doc = seedclean.clean(data, config, path=str(src))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        text = doc.text if doc.text.endswith("\n") or not doc.text else doc.text + "\n"
        out.with_suffix(".txt").write_text(text, encoding="utf-8")
        out.with_suffix(".json").write_text(doc.to_json(), encoding="utf-8")
    return str(src), len(doc.repairs), len(doc.findings)


def main(argv: list[str]) -> int:
    """Clean ``argv[1]`` into ``argv[2]`` (or only check with ``--check``)."""
    check_only = "--check" in argv
    args = [a for a in argv[1:] if a != "--check"]
    if len(args) != (1 if check_only else 2):
        print("usage: clean_folder.py IN_DIR OUT_DIR | clean_folder.py IN_DIR --check", file=sys.stderr)
        return 2
    in_dir = Path(args[0])
    out_dir = None if check_only else Path(args[1])
    config = seedclean.Config.from_pyproject()
    files = sorted(p for p in in_dir.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    jobs = [(p, out_dir / p.relative_to(in_dir) if out_dir else None, config) for p in files]

    dirty = 0
    with ProcessPoolExecutor() as pool:  # results come back in input order
        for name, repairs, findings in pool.map(clean_one, jobs):
            print(f"{name}: {repairs} repair(s), {findings} finding(s)")
            dirty += (repairs + findings) > 0
    print(f"{len(files)} file(s), {dirty} with something to repair or report")
    return 1 if check_only and dirty else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
