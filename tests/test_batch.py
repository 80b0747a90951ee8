"""Corpus mode: ``seedclean fix --jsonl|--parquet`` (src/seedclean/batch.py).

No test here asserts on timings.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

import seedclean
from seedclean.cli import main

GARBLED = [
    "全國特色小鎮(zhèn)和改革發(fā)展,,成效顯著",
    "統(tǒng)籌推進新冠肺炎疫情防控和經濟社會發(fā)展,既是一次大戰(zhàn),、也是一次大考,。",
    "江蘇泰州醫(yī)藥雙創(chuàng)小鎮(zhèn)內企業(yè)成功研發(fā)新冠病毒診斷試劑盒\n第二行:\u3000\u3000縣農商銀行",
]
CLEAN = ["今天天气很好。", "他说：“我们明天去北京。”", "Hello, world (ASCII only)."]


def _records(n: int = 60) -> list[dict]:
    out = []
    for i in range(n):
        text = GARBLED[i % len(GARBLED)] if i % 2 else CLEAN[i % len(CLEAN)]
        out.append({"id": i, "text": text, "url": f"https://example.com/{i}", "meta": {"n": i, "tags": ["a", str(i)]}})
    return out


def _write_jsonl(path: Path, lines: list[str]) -> None:
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data)
    elif path.suffix == ".zst":
        import zstandard

        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)


def _read_jsonl(path: Path) -> list[dict]:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    elif data[:4] == b"\x28\xb5\x2f\xfd":
        import io

        import zstandard

        data = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True).read()
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def _dumps(records: list[dict]) -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in records]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_round_trip_keeps_other_fields(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    if suffix.endswith(".zst"):
        pytest.importorskip("zstandard")
    records = _records()
    src = tmp_path / f"in{suffix}"
    out = tmp_path / f"out{suffix}"
    _write_jsonl(src, _dumps(records))
    assert main(["fix", "--jsonl", str(src), "--field", "text", "-o", str(out)]) == 0
    got = _read_jsonl(out)
    assert len(got) == len(records)
    for before, after in zip(records, got, strict=True):
        assert after["text"] == seedclean.fix_text(before["text"])
        assert {k: v for k, v in after.items() if k != "text"} == {k: v for k, v in before.items() if k != "text"}
        assert list(after) == list(before)  # field order kept too
    assert got[3]["text"] == "全国特色小镇和改革发展，成效显著"
    err = capsys.readouterr().err
    assert "60 records" in err and "0 failed" in err
    assert "script-convert" in err and "ruby-annotation" in err  # the per-rule summary
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed


def test_unchanged_records_are_copied_byte_for_byte(tmp_path: Path) -> None:
    lines = ['{"text":"今天天气很好。","x":1.50,"u":"\\u4e2d"}', '{"text": "全國特色小鎮(zhèn)和改革發(fā)展"}']
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_jsonl(src, lines)
    assert main(["fix", "--jsonl", str(src), "-o", str(out)]) == 0
    got = out.read_text(encoding="utf-8").splitlines()
    assert got[0] == lines[0]
    assert json.loads(got[1]) == {"text": "全国特色小镇和改革发展"}


def test_repairs_field_counts_per_rule(tmp_path: Path) -> None:
    records = _records(12)
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_jsonl(src, _dumps(records))
    assert main(["fix", "--jsonl", str(src), "-o", str(out), "--repairs-field", "repairs"]) == 0
    for before, after in zip(records, _read_jsonl(out), strict=True):
        want = Counter(r.rule for r in seedclean.clean(before["text"]).repairs)
        assert after["repairs"] == dict(want)
        if before["text"] in CLEAN:
            assert after["repairs"] == {}


def test_bad_records_are_counted_and_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _dumps(_records(6))
    lines = [
        good[0],
        "{not json",  # line 2
        good[1],
        '{"id": "no-text", "body": "x"}',  # line 4: kept, reported
        '{"id": "int", "text": 5}',  # line 5: kept, reported
        "",  # a blank line is not a record
        "[1, 2]",  # line 7: not an object
        good[2],
        '{"id": "null", "text": null}',  # line 9
        b'{"text": "\xff\xfe"}'.decode("latin-1"),  # line 10: valid JSON text, but latin-1 bytes below
        good[3],
    ]
    src, out, rejects = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    data = data.replace('"\u00ff\u00fe"'.encode(), b'"\xff\xfe"')  # invalid UTF-8 on line 10
    src.write_bytes(data)
    status = main(["fix", "--jsonl", str(src), "-o", str(out), "--rejects", str(rejects)])
    assert status == 2
    err = capsys.readouterr().err
    for lineno, reason in [
        (2, "invalid JSON"),
        (4, "no 'text' field"),
        (5, "'text' is int, not a string"),
        (7, "not a JSON object"),
        (9, "'text' is null"),
        (10, "invalid UTF-8"),
    ]:
        assert f"in.jsonl:{lineno}: {reason}" in err
    assert "10 records" in err and "6 failed" in err
    got = _read_jsonl(out)
    ids = [r.get("id") for r in got]
    assert ids == [0, 1, "no-text", "int", 2, "null", 3]  # objects kept, in order; never silently dropped
    assert len(rejects.read_bytes().splitlines()) == 6


def test_jobs_2_output_identical_to_jobs_1(tmp_path: Path) -> None:
    records = _records(300)
    lines = _dumps(records)
    lines.insert(50, "{broken")
    src = tmp_path / "in.jsonl.gz"
    _write_jsonl(src, lines)
    one, two = tmp_path / "one.jsonl.gz", tmp_path / "two.jsonl.gz"
    common = ["fix", "--jsonl", str(src), "--batch-size", "7", "--repairs-field", "r"]
    assert main([*common, "-o", str(one), "--jobs", "1"]) == 2
    assert main([*common, "-o", str(two), "--jobs", "2"]) == 2
    assert gzip.decompress(one.read_bytes()) == gzip.decompress(two.read_bytes())
    assert len(_read_jsonl(two)) == 300


def test_progress_line_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _dumps(_records(5)))
    main(["fix", "--jsonl", str(src), "-o", str(tmp_path / "a.jsonl")])
    assert "docs/s" in capsys.readouterr().err  # the summary has docs/s too ...
    main(["fix", "--jsonl", str(src), "-o", str(tmp_path / "b.jsonl"), "--progress"])
    err = capsys.readouterr().err
    progress = [line for line in err.splitlines() if not line.startswith("seedclean:") and "docs/s" in line]
    assert progress and "MB/s" in progress[-1]  # ... but only --progress adds the progress line


def test_stdin_to_stdout_and_directory_output(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _dumps(_records(4)))
    p = subprocess.run(
        [sys.executable, "-m", "seedclean", "fix", "--jsonl", "-"],
        input=src.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert p.returncode == 0, p.stderr
    assert [json.loads(x)["id"] for x in p.stdout.splitlines()] == [0, 1, 2, 3]
    outdir = tmp_path / "out"
    outdir.mkdir()
    assert main(["fix", "--jsonl", str(src), "-o", str(outdir)]) == 0
    assert len(_read_jsonl(outdir / "in.jsonl")) == 4
    assert main(["fix", "--jsonl", str(src), "-o", str(src)]) == 2  # never overwrites the input


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fix", "--jsonl", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _dumps(_records(2)))
    assert main(["fix", "--jsonl", str(src), "--in-place"]) == 2
    assert main(["fix", "--jsonl", "--parquet", str(src)]) == 2
    assert not (tmp_path / "o.jsonl").exists()


def test_parquet_round_trip(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    records = _records(40)
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _dumps(records))
    as_parquet = tmp_path / "a.parquet"
    assert main(["fix", "--jsonl", str(src), "-o", str(as_parquet), "--repairs-field", "repairs"]) == 0
    table = pq.read_table(as_parquet)
    assert table.column_names == ["id", "text", "url", "meta", "repairs"]
    assert table.num_rows == 40
    assert table.column("text").to_pylist() == [seedclean.fix_text(r["text"]) for r in records]

    # Parquet in, Parquet out: other columns untouched, the text column cleaned.
    raw = pa.table(
        {
            "text": [r["text"] for r in records] + [None],
            "n": list(range(41)),
            "blob": [b"\x00\x01"] * 41,
        }
    )
    raw_path, out_path = tmp_path / "raw.parquet", tmp_path / "out.parquet"
    pq.write_table(raw, raw_path)
    status = main(["fix", "--parquet", str(raw_path), "-o", str(out_path), "--jobs", "2", "--batch-size", "9"])
    assert status == 2  # the null text is reported, and the row kept
    out = pq.read_table(out_path)
    assert out.schema == raw.schema
    assert out.column("n").to_pylist() == list(range(41))
    assert out.column("blob").to_pylist() == [b"\x00\x01"] * 41
    assert out.column("text").to_pylist() == [seedclean.fix_text(r["text"]) for r in records] + [None]

    # Parquet in, JSONL out.
    back = tmp_path / "back.jsonl.gz"
    assert main(["fix", "--parquet", str(as_parquet), "-o", str(back)]) == 0
    got = _read_jsonl(back)
    assert [g["id"] for g in got] == list(range(40))
    assert isinstance(got[1]["repairs"], dict) and got[1]["repairs"]


MEMORY_PROBE = textwrap.dedent(
    """
    import resource, subprocess, sys
    cmd = [sys.executable, "-m", "seedclean", "fix", "--jsonl", sys.argv[1], "-o", sys.argv[2], "--jobs", "2",
           "--batch-size", "100"]
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode != 0:
        sys.exit(p.stderr.decode())
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)  # KiB: the largest process of the tree
    """
)


def _peak_rss_kib(src: Path, out: Path) -> int:
    p = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(src), str(out)], capture_output=True, text=True, check=False
    )
    assert p.returncode == 0, p.stderr
    return int(p.stdout.strip())


def test_memory_is_bounded(tmp_path: Path, root: Path) -> None:
    """Peak RSS must not grow with the input: 4 MB and 24 MB inputs peak within a few MB of each other."""
    docs = [p.read_text(encoding="utf-8") for p in sorted((root / "seeds" / "clean").glob("*.txt"))]
    docs = docs or CLEAN
    raw = [seedclean.decode(p.read_bytes()).text for p in sorted((root / "seeds" / "raw").glob("*.txt"))]

    def make(path: Path, mb: float) -> None:
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as f:
            size, i = 0, 0
            while size < mb * 1e6:
                text = raw[i % len(raw)] if i % 100 == 0 else docs[i % len(docs)]
                line = json.dumps({"id": i, "text": text, "pad": "x" * (i % 300)}, ensure_ascii=False) + "\n"
                f.write(line)
                size += len(line.encode("utf-8"))
                i += 1

    small, large = tmp_path / "small.jsonl.gz", tmp_path / "large.jsonl.gz"
    make(small, 4)
    make(large, 24)
    rss_small = _peak_rss_kib(small, tmp_path / "small.out.jsonl.gz")
    rss_large = _peak_rss_kib(large, tmp_path / "large.out.jsonl.gz")
    assert len(gzip.decompress((tmp_path / "large.out.jsonl.gz").read_bytes()).splitlines()) > 3000
    # Reading the whole 24 MB input would add well over 20 MB (Python strings cost more than the bytes).
    print(f"peak RSS: {rss_small} KiB for 4 MB, {rss_large} KiB for 24 MB")
    assert rss_large - rss_small < 12 * 1024, (rss_small, rss_large)
    assert rss_large < 300 * 1024
