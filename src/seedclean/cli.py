"""``seedclean fix | check | explain | rules``: argument parsing, I/O and exit codes.

Exit codes: 0 success (``check``: nothing to report), 1 ``check`` found
garbling, 2 usage or I/O error (bad inputs are reported one line each on
stderr while the other inputs are still processed).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import tempfile
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .config import SCRIPTS, Config, ConfigError, Settings, find_config, load_settings
from .decoding import BinaryInputError, EmptyInputError
from .document import json_text
from .edits import Finding

FORMATS = {"text": ".txt", "json": ".json", "markdown": ".md", "lines": ".txt"}
CHECK_SUFFIXES = {".txt", ".text", ".md", ".markdown"}


class InputError(Exception):
    """A one-line, user-facing problem with one input."""


@dataclass
class Source:
    """One input: its name as shown to the user and its path (``None`` for standard input)."""

    name: str  # as shown to the user
    path: Path | None  # None for standard input


def _err(message: str) -> None:
    print(f"seedclean: error: {message}", file=sys.stderr)


# Inputs larger than this are refused (one error line) rather than read into
# memory: a web page is never this large; use `fix --jsonl` for corpora.
MAX_INPUT_BYTES = 512 * 1024 * 1024


def _display_name(p: str) -> str:
    """``p`` as it can be printed: undecodable bytes of a file name as ``\\xNN``."""
    try:
        p.encode("utf-8")
        return p
    except UnicodeEncodeError:
        return os.fsencode(p).decode("utf-8", "backslashreplace")


def _too_large(name: str, size: int) -> InputError:
    return InputError(f"{name}: too large ({size} bytes; the limit is {MAX_INPUT_BYTES} bytes)")


def _read(src: Source) -> bytes:
    """The bytes of one input; an :class:`InputError` (one line) for anything that is not a readable file.

    Directories, FIFOs, sockets and devices are rejected from ``stat``
    without being opened (a FIFO would block); the file is opened
    non-blocking and checked again, so a file swapped for a FIFO after the
    ``stat`` cannot hang the run either.  Symlink loops, permission errors
    and other ``OSError`` become their message.
    """
    import stat as st

    name = src.name
    try:
        if src.path is None:
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
            if len(data) > MAX_INPUT_BYTES:
                raise _too_large(name, len(data))
            return data
        info = os.stat(src.path)
        if st.S_ISDIR(info.st_mode):
            raise InputError(f"{name}: is a directory")
        if not st.S_ISREG(info.st_mode):
            raise InputError(f"{name}: not a regular file")
        if info.st_size > MAX_INPUT_BYTES:
            raise _too_large(name, info.st_size)
        fd = os.open(src.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with open(fd, "rb", closefd=True) as f:
            if not st.S_ISREG(os.fstat(fd).st_mode):
                raise InputError(f"{name}: not a regular file")
            data = f.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise _too_large(name, len(data))
        return data
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except MemoryError:
        raise InputError(f"{name}: too large to read into memory") from None
    except OSError as e:
        raise InputError(f"{name}: {e.strerror or e}") from None


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


TMP_MARK = "seedclean-"  # temporary files are ".<name>.seedclean-<pid>-<random>.tmp" beside the target


def _remove_stale_temps(directory: Path, name: str) -> None:
    """Remove temporary files of ``name`` left by a seedclean process that no longer runs.

    Only a SIGKILL (or a power cut) between creating the temporary file and
    the rename leaves one; the next write of the same file removes it.  A
    temporary file of a process that is still running is left alone.
    """
    prefix = f".{name}.{TMP_MARK}"
    try:
        entries = os.listdir(directory)
    except OSError:
        return
    for entry in entries:
        if not (entry.startswith(prefix) and entry.endswith(".tmp")):
            continue
        pid_text = entry[len(prefix) :].split("-", 1)[0]
        if not pid_text.isdigit():
            continue
        pid = int(pid_text)
        if pid != os.getpid():
            try:
                os.kill(pid, 0)
                continue  # still running: its file, not ours to remove
            except ProcessLookupError:
                pass
            except OSError:
                continue  # exists but is not ours (EPERM)
        try:
            os.unlink(directory / entry)
        except OSError:
            pass


def atomic_write(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A crash at any point leaves either the old file or the new one; the
    file's permission bits are kept.  The temporary file
    ``.<name>.seedclean-<pid>-<random>.tmp`` sits in the same directory; a
    SIGKILL before the rename can leave it behind, and the next write of the
    same file removes it (see :func:`_remove_stale_temps`).  On an error
    (disk full, permission denied) the temporary file is removed and the
    ``OSError`` propagates with ``path`` unchanged.
    """
    payload = data.encode("utf-8")  # before any file exists: an encoding error leaves nothing behind
    directory = path.parent if str(path.parent) else Path(".")
    _remove_stale_temps(directory, path.name)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{TMP_MARK}{os.getpid()}-", suffix=".tmp", dir=directory)
    try:
        try:
            view = memoryview(payload)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename durable too
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def _sources(
    paths: Sequence[str], walk: bool, accept: Callable[[Path, Path], bool] | None = None
) -> Iterator[Source]:
    for p in paths:
        if p == "-":
            yield Source("-", None)
            continue
        path = Path(p)
        if walk and path.is_dir():
            found = sorted(
                f
                for f in path.rglob("*")
                if f.is_file() and (accept(f, path) if accept else f.suffix.lower() in CHECK_SUFFIXES)
            )
            for f in found:
                yield Source(_display_name(str(f)), f)
            continue
        yield Source(_display_name(p), path)


def _split(value: str | None) -> list[str]:
    return [r.strip() for r in (value or "").split(",") if r.strip()]


def _settings(args: argparse.Namespace) -> Settings:
    """The ``[tool.seedclean]`` settings for this run: ``--config FILE``, else found from the cwd."""
    cached = getattr(args, "_settings", None)
    if isinstance(cached, Settings):
        return cached
    if getattr(args, "no_config", False):
        settings = Settings()
    else:
        path = getattr(args, "config", None) or find_config()
        settings = load_settings(path) if path else Settings()
    args._settings = settings
    return settings


def _resolve_options(args: argparse.Namespace) -> None:
    """Merge pyproject.toml and the command line into ``args`` (raises ConfigError).

    Afterwards ``args.script`` is the resolved target and ``args.ignore``
    the comma-joined ids of every rule switched off, so code that builds a
    ``Config`` from them sees the project's settings too.
    """
    if not hasattr(args, "script"):
        return
    settings = _settings(args)
    select = _split(getattr(args, "select", None)) or None
    config = settings.to_config(script=args.script, select=select, ignore=_split(args.ignore))
    args._config = config
    args.script = config.script
    args.ignore = ",".join(sorted(config.ignore))


def _force_excluded(name: str, settings: Settings) -> bool:
    """``--force-exclude``: is this command-line file excluded by ``[tool.seedclean] exclude``?"""
    path = Path(name)
    return name != "-" and not path.is_dir() and settings.excluded(path)


def _config(args: argparse.Namespace) -> Config:
    cached = getattr(args, "_config", None)
    if isinstance(cached, Config):
        return cached
    _resolve_options(args)
    return args._config  # type: ignore[no-any-return]


def cmd_fix(args: argparse.Namespace) -> int:
    """``seedclean fix``: write repaired text, JSON or Markdown."""
    if args.jsonl or args.parquet:
        from .batch import run_corpus

        return run_corpus(args)
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
    failed = 0
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
                # through a symlink, replace the file it points to, not the link
                atomic_write(Path(os.path.realpath(src.path)), _render(doc, formats[0]))
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
            status, failed = 2, failed + 1
        except BrokenPipeError:
            raise
        except OSError as e:
            _err(f"{src.name}: cannot write: {e.strerror or e}")
            status, failed = 2, failed + 1
        except Exception as e:  # noqa: BLE001 - one bad input must not stop the others
            _err(f"{src.name}: internal error: {type(e).__name__}: {e}")
            status, failed = 2, failed + 1
    sys.stdout.flush()
    _summary(failed, len(sources))
    return status


def _summary(failed: int, total: int) -> None:
    """The last line on stderr when some inputs failed: ``seedclean: 2 of 5 inputs failed``."""
    if failed:
        print(f"seedclean: {failed} of {total} input{'s' if total != 1 else ''} failed", file=sys.stderr)


# ---- check ---------------------------------------------------------------------

CHECK_FORMATS = ("text", "json", "github", "sarif")
PARALLEL_MIN_FILES = 4  # fewer files are checked in this process: a pool costs more than it saves


@dataclass
class _CheckTask:
    src: Source
    data: bytes | None  # standard input, read by the parent process
    config: Config
    diff: bool


_Row = tuple[str, int, int, str, str]  # a Finding as a tuple: pickles ten times faster


@dataclass
class _CheckResult:
    name: str
    rows: list[_Row]
    error: str | None = None
    diff: str = ""

    @property
    def findings(self) -> list[Finding]:
        """The findings, as :class:`Finding` again."""
        return [Finding(*row) for row in self.rows]


def _check_one(task: _CheckTask) -> _CheckResult:
    """Check one input (runs in a worker process when checking in parallel)."""
    from . import check, clean, decode

    src = task.src
    try:
        data = task.data if task.data is not None else _read(src)
        try:
            findings = [f for f in check(data, task.config) if task.config.enabled(f.rule)]
        except EmptyInputError:
            return _CheckResult(src.name, [])  # an empty file has nothing garbled in it
        except BinaryInputError:
            raise InputError(f"{src.name}: binary data, not text") from None
        diff = ""
        if task.diff and findings:
            doc = clean(data, task.config, path=src.name)
            diff = _unified_diff(decode(data).text, _render(doc, "lines"), src.name)
        rows = [(f.rule, f.line, f.column, f.message, f.text) for f in findings]
        return _CheckResult(src.name, rows, diff=diff)
    except InputError as e:
        return _CheckResult(src.name, [], error=str(e))
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the others
        return _CheckResult(src.name, [], error=f"{src.name}: internal error: {type(e).__name__}: {e}")


def _run_checks(tasks: list[_CheckTask], jobs: int) -> Iterator[_CheckResult]:
    """Results in the order of ``tasks``; a process pool when there are enough of them."""
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1 or len(tasks) < PARALLEL_MIN_FILES:
        yield from map(_check_one, tasks)
        return
    from concurrent.futures import ProcessPoolExecutor

    from . import check

    check("鎮(zhèn)發展,,中国\u3000的发展?", tasks[0].config)  # load the models once; forked workers share them
    try:
        pool = ProcessPoolExecutor(max_workers=workers)
    except (OSError, NotImplementedError):  # no semaphores here: check serially
        yield from map(_check_one, tasks)
        return
    try:
        yield from pool.map(_check_one, tasks, chunksize=1)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _lines(text: str) -> list[str]:
    """``text`` split after each ``\\n`` only (not at U+2028 and friends, as ``splitlines`` would)."""
    parts = text.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def _unified_diff(before: str, after: str, name: str) -> str:
    """The unified diff from ``before`` to ``after``, git style (``--- a/name``, ``+++ b/name``)."""
    if before == after:
        return ""
    out: list[str] = []
    for line in difflib.unified_diff(_lines(before), _lines(after), fromfile=f"a/{name}", tofile=f"b/{name}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _gh_data(value: str) -> str:
    """Escape a GitHub workflow command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    """Escape a GitHub workflow command's property value."""
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def _github_line(name: str, f: Finding) -> str:
    """One ``::warning`` workflow command: an annotation on the file's line in the pull request."""
    return (
        f"::warning file={_gh_property(name)},line={f.line},col={f.column},title={_gh_property(f.rule)}"
        f"::{_gh_data(f.message)}"
    )


def _finding_dict(name: str, f: Finding) -> dict[str, object]:
    from .rules import RULE_IDS, get

    fixable = get(f.rule).fixable if f.rule in RULE_IDS else False
    return {
        "path": name,
        "line": f.line,
        "column": f.column,
        "rule": f.rule,
        "message": f.message,
        "text": f.text,
        "fixable": fixable,
    }


def _sarif_uri(name: str) -> tuple[str, bool]:
    """(URI, relative?) of an input for SARIF ``artifactLocation``."""
    from urllib.parse import quote

    if name == "-":
        return "stdin", True
    path = Path(name)
    if path.is_absolute():
        return path.as_uri(), False
    return quote(path.as_posix()), True


def _sarif(results: list[tuple[str, Finding]], errors: list[str]) -> dict[str, object]:
    """A SARIF 2.1.0 log of one run, with every rule in ``tool.driver.rules``."""
    from .rules import all_rules

    rules: list[dict[str, object]] = []
    index: dict[str, int] = {}
    for info in all_rules():
        index[info.id] = len(rules)
        help_text = info.summary + "".join(f"\n  {e}" for e in info.examples)
        rules.append(
            {
                "id": info.id,
                "name": "".join(w.capitalize() for w in info.id.split("-")),
                "shortDescription": {"text": info.summary},
                "fullDescription": {"text": " ".join(info.description.replace("``", "`").split())},
                "help": {"text": help_text},
                "defaultConfiguration": {"level": "warning"},
                "properties": {"fixable": info.fixable, "module": info.module},
            }
        )
    out: list[dict[str, object]] = []
    relative = False
    for name, f in results:
        if f.rule not in index:  # a rule missing from the registry still gets reported
            index[f.rule] = len(rules)
            rules.append({"id": f.rule, "shortDescription": {"text": f.rule}})
        uri, rel = _sarif_uri(name)
        location: dict[str, object] = {"uri": uri}
        if rel:
            location["uriBaseId"] = "%SRCROOT%"
            relative = True
        out.append(
            {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": "warning",
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": location,
                            "region": {"startLine": f.line, "startColumn": f.column},
                        }
                    }
                ],
            }
        )
    run: dict[str, object] = {
        "tool": {
            "driver": {"name": "seedclean", "version": __version__, "semanticVersion": __version__, "rules": rules}
        },
        "columnKind": "unicodeCodePoints",
        "results": out,
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [{"level": "error", "message": {"text": e}} for e in errors],
            }
        ],
    }
    if relative:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}}
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }


def _check_sources(args: argparse.Namespace, settings: Settings) -> list[Source]:
    """The inputs of ``check``: directories walked with include/exclude, files as given."""
    out: list[Source] = []
    for p in args.paths:
        out.extend(_sources([p], walk=True, accept=settings.wants))
    return out


def cmd_check(args: argparse.Namespace) -> int:
    """``seedclean check``: report findings (text, json, github, sarif or a diff); exit 0, 1 or 2."""
    fmt = args.format
    if args.diff and fmt != "text":
        _err("--diff prints a patch; it does not combine with --format")
        return 2
    if args.jobs < 0:
        _err("--jobs must be >= 0 (0: one per CPU)")
        return 2
    config = _config(args)
    sources = _check_sources(args, _settings(args))
    if not sources:
        _err("no files to check")
        return 2
    tasks: list[_CheckTask] = []
    early: dict[int, _CheckResult] = {}
    for i, src in enumerate(sources):
        data = None
        if src.path is None:
            try:
                data = _read(src)
            except InputError as e:
                early[i] = _CheckResult(src.name, [], error=str(e))
        tasks.append(_CheckTask(src, data, config, args.diff))
    runnable = [t for i, t in enumerate(tasks) if i not in early]
    results = _run_checks(runnable, args.jobs)

    status = 0
    counts: Counter[str] = Counter()
    collected: list[tuple[str, Finding]] = []
    errors: list[str] = []
    for i in range(len(tasks)):
        res = early[i] if i in early else next(results)
        if res.error is not None:
            _err(res.error)
            errors.append(res.error)
            status = 2
            continue
        if res.rows and status == 0:
            status = 1
        findings = res.findings
        for f in findings:
            counts[f.rule] += 1
            if fmt == "text" and not args.diff:
                print(f"{res.name}:{f.line}:{f.column}: {f.rule} {f.message}")
            elif fmt == "github":
                print(_github_line(res.name, f))
            elif fmt in ("json", "sarif"):
                collected.append((res.name, f))
        if args.diff:
            sys.stdout.write(res.diff)
            for f in _unfixed(findings):
                print(f"{res.name}:{f.line}:{f.column}: {f.rule} {f.message}", file=sys.stderr)
    if fmt == "json":
        print(json_text([_finding_dict(n, f) for n, f in collected]))
    elif fmt == "sarif":
        print(json_text(_sarif(collected, errors)))
    if args.statistics:
        out = sys.stdout if fmt == "text" and not args.diff else sys.stderr
        for rule, n in counts.most_common():
            print(f"{n:7d}  {rule}", file=out)
    sys.stdout.flush()
    _summary(len(errors), len(tasks))
    return status


def _unfixed(findings: list[Finding]) -> list[Finding]:
    """Findings that ``fix`` does not repair (and so are not in a diff)."""
    from .rules import RULE_IDS, get

    return [f for f in findings if not (f.rule in RULE_IDS and get(f.rule).fixable)]


# ---- rules ---------------------------------------------------------------------


def cmd_rules(args: argparse.Namespace) -> int:
    """``seedclean rules``: every rule with what it detects and an example, or the whole text of some."""
    from .rules import UnknownRuleError, all_rules, expand, get

    try:
        wanted = expand(args.rules) if args.rules else None
    except UnknownRuleError as e:
        _err(str(e))
        return 2
    infos = [r for r in all_rules() if wanted is None or r.id in wanted]
    if args.format == "json":
        items = [
            {
                "id": r.id,
                "kind": r.kind,
                "fixable": r.fixable,
                "module": r.module,
                "summary": r.summary,
                "examples": list(r.examples),
                "description": r.description,
            }
            for r in infos
        ]
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    for n, r in enumerate(infos):
        if n:
            print()
        print(f"{r.id}  ({r.kind}, {r.module})")
        if wanted is not None:  # rules named on the command line: their whole text
            print(textwrap.indent(get(r.id).description, "    "))
            continue
        print(f"    {r.summary}")
        for example in r.examples:
            print(f"      {example}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """``seedclean explain``: every repair and finding of each input."""
    config = _config(args)
    status = 0
    failed = inputs = 0
    for src in _sources(args.paths, walk=False):
        inputs += 1
        try:
            doc = _load(src, config)
        except InputError as e:
            _err(str(e))
            status, failed = 2, failed + 1
            continue
        except Exception as e:  # noqa: BLE001 - one bad input must not stop the others
            _err(f"{src.name}: internal error: {type(e).__name__}: {e}")
            status, failed = 2, failed + 1
            continue
        for r in doc.repairs:
            print(f"{src.name}:{r.line}:{r.column}: {r.rule}: {r.before!r} -> {r.after!r}")
        for f in doc.findings:
            print(f"{src.name}:{f.line}:{f.column}: {f.rule}: {f.text!r} kept ({f.message})")
        total = Counter(r.rule for r in doc.repairs)
        summary = ", ".join(f"{rule} {n}" for rule, n in sorted(total.items())) or "no repairs"
        print(f"{src.name}: {summary}; {len(doc.findings)} finding(s)")
    sys.stdout.flush()
    _summary(failed, inputs)
    return status


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``seedclean`` command."""
    parser = argparse.ArgumentParser(
        prog="seedclean", description="Repair garbled Chinese web text and recover its structure."
    )
    parser.add_argument("--version", action="version", version=f"seedclean {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", metavar="PATH", help="input files ('-' for standard input)")
        p.add_argument(
            "--script", choices=SCRIPTS, default=None, help="target script (default: [tool.seedclean], else hans)"
        )
        p.add_argument("--select", metavar="RULE,...", help="check/fix only these rules (ids or globs: mojibake-*)")
        p.add_argument("--ignore", metavar="RULE,...", help="rule ids (or globs) to switch off")
        cfg = p.add_mutually_exclusive_group()
        cfg.add_argument("--config", metavar="FILE", help="read [tool.seedclean] from FILE, not the nearest one")
        cfg.add_argument("--no-config", action="store_true", help="ignore every pyproject.toml")
        p.add_argument(
            "--force-exclude", action="store_true", help="apply [tool.seedclean] exclude to named files too"
        )

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
    from .batch import add_arguments as add_corpus_arguments

    add_corpus_arguments(fix)  # --jsonl/--parquet corpus mode, see batch.py
    fix.set_defaults(func=cmd_fix)

    chk = sub.add_parser("check", help="report garbling as path:line:col: RULE message (exit 1 if any)")
    common(chk)
    chk.add_argument(
        "--format",
        choices=CHECK_FORMATS,
        default="text",
        help="text (path:line:col: RULE message), json (a list of findings), "
        "github (workflow annotations), sarif (SARIF 2.1.0 for code scanning)",
    )
    chk.add_argument("--diff", action="store_true", help="print the unified diff that `fix --format lines` would apply")
    chk.add_argument("--statistics", action="store_true", help="count findings per rule at the end")
    chk.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="worker processes (default 0: one per CPU)")
    chk.set_defaults(func=cmd_check)

    rls = sub.add_parser("rules", help="list every rule: id, what it detects, a before/after example")
    rls.add_argument("rules", nargs="*", metavar="RULE", help="show the whole text of these rules (ids or globs)")
    rls.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    rls.set_defaults(func=cmd_rules)

    exp = sub.add_parser("explain", help="list every repair: rule, line, before -> after")
    common(exp)
    exp.set_defaults(func=cmd_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``seedclean`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _resolve_options(args)
    except ConfigError as e:
        _err(str(e))
        return 2
    if getattr(args, "force_exclude", False):
        args.paths = [p for p in args.paths if not _force_excluded(p, _settings(args))]
        if not args.paths:
            return 0  # every file named is excluded: nothing to do (pre-commit passes file names)
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
