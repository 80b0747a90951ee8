"""``seedclean check``: output formats, --diff, --select/--ignore, --statistics, parallel order, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from seedclean import rules
from seedclean.cli import _gh_data, _gh_property, _unified_diff, main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "raw" / "001_ceb33e9e3089e7eb.txt"
DIRTY = "第一行\n中国的发展,,很快\n中国:发展\n"


@pytest.fixture
def dirty(tmp_path: Path) -> Path:
    f = tmp_path / "dirty.txt"
    f.write_text(DIRTY, encoding="utf-8")
    return f


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-config", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_format_is_unchanged(dirty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _check(capsys, str(dirty))
    assert code == 1
    assert out == f"{dirty}:2:6: punct-comma-artifact ,, -> ，\n{dirty}:3:3: punct-fullwidth : -> ：\n"


def test_json_format(dirty: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lossy = tmp_path / "lossy.md"
    lossy.write_text("我们在??中心见面\n", encoding="utf-8")
    code, out, _ = _check(capsys, "--format", "json", str(dirty), str(lossy))
    assert code == 1
    items = json.loads(out)
    assert [(i["path"], i["line"], i["column"], i["rule"]) for i in items] == [
        (str(dirty), 2, 6, "punct-comma-artifact"),
        (str(dirty), 3, 3, "punct-fullwidth"),
        (str(lossy), 1, 4, "lossy-replacement"),
    ]
    assert items[0]["message"] == ",, -> ，" and items[0]["fixable"] is True and items[0]["text"] == ",,"
    assert items[2]["fixable"] is False
    for item in items:
        assert {"path", "line", "column", "rule", "message"} <= set(item)


def test_json_format_clean_is_an_empty_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "clean.txt"
    f.write_text("中国的发展，很快。\n", encoding="utf-8")
    code, out, _ = _check(capsys, "--format", "json", str(f))
    assert code == 0 and json.loads(out) == []


def test_github_format(dirty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _check(capsys, "--format", "github", str(dirty))
    assert code == 1
    assert out.splitlines() == [
        f"::warning file={_gh_property(str(dirty))},line=2,col=6,title=punct-comma-artifact::,, -> ，",
        f"::warning file={_gh_property(str(dirty))},line=3,col=3,title=punct-fullwidth::: -> ：",
    ]


def test_github_escaping() -> None:
    assert _gh_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert _gh_property("100% a\r\nb: c, d") == "100%25 a%0D%0Ab%3A c%2C d"
    assert _gh_data("%0A") == "%250A"  # % first, so an escape is never escaped twice


def test_github_format_escapes_paths_and_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a,b:c%.txt"
    f.write_text("中国\u3000人民\n", encoding="utf-8")
    code, out, _ = _check(capsys, "--format", "github", str(f))
    assert code == 1
    line = out.splitlines()[0]
    assert line.startswith("::warning file=")
    props, _, message = line[len("::warning ") :].partition("::")
    assert "a%2Cb%3Ac%25.txt" in props and "," not in props.split("file=")[1].split(",line=")[0]
    assert dict(p.split("=", 1) for p in props.split(","))["title"] == "space-cjk"
    assert message == "'\\u3000' -> ''"


def test_sarif_format(dirty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _check(capsys, "--format", "sarif", str(dirty))
    assert code == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0" and "sarif" in log["$schema"]
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "seedclean"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == list(rules.RULE_IDS)
    for r in driver["rules"]:
        assert r["shortDescription"]["text"] == rules.get(r["id"]).summary
        assert r["fullDescription"]["text"] and r["help"]["text"]
    results = run["results"]
    assert [(x["ruleId"], x["level"]) for x in results] == [
        ("punct-comma-artifact", "warning"),
        ("punct-fullwidth", "warning"),
    ]
    for x in results:
        assert ids[x["ruleIndex"]] == x["ruleId"]
        loc = x["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == dirty.as_uri()
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 6}
    assert results[0]["message"]["text"] == ",, -> ，"
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_relative_paths_and_errors(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "seedclean", "check", "--format", "sarif", "有 空格.txt", "missing.txt"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert r.returncode == 2  # both missing: I/O errors
    log = json.loads(r.stdout)
    inv = log["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False and len(inv["toolExecutionNotifications"]) == 2
    (tmp_path / "有 空格.txt").write_text(DIRTY, encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "seedclean", "check", "--format", "sarif", "有 空格.txt"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert r.returncode == 1
    run = json.loads(r.stdout)["runs"][0]
    loc = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "%E6%9C%89%20%E7%A9%BA%E6%A0%BC.txt", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")


def test_diff_is_what_fix_lines_would_apply(dirty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _check(capsys, "--diff", str(dirty))
    assert code == 1
    assert out == (
        f"--- a/{dirty}\n+++ b/{dirty}\n@@ -1,3 +1,3 @@\n"
        " 第一行\n-中国的发展,,很快\n-中国:发展\n+中国的发展，很快\n+中国：发展\n"
    )
    assert main(["fix", "--no-config", "--stdout", "--format", "lines", str(dirty)]) == 0
    fixed = capsys.readouterr().out
    plus = [line[1:] for line in out.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert set(plus) <= set(fixed.splitlines())


def test_diff_applies_with_git_apply(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    shutil.copy(SEED, tmp_path / "seed.txt")
    (tmp_path / "notes.md").write_bytes("中国的发展,,很快".encode())  # no newline at the end
    (tmp_path / "clean.txt").write_text("中国的发展，很快。\n", encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "seedclean", "check", "--diff", "."], cwd=tmp_path, capture_output=True, timeout=120
    )
    assert r.returncode == 1 and b"--- a/seed.txt" in r.stdout and b"clean.txt" not in r.stdout
    assert b"\\ No newline at end of file" in r.stdout
    (tmp_path / "fix.patch").write_bytes(r.stdout)
    a = subprocess.run(["git", "apply", "fix.patch"], cwd=tmp_path, capture_output=True, timeout=60)
    assert a.returncode == 0, a.stderr
    (tmp_path / "fix.patch").unlink()
    fixed = subprocess.run(
        [sys.executable, "-m", "seedclean", "fix", "--stdout", "--format", "lines", str(SEED)],
        capture_output=True,
        timeout=120,
    )
    assert (tmp_path / "seed.txt").read_bytes() == fixed.stdout
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "中国的发展，很快\n"
    again = subprocess.run(
        [sys.executable, "-m", "seedclean", "check", "--diff", "."], cwd=tmp_path, capture_output=True, timeout=120
    )
    assert again.returncode == 0 and again.stdout == b""


def test_diff_reports_unfixable_findings_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "lossy.txt"
    f.write_text("我们在??中心见面\n", encoding="utf-8")
    code, out, err = _check(capsys, "--diff", str(f))
    assert code == 1 and out == "" and "lossy-replacement" in err


def test_unified_diff_lines_split_on_newline_only() -> None:
    before = "a\u2028b,,\n"
    assert _unified_diff(before, before, "x") == ""
    d = _unified_diff(before, "a\u2028b，\n", "x")
    assert d == "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\u2028b,,\n+a\u2028b，\n"


def test_diff_does_not_combine_with_other_formats(dirty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _check(capsys, "--diff", "--format", "json", str(dirty))[0] == 2


def test_select_and_ignore(dirty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _check(capsys, "--select", "punct-fullwidth", str(dirty))
    assert code == 1 and out == f"{dirty}:3:3: punct-fullwidth : -> ：\n"
    code, out, _ = _check(capsys, "--ignore", "punct-fullwidth", str(dirty))
    assert code == 1 and "punct-fullwidth" not in out and "punct-comma-artifact" in out
    assert _check(capsys, "--select", "punct-*", "--ignore", "punct-*", str(dirty))[0] == 0
    assert _check(capsys, "--select", "space-cjk,ruby-annotation", str(dirty))[0] == 0
    code, out, err = _check(capsys, "--select", "punct-fulwidth", str(dirty))
    assert code == 2 and out == "" and "unknown rule 'punct-fulwidth'" in err and err.count("\n") == 1


def test_statistics(dirty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _check(capsys, "--statistics", str(dirty), str(dirty))
    lines = out.splitlines()
    assert code == 1 and lines[-2:] == ["      2  punct-comma-artifact", "      2  punct-fullwidth"]
    code, out, err = _check(capsys, "--statistics", "--format", "json", str(dirty))
    assert len(json.loads(out)) == 2 and "      1  punct-fullwidth" in err


def test_exit_codes(dirty: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text("中国的发展，很快。\n", encoding="utf-8")
    assert _check(capsys, str(clean))[0] == 0
    assert _check(capsys, str(dirty))[0] == 1
    code, out, err = _check(capsys, "--format", "json", str(dirty), str(tmp_path / "nope.txt"))
    assert code == 2 and len(json.loads(out)) == 2 and "nope.txt: no such file" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _check(capsys, str(empty))[0] == 2  # no files to check
    assert _check(capsys, "--jobs", "-1", str(dirty))[0] == 2


def test_stdin() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "seedclean", "check", "--format", "github", "-"],
        input=DIRTY.encode("utf-8"),
        capture_output=True,
        timeout=120,
    )
    assert r.returncode == 1
    assert (
        r.stdout.decode("utf-8").splitlines()[0] == "::warning file=-,line=2,col=6,title=punct-comma-artifact::,, -> ，"
    )


SNIPPETS = [
    DIRTY,
    "鎮(zhèn)和鎮(zhèn),,好\n",
    "我们在??中心见面\n",
    "全國特色小鎮全力打好疫情防控阻擊戰。\n",
    "中国\u00a0人民\n\u3000\u3000第二段,。\n",
    "中国的发展，很快。\n",
]


def _corpus(tmp_path: Path, n: int) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    for i in range(n):
        sub = d / f"s{i % 3}"
        sub.mkdir(exist_ok=True)
        text = "".join(SNIPPETS[(i + k) % len(SNIPPETS)] for k in range(1 + i % 3))
        (sub / f"f{i:02d}.txt").write_text(text, encoding="utf-8")
    (d / "s1" / "bad.txt").write_bytes(b"\x00\x01\x02" * 50)  # an error in the middle
    (d / "s2" / "empty.md").write_bytes(b"")
    return d


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_parallel_output_is_the_serial_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    import concurrent.futures

    pools: list[int] = []

    class Spy(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers: int | None = None) -> None:
            pools.append(max_workers or 0)
            super().__init__(max_workers=max_workers)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Spy)
    d = _corpus(tmp_path, 10)
    serial = _check(capsys, "--jobs", "1", "--format", fmt, "--statistics", str(d))
    assert pools == []
    parallel = _check(capsys, "--jobs", "2", "--format", fmt, "--statistics", str(d))
    assert pools == [2]
    assert serial[0] == parallel[0] == 2  # the binary file
    assert serial == parallel
    assert serial[2].count("binary data") == 1


def test_parallel_diff_matches_serial(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _corpus(tmp_path, 6)
    assert _check(capsys, "--jobs", "1", "--diff", str(d)) == _check(capsys, "--jobs", "3", "--diff", str(d))
