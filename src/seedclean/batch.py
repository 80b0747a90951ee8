"""Corpus mode: ``seedclean fix --jsonl|--parquet IN... -o OUT``.

Streams records through :func:`seedclean.fix_text` in batches, with bounded
memory, optionally in ``--jobs N`` worker processes (order preserved).

- Input: JSON Lines (plain, gzip or zstd; detected from the magic bytes) or
  Parquet (needs ``pyarrow``: ``pip install 'seedclean[parquet]'``).
- Output: chosen by the ``-o`` suffix: ``.parquet``, ``.jsonl.gz``,
  ``.jsonl.zst`` or plain JSON Lines (also standard output).  ``-o DIR``
  (an existing directory) writes one output per input, under the input's
  file name.
- Every other field of a record is kept; the cleaned text replaces the
  field.  A JSONL record whose text is unchanged is copied byte for byte.
- ``--repairs-field NAME`` stores the per-rule repair counts of each record.
- A record that cannot be cleaned (not JSON, not an object, no text field,
  text not a string) is reported on stderr as ``INPUT:LINE: reason``,
  counted in the summary and makes the exit status 2.  Failed records that
  are objects are written to the output unchanged; ``--rejects FILE``
  collects the raw lines of every failed record.
- A summary of repairs per rule is printed on stderr at the end; a progress
  line (docs/s, MB/s) is shown when stderr is a terminal or with
  ``--progress``.

Worker processes parse, clean, serialise and compress whole batches (gzip
members and zstd frames concatenate into valid files), so the main
process only reads, splits lines and writes.  At most ``2 * jobs`` batches
are in flight, which bounds memory whatever the input size.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
PARQUET_MAGIC = b"PAR1"
READ_BLOCK = 1 << 20  # bytes read from the (decompressed) input at a time
BATCH_BYTES = 2 << 20  # a JSONL batch ends at batch_size records or this many bytes
ROW_GROUP_BYTES = 32 << 20  # Parquet output is buffered up to this size per row group
MAX_REPORTED = 100  # failed records reported one line each on stderr; the rest are counted


class CorpusError(Exception):
    """A one-line, user-facing problem with a whole input or output."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the corpus-mode flags to the ``fix`` subparser."""
    g = parser.add_argument_group("corpus mode (JSON Lines or Parquet records; -o names the output file)")
    g.add_argument("--jsonl", action="store_true", help="inputs are JSON Lines (.jsonl, .jsonl.gz, .jsonl.zst)")
    g.add_argument("--parquet", action="store_true", help="inputs are Parquet files (needs pyarrow)")
    g.add_argument("--field", default="text", metavar="NAME", help="the text field of each record (default: text)")
    g.add_argument(
        "--repairs-field", metavar="NAME", help="also store each record's repair counts per rule in this field"
    )
    g.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="worker processes (0: one per core)")
    g.add_argument("--batch-size", type=int, default=1000, metavar="N", help="records per batch (default: 1000)")
    g.add_argument("--progress", action="store_true", help="show the progress line even if stderr is not a tty")
    g.add_argument("--rejects", metavar="FILE", help="write the raw lines of failed records to FILE")
    g.add_argument(
        "--no-rule-counts",
        action="store_true",
        help="skip the detailed pass that attributes changes to rules (faster; counts changed records only)",
    )


# --------------------------------------------------------------------------- worker side


@dataclass
class Options:
    """What a worker needs; pickled once per worker process."""

    config: Any
    field: str
    repairs_field: str | None
    rule_counts: bool
    out_kind: str  # "jsonl" or "parquet"
    compression: str | None  # None, "gzip" or "zstd" (JSONL output only)
    keep_rejects: bool


@dataclass
class BatchResult:
    """What a worker sends back for one batch."""

    payload: Any  # bytes (JSONL), list of dicts (JSONL -> Parquet) or a pyarrow Table
    records: int = 0
    changed: int = 0
    text_bytes: int = 0
    rules: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[int, str, bytes | None]] = field(default_factory=list)


_OPTS: Options | None = None


def _init_worker(opts: Options) -> None:
    global _OPTS
    _OPTS = opts
    warm_up(opts.config)


def warm_up(config: Any) -> None:
    """Load the lazy tables now (before forking workers, they are then shared copy-on-write)."""
    repair("全國特色小鎮(zhèn)和改革發(fā)展,,成效顯著？？h", config)


def repair(text: str, config: Any = None, rule_counts: bool = True) -> tuple[str, Counter[str] | None]:
    """``fix_text(text)`` and its repair counts per rule (``None`` if ``rule_counts`` is false).

    Unchanged text costs one ``fix_text`` call.  Changed text is run once
    more through the detailed pipeline (the one behind :func:`seedclean.clean`)
    to attribute the changes to rules; the returned text is always
    ``fix_text``'s.
    """
    from . import fix_text

    fixed = fix_text(text, config)
    if fixed == text:
        return text, Counter()
    if not rule_counts:
        return fixed, None
    from .config import Config
    from .pipeline import run

    source = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    return fixed, Counter(r.rule for r in run(source, config or Config()).repairs)


def _clean_record(obj: Any, opts: Options, res: BatchResult) -> tuple[bool, str | None]:
    """Clean ``obj[field]`` in place; ``(changed, failure reason or None)``."""
    if not isinstance(obj, dict):
        return False, f"not a JSON object ({type(obj).__name__})"
    value = obj.get(opts.field)
    if value is None:
        return False, f"no {opts.field!r} field" if opts.field not in obj else f"{opts.field!r} is null"
    if not isinstance(value, str):
        return False, f"{opts.field!r} is {type(value).__name__}, not a string"
    res.text_bytes += len(value.encode("utf-8", "surrogatepass"))
    try:
        fixed, counts = repair(value, opts.config, opts.rule_counts)
    except Exception as e:  # noqa: BLE001 - a bug on one record must not stop the corpus
        return False, f"internal error: {type(e).__name__}: {e}"
    changed = fixed != value
    if changed:
        obj[opts.field] = fixed
        res.changed += 1
    if counts:
        res.rules.update(counts)
    if opts.repairs_field is not None:
        obj[opts.repairs_field] = dict(sorted(counts.items())) if counts is not None else {}
        return True, None
    return changed, None


def _json_default(o: Any) -> Any:
    if isinstance(o, (bytes, bytearray)):
        import base64

        return base64.b64encode(bytes(o)).decode("ascii")
    if hasattr(o, "isoformat"):
        return o.isoformat()
    return str(o)  # Decimal and the like


def _dumps(obj: Any) -> bytes:
    import json

    try:
        return json.dumps(obj, ensure_ascii=False, default=_json_default).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: keep them as \\u escapes
        return json.dumps(obj, ensure_ascii=True, default=_json_default).encode("ascii")


def _compress(data: bytes, compression: str | None) -> bytes:
    if not data or compression is None:
        return data
    if compression == "gzip":
        import gzip

        return gzip.compress(data, compresslevel=6, mtime=0)
    import zstandard

    return zstandard.ZstdCompressor(level=3).compress(data)


def work_jsonl(task: tuple[int, list[bytes]]) -> BatchResult:
    """Clean one batch of JSONL lines (``first`` is the 1-based number of the first)."""
    import json

    opts = _OPTS
    assert opts is not None
    first, lines = task
    res = BatchResult(payload=None)
    out: list[Any] = []
    for i, raw in enumerate(lines):
        if not raw.strip():
            continue  # blank lines are not records
        res.records += 1
        try:
            obj = json.loads(raw)
        except UnicodeDecodeError:
            res.failures.append((first + i, "invalid UTF-8", raw if opts.keep_rejects else None))
            continue
        except ValueError as e:
            message = f"invalid JSON: {e.args[0] if e.args else e}"
            res.failures.append((first + i, message, raw if opts.keep_rejects else None))
            continue
        changed, reason = _clean_record(obj, opts, res)
        if reason is not None:
            res.failures.append((first + i, reason, raw if opts.keep_rejects else None))
            if not isinstance(obj, dict):
                continue  # cannot be a record of the output
        if opts.out_kind == "parquet":
            out.append((first + i, obj, reason is not None))
        elif changed:
            out.append(_dumps(obj))
        else:
            out.append(raw.rstrip(b"\r\n"))
    if opts.out_kind == "parquet":
        res.payload = out
    else:
        res.payload = _compress(b"".join(line + b"\n" for line in out), opts.compression)
    return res


def work_arrow(task: tuple[int, Any]) -> BatchResult:
    """Clean one Arrow record batch from a Parquet input."""
    import pyarrow as pa

    opts = _OPTS
    assert opts is not None
    first, batch = task
    res = BatchResult(payload=None, records=batch.num_rows)
    if opts.out_kind == "jsonl":
        lines = []
        maps = [f.name for f in batch.schema if pa.types.is_map(f.type)]
        for i, row in enumerate(batch.to_pylist()):
            for name in maps:  # Arrow maps come back as lists of pairs
                if row[name] is not None:
                    row[name] = dict(row[name])
            _, reason = _clean_record(row, opts, res)
            if reason is not None:
                res.failures.append((first + i, reason, _dumps(row) if opts.keep_rejects else None))
            lines.append(_dumps(row) + b"\n")
        res.payload = _compress(b"".join(lines), opts.compression)
        return res
    table = pa.Table.from_batches([batch])
    index = table.schema.get_field_index(opts.field)
    values = table.column(index).to_pylist()
    counts: list[dict[str, int]] = []
    for i, value in enumerate(values):
        row = {opts.field: value}
        _, reason = _clean_record(row, opts, res)
        if reason is not None:
            res.failures.append((first + i, reason, None))
        values[i] = row[opts.field]
        counts.append(row.get(opts.repairs_field, {}) if opts.repairs_field else {})
    column_type = table.schema.field(index).type
    table = table.set_column(index, table.schema.field(index), pa.array(values, type=column_type))
    if opts.repairs_field is not None:
        array = pa.array(counts, type=REPAIRS_TYPE())
        if opts.repairs_field in table.column_names:
            j = table.schema.get_field_index(opts.repairs_field)
            table = table.set_column(j, pa.field(opts.repairs_field, array.type), array)
        else:
            table = table.append_column(pa.field(opts.repairs_field, array.type), array)
    res.payload = table
    return res


def _pa() -> Any:
    import pyarrow

    return pyarrow


def REPAIRS_TYPE() -> Any:
    """The Arrow type of the ``--repairs-field`` column: ``map<string, int64>``."""
    import pyarrow as pa

    return pa.map_(pa.string(), pa.int64())


# --------------------------------------------------------------------------- main process: reading


@dataclass
class Input:
    """One input file (or standard input)."""

    name: str
    path: Path | None  # None: standard input
    size: int | None = None  # bytes on disk, for the percentage
    raw: BinaryIO | None = None
    schema: Any = None  # Parquet inputs: the Arrow schema


def _open_jsonl(inp: Input) -> BinaryIO:
    raw: Any = sys.stdin.buffer if inp.path is None else open(inp.path, "rb")  # noqa: SIM115
    inp.raw = raw
    head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
    if head.startswith(GZIP_MAGIC):
        import gzip

        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if head.startswith(ZSTD_MAGIC):
        try:
            import zstandard
        except ImportError:
            raise CorpusError(f"{inp.name}: zstd input needs zstandard: pip install 'seedclean[zstd]'") from None
        return zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
    if head.startswith(PARQUET_MAGIC):
        raise CorpusError(f"{inp.name}: this is a Parquet file; use --parquet")
    return raw  # type: ignore[no-any-return]


def _jsonl_batches(inp: Input, batch_size: int) -> Iterator[tuple[int, list[bytes]]]:
    stream = _open_jsonl(inp)
    try:
        lineno = 1  # number of the first line in ``pending``
        pending: list[bytes] = []
        size = 0
        rest = b""
        while True:
            try:
                block = stream.read(READ_BLOCK)
            except (OSError, EOFError) as e:
                raise CorpusError(f"{inp.name}: cannot read: {e}") from None
            if not block:
                if rest:
                    pending.append(rest)
                break
            lines = (rest + block).split(b"\n")
            rest = lines.pop()
            for line in lines:
                pending.append(line)
                size += len(line)
                if len(pending) >= batch_size or size >= BATCH_BYTES:
                    yield lineno, pending
                    lineno += len(pending)
                    pending, size = [], 0
        if pending:
            yield lineno, pending
    finally:
        if inp.path is not None:
            stream.close()
            if inp.raw is not None:
                inp.raw.close()


def _parquet_batches(inp: Input, batch_size: int, text_field: str) -> Iterator[tuple[int, Any]]:
    pq = _pyarrow_parquet()
    import pyarrow as pa

    if inp.path is None:
        raise CorpusError("Parquet input cannot be read from standard input")
    try:
        pf = pq.ParquetFile(inp.path)
    except (OSError, pa.ArrowException) as e:
        raise CorpusError(f"{inp.name}: not a readable Parquet file: {e}") from None
    schema = pf.schema_arrow
    if schema.get_field_index(text_field) < 0:
        raise CorpusError(f"{inp.name}: no column {text_field!r} (columns: {', '.join(schema.names)})")
    t = schema.field(text_field).type
    if not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t)):
        raise CorpusError(f"{inp.name}: column {text_field!r} is {t}, not a string column")
    inp.schema = schema
    row = 1
    for batch in pf.iter_batches(batch_size=batch_size):
        yield row, batch
        row += batch.num_rows
    pf.close()


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise CorpusError("Parquet needs pyarrow: pip install 'seedclean[parquet]'") from None
    return pq


# --------------------------------------------------------------------------- main process: writing


class Sink:
    """One output: JSONL bytes (already compressed by the workers) or Parquet tables."""

    def __init__(self, path: Path | None, kind: str, repairs_field: str | None = None) -> None:
        self.path = path
        self.repairs_field = repairs_field
        self.kind = kind
        self.tmp: Path | None = None
        self.target: Path | None = None
        self.file: BinaryIO | None = None
        self.writer: Any = None
        self.schema: Any = None
        self.buffer: list[Any] = []
        self.buffered = 0
        self.empty_schema: Any = None  # for a Parquet output with no rows at all
        if path is None:
            self.file = sys.stdout.buffer
            return
        if path.exists() and not path.is_file():  # /dev/null, a FIFO ...: write straight through
            self.target = path
        else:  # a regular file: through a temporary file and a rename
            self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            self.target = self.tmp
        if kind == "jsonl":
            self.file = open(self.target, "wb")  # noqa: SIM115

    def write(self, res: BatchResult, name: str, report: Reporter) -> None:
        """Write one batch's output."""
        if self.kind == "jsonl":
            assert self.file is not None
            self.file.write(res.payload)
        elif isinstance(res.payload, list):
            self._write_rows(res.payload, name, report)
        else:
            self._write_table(res.payload)

    def _write_rows(self, rows: list[tuple[int, dict[str, Any], bool]], name: str, report: Reporter) -> None:
        """JSONL -> Parquet: the first batch fixes the schema; misfits are failed records."""
        import pyarrow as pa

        if not rows:
            return
        if self.schema is None:
            self.schema = self._infer_schema([row for _, row, _ in rows], name)
        names = set(self.schema.names)
        keep = report.rejects is not None
        good = []
        for line, row, failed in rows:
            extra = row.keys() - names
            if extra:
                reason = f"field(s) {', '.join(sorted(extra))} not in the Parquet schema (set by the first batch)"
                report.fail(name, line, reason, _dumps(row) if keep and not failed else None, count=not failed)
            else:
                good.append((line, row, failed))
        try:
            table = pa.Table.from_pylist([row for _, row, _ in good], schema=self.schema)
        except (pa.ArrowException, TypeError, ValueError):
            ok = []
            for line, row, failed in good:
                try:
                    pa.Table.from_pylist([row], schema=self.schema)
                    ok.append(row)
                except (pa.ArrowException, TypeError, ValueError) as e:
                    raw = _dumps(row) if keep and not failed else None
                    report.fail(name, line, f"does not fit the Parquet schema: {e}", raw, count=not failed)
            table = pa.Table.from_pylist(ok, schema=self.schema)
        self._write_table(table)

    def _infer_schema(self, rows: list[dict[str, Any]], name: str) -> Any:
        """The union of the first batch's fields (or the first record's, if they disagree on types)."""
        import pyarrow as pa

        try:
            struct = pa.array(rows).type
        except (pa.ArrowException, TypeError, ValueError):
            try:
                struct = pa.array(rows[:1]).type
            except (pa.ArrowException, TypeError, ValueError) as e:
                raise CorpusError(f"{name}: cannot build a Parquet schema from the first record: {e}") from None
        fields = [struct.field(i) for i in range(struct.num_fields)]
        if self.repairs_field is not None:
            fields = [pa.field(f.name, REPAIRS_TYPE()) if f.name == self.repairs_field else f for f in fields]
        return pa.schema(fields)

    def _write_table(self, table: Any) -> None:
        pq = _pyarrow_parquet()
        if self.writer is None:
            self.writer = pq.ParquetWriter(str(self.target), table.schema)
        elif not table.schema.equals(self.writer.schema):
            try:
                table = table.select(self.writer.schema.names).cast(self.writer.schema)
            except (KeyError, ValueError, TypeError, Exception) as e:  # noqa: BLE001 - pyarrow raises several kinds
                msg = f"{self.path}: inputs with different schemas cannot share one Parquet output: {e}"
                raise CorpusError(msg) from None
        self.buffer.append(table)
        self.buffered += table.nbytes
        if self.buffered >= ROW_GROUP_BYTES:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.buffer:
            self.writer.write_table(pa.concat_tables(self.buffer))
            self.buffer, self.buffered = [], 0

    def close(self) -> None:
        """Finish the output and rename it into place."""
        if self.kind == "parquet":
            schema = self.schema if self.schema is not None else self.empty_schema
            if self.writer is None:  # no rows at all: an empty file with the schema
                import pyarrow as pa

                self._write_table(schema.empty_table() if schema is not None else pa.table({}))
            self._flush()
            self.writer.close()
        elif self.file is not None:
            self.file.flush()
            if self.tmp is not None:
                os.fsync(self.file.fileno())
            if self.path is not None:
                self.file.close()
        if self.tmp is not None:
            os.replace(self.tmp, self.path)  # type: ignore[arg-type]

    def abort(self) -> None:
        """Drop a partial output (the temporary file)."""
        try:
            if self.writer is not None:
                self.writer.close()
            if self.file is not None and self.path is not None:
                self.file.close()
        except Exception:  # noqa: BLE001
            pass
        if self.tmp is not None:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass


def _output_kind(path: Path | None) -> tuple[str, str | None]:
    if path is None:
        return "jsonl", None
    name = path.name.lower()
    if name.endswith(".parquet") or name.endswith(".pq"):
        return "parquet", None
    if name.endswith(".gz"):
        return "jsonl", "gzip"
    if name.endswith(".zst") or name.endswith(".zstd"):
        try:
            import zstandard  # noqa: F401
        except ImportError:
            raise CorpusError(f"{path}: zstd output needs zstandard: pip install 'seedclean[zstd]'") from None
        return "jsonl", "zstd"
    return "jsonl", None


# --------------------------------------------------------------------------- progress and summary


class Reporter:
    """Counts, failure lines, the progress line and the summary, all on stderr."""

    def __init__(self, show_progress: bool, total_bytes: int | None) -> None:
        self.start = time.perf_counter()
        self.show = show_progress
        self.tty = sys.stderr.isatty()
        self.total = total_bytes
        self.last = 0.0
        self.records = self.changed = self.failed = self.text_bytes = 0
        self.rules: Counter[str] = Counter()
        self.reported = 0
        self.rejects: BinaryIO | None = None
        self.done_bytes = 0  # input bytes of finished inputs
        self.current: Input | None = None
        self.line_open = False

    def fail(self, name: str, line: int | None, reason: str, raw: bytes | None, count: bool = True) -> None:
        """Report (and count) one failed record."""
        self.failed += count
        if self.reported < MAX_REPORTED:
            where = f"{name}:{line}" if line is not None else name
            self._clear()
            print(f"seedclean: {where}: {reason}", file=sys.stderr)
            self.reported += 1
            if self.reported == MAX_REPORTED:
                more = "; --rejects FILE keeps them all" if self.rejects is None else ""
                print(f"seedclean: further failed records are counted, not shown{more}", file=sys.stderr)
        if raw is not None and self.rejects is not None:
            self.rejects.write(raw.rstrip(b"\r\n") + b"\n")

    def add(self, res: BatchResult, name: str) -> None:
        """Account for one finished batch."""
        self.records += res.records
        self.changed += res.changed
        self.text_bytes += res.text_bytes
        self.rules.update(res.rules)
        for line, reason, raw in res.failures:
            self.fail(name, line, reason, raw)
        self.tick()

    def _position(self) -> int | None:
        inp = self.current
        if self.total is None or inp is None or inp.raw is None:
            return None
        try:
            return self.done_bytes + inp.raw.tell()
        except (OSError, ValueError):
            return None

    def _line(self) -> str:
        dt = max(time.perf_counter() - self.start, 1e-9)
        s = (
            f"{self.records:,} docs  {self.records / dt:,.0f} docs/s  "
            f"{self.text_bytes / dt / 1e6:.2f} MB/s  {self.changed:,} changed  {self.failed:,} failed"
        )
        pos = self._position()
        if pos is not None and self.total:
            s += f"  {min(100.0, 100.0 * pos / self.total):.0f}%"
        return s

    def tick(self, force: bool = False) -> None:
        """Redraw the progress line (at most every 0.2 s on a tty, 5 s otherwise)."""
        if not self.show:
            return
        now = time.perf_counter()
        if not force and now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        if self.tty:
            sys.stderr.write("\r\x1b[K" + self._line())
            self.line_open = True
        else:
            sys.stderr.write(self._line() + "\n")
        sys.stderr.flush()

    def _clear(self) -> None:
        if self.line_open:
            sys.stderr.write("\r\x1b[K")
            self.line_open = False

    def summary(self) -> None:
        """The final line and the repairs per rule."""
        self._clear()
        dt = max(time.perf_counter() - self.start, 1e-9)
        ok = self.records - self.failed
        print(
            f"seedclean: {self.records:,} records, {ok:,} cleaned ({self.changed:,} changed), "
            f"{self.failed:,} failed; {self.text_bytes / 1e6:,.1f} MB of text in {dt:.1f} s "
            f"({self.records / dt:,.0f} docs/s, {self.text_bytes / dt / 1e6:.2f} MB/s)",
            file=sys.stderr,
        )
        for rule, n in sorted(self.rules.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"{n:12,d}  {rule}", file=sys.stderr)


# --------------------------------------------------------------------------- driver


def _err(message: str) -> None:
    print(f"seedclean: error: {message}", file=sys.stderr)


def _plan(args: argparse.Namespace, inputs: list[Input]) -> list[tuple[list[Input], Path | None]]:
    """Which inputs go to which output (``None``: standard output)."""
    if args.in_place:
        raise CorpusError("--in-place is not supported with --jsonl/--parquet; give -o OUT")
    if args.stdout or args.output is None:
        return [(inputs, None)]
    out = Path(args.output)
    if out.is_dir():
        if any(i.path is None for i in inputs):
            raise CorpusError("-o DIR needs file inputs, not standard input")
        plan = [([i], out / i.path.name) for i in inputs]  # type: ignore[union-attr]
    else:
        plan = [(inputs, out)]
    for group, target in plan:
        for i in group:
            if i.path is not None and target is not None and target.resolve() == i.path.resolve():
                raise CorpusError(f"{i.name}: output would overwrite the input")
    return plan


def _terminate(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def run_corpus(args: argparse.Namespace) -> int:
    """Entry point from ``seedclean fix`` when ``--jsonl`` or ``--parquet`` is given."""
    from .config import Config

    if args.jsonl and args.parquet:
        _err("give --jsonl or --parquet, not both")
        return 2
    if args.jobs < 0 or args.batch_size < 1:
        _err("--jobs must be >= 0 and --batch-size >= 1")
        return 2
    if args.repairs_field and args.no_rule_counts:
        _err("--repairs-field needs the rule counts; drop --no-rule-counts")
        return 2
    if args.repairs_field == args.field:
        _err("--repairs-field must differ from --field")
        return 2
    ignore = frozenset(r.strip() for r in (args.ignore or "").split(",") if r.strip())
    try:
        config = Config(script=args.script, ignore=ignore)
    except ValueError as e:
        _err(str(e))
        return 2
    inputs = []
    for p in args.paths:
        if p == "-":
            inputs.append(Input("-", None))
            continue
        path = Path(p)
        if not path.is_file():
            _err(f"{p}: {'is a directory' if path.is_dir() else 'no such file'}")
            return 2
        inputs.append(Input(p, path, path.stat().st_size))
    jobs = args.jobs or os.cpu_count() or 1
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():  # SIGTERM: remove the temporary output too
        signal.signal(signal.SIGTERM, _terminate)
    try:
        plan = _plan(args, inputs)
        sizes = [i.size for i in inputs]
        total = None if any(s is None for s in sizes) else sum(s for s in sizes if s is not None)
        report = Reporter(args.progress or sys.stderr.isatty(), total)
        if args.rejects:
            report.rejects = open(args.rejects, "wb")  # noqa: SIM115
        try:
            for group, target in plan:
                kind, compression = _output_kind(target)
                if kind == "parquet" and target is None:
                    raise CorpusError("Parquet output needs -o FILE.parquet")
                if kind == "parquet":
                    _pyarrow_parquet()
                opts = Options(
                    config=config,
                    field=args.field,
                    repairs_field=args.repairs_field,
                    rule_counts=not args.no_rule_counts,
                    out_kind=kind,
                    compression=compression,
                    keep_rejects=args.rejects is not None,
                )
                _run_group(group, target, opts, args, jobs, report)
        finally:
            if report.rejects is not None:
                report.rejects.close()
    except CorpusError as e:
        _err(str(e))
        return 2
    except OSError as e:
        _err(f"{getattr(e, 'filename', None) or 'I/O'}: {e.strerror or e}")
        return 2
    report.tick(force=True)
    report.summary()
    sys.stdout.flush()
    return 2 if report.failed else 0


def _run_group(
    group: list[Input], target: Path | None, opts: Options, args: argparse.Namespace, jobs: int, report: Reporter
) -> None:
    sink = Sink(target, opts.out_kind, opts.repairs_field)
    try:
        if jobs == 1:
            _init_worker(opts)
            for inp, task, work in _tasks(group, args, report):
                res = work(task)
                report.add(res, inp.name)
                sink.write(res, inp.name, report)
        else:
            _run_pool(group, sink, opts, args, jobs, report)
        if opts.out_kind == "parquet" and sink.writer is None:
            schema = next((i.schema for i in group if i.schema is not None), None)
            if schema is not None and opts.repairs_field and opts.repairs_field not in schema.names:
                schema = schema.append(_pa().field(opts.repairs_field, REPAIRS_TYPE()))
            sink.empty_schema = schema
        sink.close()
    except BaseException:
        sink.abort()
        raise


def _tasks(group: list[Input], args: argparse.Namespace, report: Reporter) -> Iterator[tuple[Input, Any, Any]]:
    for inp in group:
        report.current = inp
        if args.parquet:
            for task in _parquet_batches(inp, args.batch_size, args.field):
                yield inp, task, work_arrow
        else:
            for task in _jsonl_batches(inp, args.batch_size):
                yield inp, task, work_jsonl
        report.done_bytes += inp.size or 0


def _run_pool(
    group: list[Input], sink: Sink, opts: Options, args: argparse.Namespace, jobs: int, report: Reporter
) -> None:
    """Like ``Pool.imap`` over the batches, but with at most ``2 * jobs`` batches in flight."""
    import multiprocessing
    from collections import deque

    window = 2 * jobs
    pending: deque[tuple[str, Any]] = deque()
    warm_up(opts.config)  # forked workers start with the tables loaded
    with multiprocessing.Pool(jobs, initializer=_init_worker, initargs=(opts,)) as pool:
        for inp, task, work in _tasks(group, args, report):
            pending.append((inp.name, pool.apply_async(work, (task,))))
            while len(pending) >= window:
                name, ar = pending.popleft()
                res = ar.get()
                report.add(res, name)
                sink.write(res, name, report)
        while pending:
            name, ar = pending.popleft()
            res = ar.get()
            report.add(res, name)
            sink.write(res, name, report)
        # close and join before the with-block's terminate(): terminating
        # workers that are still reading the task queue can leave its lock
        # held by a dead worker, and terminate() then waits for it forever
        pool.close()
        pool.join()
