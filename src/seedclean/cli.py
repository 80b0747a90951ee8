"""``seedclean fix | check | explain``: argument parsing, I/O and exit codes.

Exit codes: 0 success (``check``: nothing to report), 1 ``check`` found
garbling, 2 usage or I/O error (bad inputs are reported one line each on
stderr while the other inputs are still processed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .config import SCRIPTS, Config
from .decoding import BinaryInputError, EmptyInputError

FORMATS = {"text": ".txt", "json": ".json", "markdown": ".md", "lines": ".txt"}
CHECK_SUFFIXES = {".txt", ".text", ".md", ".markdown"}


class InputError(Exception):
    """A one-line, user-facing problem with one input."""


@dataclass
class Source:
    name: str  # as shown to the user
    path: Path | None  # None for standard input


def _err(message: str) -> None:
    print(f"seedclean: error: {message}", file=sys.stderr)


def _read(src: Source) -> bytes:
    try:
        if src.path is None:
            return sys.stdin.buffer.read()
        if src.path.is_dir():
            raise InputError(f"{src.name}: is a directory")
        if src.path.exists() and not src.path.is_file():
            raise InputError(f"{src.name}: not a regular file")
        return src.path.read_bytes()
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"{src.name}: no such file") from None
    except PermissionError:
        raise InputError(f"{src.name}: permission denied") from None
    except OSError as e:
        raise InputError(f"{src.name}: {e.strerror or e}") from None


def _load(src: Source, config: Config):  # type: ignore[no-untyped-def]
    from . import clean

    data = _read(src)
    try:
        return clean(data, config, path=src.name)
    except EmptyInputError:
        raise InputError(f"{src.name}: empty input") from None
    except BinaryInputError:
        raise InputError(f"{src.name}: binary data, not text") from None


def _render(doc, fmt: str) -> str:  # type: ignore[no-untyped-def]
    if fmt == "json":
        return str(doc.to_json())
    if fmt == "markdown":
        return str(doc.to_markdown())
    if fmt == "lines":
        text = str(doc.text)
        return text if text.endswith("\n") or not text else text + "\n"
    return str(doc.to_text())


def atomic_write(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A crash at any point leaves either the old file or the new one; the
    file's permission bits are kept.
    """
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _sources(paths: Sequence[str], walk: bool) -> Iterator[Source]:
    for p in paths:
        if p == "-":
            yield Source("-", None)
            continue
        path = Path(p)
        if walk and path.is_dir():
            found = sorted(
                f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in CHECK_SUFFIXES
            )
            for f in found:
                yield Source(str(f), f)
            continue
        yield Source(p, path)


def _config(args: argparse.Namespace) -> Config:
    ignore = frozenset(r.strip() for r in (args.ignore or "").split(",") if r.strip())
    return Config(script=args.script, ignore=ignore)


def cmd_fix(args: argparse.Namespace) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    for f in formats:
        if f not in FORMATS:
            _err(f"unknown format {f!r}; choose from {', '.join(FORMATS)}")
            return 2
    if (args.in_place or args.stdout) and len(formats) != 1:
        _err("--in-place and --stdout take exactly one --format")
        return 2
    sources = list(_sources(args.paths, walk=False))
    if args.in_place and any(s.path is None for s in sources):
        _err("--in-place cannot write to standard input")
        return 2
    to_stdout = args.stdout or (not args.in_place and args.output is None)
    if to_stdout and len(sources) > 1 and not args.stdout:
        _err("several inputs: give -o DIR, --in-place or --stdout")
        return 2
    out_dir = Path(args.output) if args.output else None
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            _err(f"{out_dir}: cannot create output directory: {e.strerror or e}")
            return 2
    config = _config(args)
    status = 0
    for src in sources:
        try:
            doc = _load(src, config)
            if to_stdout:
                text = _render(doc, formats[0])
                if formats[0] == "json" and len(sources) > 1:
                    text = doc.to_json(indent=None)
                sys.stdout.write(text)
            elif args.in_place:
                assert src.path is not None
                atomic_write(src.path, _render(doc, formats[0]))
            else:
                assert out_dir is not None
                stem = src.path.stem if src.path is not None else "stdin"
                for fmt in formats:
                    target = out_dir / (stem + FORMATS[fmt])
                    if src.path is not None and target.resolve() == src.path.resolve():
                        raise InputError(f"{src.name}: output would overwrite the input; use --in-place")
                    atomic_write(target, _render(doc, fmt))
        except InputError as e:
            _err(str(e))
            status = 2
        except OSError as e:
            _err(f"{src.name}: cannot write: {e.strerror or e}")
            status = 2
    sys.stdout.flush()
    return status


def cmd_check(args: argparse.Namespace) -> int:
    from . import check

    config = _config(args)
    status = 0
    counts: Counter[str] = Counter()
    any_input = False
    for src in _sources(args.paths, walk=True):
        any_input = True
        try:
            data = _read(src)
            try:
                findings = check(data, config)
            except EmptyInputError:
                continue  # an empty file has nothing garbled in it
            except BinaryInputError:
                raise InputError(f"{src.name}: binary data, not text") from None
        except InputError as e:
            _err(str(e))
            status = 2
            continue
        for f in findings:
            counts[f.rule] += 1
            print(f"{src.name}:{f.line}:{f.column}: {f.rule} {f.message}")
        if findings and status == 0:
            status = 1
    if not any_input:
        _err("no files to check")
        return 2
    if args.statistics:
        for rule, n in counts.most_common():
            print(f"{n:7d}  {rule}")
    return status


def cmd_explain(args: argparse.Namespace) -> int:
    config = _config(args)
    status = 0
    for src in _sources(args.paths, walk=False):
        try:
            doc = _load(src, config)
        except InputError as e:
            _err(str(e))
            status = 2
            continue
        for r in doc.repairs:
            print(f"{src.name}:{r.line}:{r.column}: {r.rule}: {r.before!r} -> {r.after!r}")
        for f in doc.findings:
            print(f"{src.name}:{f.line}:{f.column}: {f.rule}: {f.text!r} kept ({f.message})")
        total = Counter(r.rule for r in doc.repairs)
        summary = ", ".join(f"{rule} {n}" for rule, n in sorted(total.items())) or "no repairs"
        print(f"{src.name}: {summary}; {len(doc.findings)} finding(s)")
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seedclean", description="Repair garbled Chinese web text and recover its structure."
    )
    parser.add_argument("--version", action="version", version=f"seedclean {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", metavar="PATH", help="input files ('-' for standard input)")
        p.add_argument("--script", choices=SCRIPTS, default="hans", help="target script (default: hans)")
        p.add_argument("--ignore", metavar="RULE,...", help="rule ids to switch off")

    fix = sub.add_parser("fix", help="write repaired text, JSON or Markdown")
    common(fix)
    where = fix.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="DIR", help="write <stem>.txt/.json/.md into DIR")
    where.add_argument("--in-place", action="store_true", help="replace each input file (atomically)")
    where.add_argument("--stdout", action="store_true", help="write to standard output")
    fix.add_argument(
        "--format",
        default="text",
        metavar="FORMAT[,FORMAT]",
        help="text (article), json (structure), markdown, lines (repaired input, line for line); "
        "several comma-separated with -o",
    )
    fix.set_defaults(func=cmd_fix)

    chk = sub.add_parser("check", help="report garbling as path:line:col: RULE message (exit 1 if any)")
    common(chk)
    chk.add_argument("--statistics", action="store_true", help="count findings per rule at the end")
    chk.set_defaults(func=cmd_check)

    exp = sub.add_parser("explain", help="list every repair: rule, line, before -> after")
    common(exp)
    exp.set_defaults(func=cmd_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 2
    except Exception as e:  # noqa: BLE001 - never a traceback for the user
        _err(f"internal error: {type(e).__name__}: {e}")
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
