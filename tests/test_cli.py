"""The command line: formats, exit codes, one-line errors, atomic in-place writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from seedclean.cli import atomic_write, main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "raw" / "001_ceb33e9e3089e7eb.txt"
GARBLED = "全國特色小鎮(zhèn)和改革發(fā)展,,成效顯著。\n鎮(zhèn)內企業\n"


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "seedclean", *args], input=stdin, capture_output=True, cwd=cwd, timeout=120
    )


def test_fix_json_stdout_is_one_object() -> None:
    r = run("fix", "--format", "json", "--stdout", str(SEED))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout.decode("utf-8"))
    assert doc["schema"] == "seedclean.document/1"
    assert doc["source"]["encoding"] == "utf-8"
    assert len(doc["source"]["sha256"]) == 64
    for key in ("title", "metadata", "sections", "boilerplate", "repairs", "findings"):
        assert key in doc
    p = doc["sections"][0]["paragraphs"][0]
    assert p["lines"] == [10, 10] and p["text"].startswith("3月1日，湖南省蓝山县")
    ruby = next(r for r in doc["repairs"] if r["rule"] == "ruby-annotation")
    assert ruby["count"] > 100 and ruby["lines"][0] == 1


def test_fix_stdin_to_stdout() -> None:
    r = run("fix", "-", stdin=GARBLED.encode("utf-8"))
    assert r.returncode == 0
    assert r.stdout.decode("utf-8") == "全国特色小镇和改革发展，成效显著。\n\n镇内企业\n"


def test_fix_lines_format_keeps_lines() -> None:
    r = run("fix", "--format", "lines", "-", stdin=GARBLED.encode("utf-8"))
    assert r.stdout.decode("utf-8") == "全国特色小镇和改革发展，成效显著。\n镇内企业\n"


def test_fix_script_keep() -> None:
    r = run("fix", "--script", "keep", "--format", "lines", "-", stdin=GARBLED.encode("utf-8"))
    assert r.stdout.decode("utf-8") == "全國特色小鎮和改革發展，成效顯著。\n鎮內企業\n"


def test_fix_gbk_input(tmp_path: Path) -> None:
    src = tmp_path / "gbk.txt"
    src.write_bytes("中国的发展,,很快。\n".encode("gbk"))
    r = run("fix", "--stdout", "--format", "lines", str(src))
    assert r.stdout.decode("utf-8") == "中国的发展，很快。\n"


def test_in_place_is_atomic_and_keeps_mode(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(GARBLED, encoding="utf-8")
    os.chmod(f, 0o640)
    assert main(["fix", "--in-place", "--format", "lines", str(f)]) == 0
    assert f.read_text(encoding="utf-8") == "全国特色小镇和改革发展，成效显著。\n镇内企业\n"
    assert f.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_atomic_write_failure_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "a.txt"
    f.write_text("old", encoding="utf-8")

    def boom(*a: object, **k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(f, "new")
    assert f.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda d: d, "is a directory"),
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: _write(d / "empty.txt", b""), "empty input"),
        (lambda d: _write(d / "bin.dat", bytes(range(256)) * 4), "binary"),
    ],
)
def test_bad_inputs_one_line_exit_2_others_processed(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    bad = make(tmp_path)
    good = tmp_path / "good.txt"
    good.write_text(GARBLED, encoding="utf-8")
    out = tmp_path / "out"
    r = run("fix", str(bad), str(good), "-o", str(out))
    assert r.returncode == 2
    err = r.stderr.decode("utf-8")
    lines = err.splitlines()
    assert len(lines) == 2 and message in lines[0] and "Traceback" not in err
    assert lines[1] == "seedclean: 1 of 2 inputs failed"
    assert (out / "good.txt").read_text(encoding="utf-8").startswith("全国特色小镇")


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    f = tmp_path / "secret.txt"
    f.write_text("x")
    os.chmod(f, 0)
    r = run("check", str(f))
    assert r.returncode == 2 and b"permission denied" in r.stderr


def test_output_never_overwrites_input(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(GARBLED, encoding="utf-8")
    r = run("fix", str(f), "-o", str(tmp_path))
    assert r.returncode == 2 and b"--in-place" in r.stderr
    assert f.read_text(encoding="utf-8") == GARBLED


def test_check_exit_codes_and_positions(tmp_path: Path) -> None:
    dirty = tmp_path / "dirty.txt"
    dirty.write_text("第一行\n中国的发展,,很快\n", encoding="utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text("中国的发展，很快。\n", encoding="utf-8")
    r = run("check", str(dirty))
    assert r.returncode == 1
    assert r.stdout.decode("utf-8") == f"{dirty}:2:6: punct-comma-artifact ,, -> ，\n"
    assert run("check", str(clean)).returncode == 0
    assert run("check", str(tmp_path / "nope.txt")).returncode == 2


def test_check_fails_on_a_file_that_mixes_utf8_and_gbk(tmp_path: Path) -> None:
    """The text decodes right, but the file is not clean UTF-8: `check` says so and `fix` writes UTF-8."""
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes("前面是UTF8，".encode() + "中国的发展".encode("gbk") + "后面。\n".encode())
    r = run("check", str(mixed))
    assert r.returncode == 1
    assert r.stdout.decode("utf-8").startswith(f"{mixed}:1:9: mixed-encoding 10 bytes at byte offset 16 are GB18030")
    out = tmp_path / "out"
    assert run("fix", str(mixed), "-o", str(out)).returncode == 0
    fixed = out / "mixed.txt"
    assert fixed.read_bytes() == "前面是UTF8，中国的发展后面。\n".encode()
    assert run("check", str(fixed)).returncode == 0
    assert run("check", "--ignore", "mixed-encoding", str(mixed)).returncode == 0
    [entry] = json.loads(run("check", "--format", "json", str(mixed)).stdout)
    assert entry["rule"] == "mixed-encoding" and entry["fixable"] is True  # fix writes the file as UTF-8


def test_check_walks_directories(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.md").write_text("中国:发展\n", encoding="utf-8")
    (tmp_path / "ignored.bin").write_bytes(b"\x00\x01")
    r = run("check", str(tmp_path))
    assert r.returncode == 1
    assert "x.md:1:3: punct-fullwidth" in r.stdout.decode("utf-8")


def test_explain_lists_every_repair() -> None:
    r = run("explain", "-", stdin="鎮(zhèn)和鎮(zhèn),,好\n".encode())
    out = r.stdout.decode("utf-8").splitlines()
    assert "-:1:2: ruby-annotation: '(zhèn)' -> ''" in out
    assert "-:1:10: ruby-annotation: '(zhèn)' -> ''" in out
    assert "-:1:16: punct-comma-artifact: ',,' -> '，'" in out
    assert out[-1].startswith("-: ")


def test_usage_error_exit_2() -> None:
    assert run("fix").returncode == 2
    assert run("fix", "--format", "pdf", str(SEED)).returncode == 2


def test_json_output_stays_nfc_after_an_escaped_character() -> None:
    """`\\u001e` or `\\n` + U+0301 would read `\\u001é`, `\\ń`: the mark is escaped too (check --format json/sarif)."""
    import unicodedata

    from seedclean.document import json_text

    for value in ("中国\x1e\u0301", "中国\n\u0301", "中国\u0301"):
        out = json_text({"text": value})
        assert unicodedata.is_normalized("NFC", out), out
        assert json.loads(out) == {"text": value}
