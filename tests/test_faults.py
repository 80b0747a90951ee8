"""Files and faults: kills during in-place writes, bad inputs of every kind, a full disk.

Every bad input gets one line on stderr (``seedclean: error: NAME: why``),
exit status 2, the other inputs are still processed, and the last stderr
line is ``seedclean: K of N inputs failed``.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from seedclean import cli
from seedclean.cli import atomic_write, main

GARBLED = "全國特色小鎮(zhèn)和改革發(fā)展,,成效顯著。\n鎮內企業\n"
FIXED_LINES = "全国特色小镇和改革发展，成效显著。\n镇内企业\n"


def run(*args: str | bytes, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "seedclean", *args], capture_output=True, cwd=cwd, timeout=timeout)


def temps(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def errors_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("seedclean: error: ")]


# ---------------------------------------------------------------- SIGKILL

KILL_AT = r"""
import os, signal, sys
import seedclean.cli as cli
step = sys.argv[2]
real = {name: getattr(os, name) for name in ("write", "fsync", "chmod", "replace")}
def hook(name):
    def f(*a, **k):
        if name == step:
            os.kill(os.getpid(), signal.SIGKILL)
        out = real[name](*a, **k)
        if name == "replace" and step == "after-replace":
            os.kill(os.getpid(), signal.SIGKILL)
        return out
    return f
for name in real:
    setattr(os, name, hook(name))
sys.exit(cli.main(["fix", "--in-place", "--format", "lines", sys.argv[1]]))
"""


@pytest.mark.parametrize("step", ["write", "fsync", "chmod", "replace", "after-replace"])
def test_sigkill_at_each_step_leaves_old_or_new(tmp_path: Path, step: str) -> None:
    f = tmp_path / "a.txt"
    old = GARBLED * 50
    f.write_text(old, encoding="utf-8")
    r = subprocess.run([sys.executable, "-c", KILL_AT, str(f), step], capture_output=True, timeout=120)
    assert r.returncode == -signal.SIGKILL, r.stderr
    data = f.read_text(encoding="utf-8")
    assert data == (FIXED_LINES * 50 if step == "after-replace" else old)
    left = temps(tmp_path)
    assert len(left) <= 1 and all(n.startswith(".a.txt.seedclean-") for n in left), left
    # the next write of the same file removes what the killed process left
    assert main(["fix", "--in-place", "--format", "lines", str(f)]) == 0
    assert f.read_text(encoding="utf-8") == FIXED_LINES * 50
    assert temps(tmp_path) == []


def test_sigkill_at_random_points(tmp_path: Path) -> None:
    """The real command, killed after random delays: the file is always whole (old or new)."""
    f = tmp_path / "big.txt"
    old = (GARBLED * 4000).encode("utf-8")  # ~0.5 MB: the run takes a moment, the write a few ms
    new = (FIXED_LINES * 4000).encode("utf-8")
    f.write_bytes(old)
    t0 = time.perf_counter()
    assert run("fix", "--in-place", "--format", "lines", str(f)).returncode == 0
    full = time.perf_counter() - t0
    assert f.read_bytes() == new
    rng = random.Random(6)
    outcomes = set()
    for _ in range(10):
        f.write_bytes(old)
        p = subprocess.Popen([sys.executable, "-m", "seedclean", "fix", "--in-place", "--format", "lines", str(f)])
        time.sleep(rng.uniform(0.3, 1.1) * full)
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=60)
        data = f.read_bytes()
        assert data in (old, new), f"truncated or mixed file after a kill ({len(data)} bytes)"
        outcomes.add(data == new)
        left = temps(tmp_path)
        assert len(left) <= 1 and all(n.startswith(".big.txt.seedclean-") for n in left), left
    assert main(["fix", "--in-place", "--format", "lines", str(f)]) == 0
    assert temps(tmp_path) == []


def test_stale_temp_cleanup_spares_live_processes_and_other_files(tmp_path: Path) -> None:
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    try:
        names = [
            f".a.txt.seedclean-{live.pid}-x1.tmp",  # a running seedclean's file
            f".a.txt.seedclean-{dead_pid}-x2.tmp",  # left by a killed one
            ".a.txt.mine.tmp",  # the user's own
            f".b.txt.seedclean-{dead_pid}-x3.tmp",  # another file's
        ]
        for n in names:
            (tmp_path / n).write_text("x")
        atomic_write(tmp_path / "a.txt", "new")
        assert sorted(temps(tmp_path)) == sorted(names[:1] + names[2:])
        assert (tmp_path / "a.txt").read_text() == "new"
    finally:
        live.kill()
        live.wait()


# ---------------------------------------------------------------- simulated write errors


def test_disk_full_keeps_old_file_and_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(GARBLED, encoding="utf-8")
    b.write_text(GARBLED, encoding="utf-8")
    real_write = os.write
    calls = {"n": 0}

    def full(fd: int, data: bytes) -> int:
        if fd > 2 and calls["n"] == 0:
            calls["n"] += 1
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    assert main(["fix", "--in-place", "--format", "lines", str(a), str(b)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"seedclean: error: {a}: cannot write: No space left on device", "seedclean: 1 of 2 inputs failed"]
    assert a.read_text(encoding="utf-8") == GARBLED  # untouched
    assert b.read_text(encoding="utf-8") == FIXED_LINES  # still processed
    assert temps(tmp_path) == []


@pytest.mark.parametrize(
    "where,exc,message",
    [
        ("mkstemp", PermissionError(errno.EACCES, "Permission denied"), "cannot write: Permission denied"),
        ("mkstemp", OSError(errno.EROFS, "Read-only file system"), "cannot write: Read-only file system"),
        ("fsync", OSError(errno.EIO, "Input/output error"), "cannot write: Input/output error"),
        ("replace", OSError(errno.EXDEV, "Invalid cross-device link"), "cannot write: Invalid cross-device link"),
    ],
)
def test_write_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, where: str, exc: OSError, message: str
) -> None:  # type: ignore[no-untyped-def]
    """A read-only directory or file system, an I/O error, a failed rename (simulated: root ignores modes)."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(GARBLED, encoding="utf-8")
    b.write_text(GARBLED, encoding="utf-8")
    import tempfile

    target = {"mkstemp": (tempfile, "mkstemp"), "fsync": (os, "fsync"), "replace": (os, "replace")}[where]
    real = getattr(*target)
    hit = {"done": False}

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not hit["done"]:
            hit["done"] = True
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(*target, failing)
    assert main(["fix", "--in-place", "--format", "lines", str(a), str(b)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"seedclean: error: {a}: {message}", "seedclean: 1 of 2 inputs failed"]
    assert a.read_text(encoding="utf-8") == GARBLED
    assert b.read_text(encoding="utf-8") == FIXED_LINES
    assert temps(tmp_path) == []


def test_read_permission_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = tmp_path / "secret.txt", tmp_path / "b.txt"
    a.write_text(GARBLED, encoding="utf-8")
    b.write_text(GARBLED, encoding="utf-8")
    real_open = os.open

    def denied(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(path) == str(a):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    assert main(["check", str(a), str(b)]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [f"seedclean: error: {a}: permission denied", "seedclean: 1 of 2 inputs failed"]
    assert f"{b}:1:" in captured.out


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories (simulated above)")
def test_real_read_only_directory(tmp_path: Path) -> None:
    d = tmp_path / "ro"
    d.mkdir()
    f = d / "a.txt"
    f.write_text(GARBLED, encoding="utf-8")
    os.chmod(d, 0o555)
    try:
        r = run("fix", "--in-place", "--format", "lines", str(f))
        assert r.returncode == 2 and b"cannot write" in r.stderr
        assert f.read_text(encoding="utf-8") == GARBLED
    finally:
        os.chmod(d, 0o755)


# ---------------------------------------------------------------- hostile inputs


def test_every_kind_of_bad_input_in_one_run(tmp_path: Path) -> None:
    good1, good2 = tmp_path / "good1.txt", tmp_path / "good2.txt"
    good1.write_text(GARBLED, encoding="utf-8")
    good2.write_text(GARBLED, encoding="utf-8")
    (tmp_path / "dir.txt").mkdir()
    os.symlink("loop.txt", tmp_path / "loop.txt")  # a symlink to itself
    os.mkfifo(tmp_path / "fifo.txt")  # must be rejected without being opened (opening would block)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    with open(tmp_path / "huge.txt", "wb") as f:  # sparse: 8 GB on paper, nothing on disk
        f.truncate(8 << 30)
    bad_name = os.fsencode(tmp_path) + b"/bad\xff\xfe.txt"  # not UTF-8
    with open(bad_name, "wb") as f:
        f.write(GARBLED.encode("utf-8"))
    missing_bad_name = os.fsencode(tmp_path) + b"/missing\xff.txt"
    names = ["dir.txt", "loop.txt", "fifo.txt", "empty.txt", "binary.txt", "huge.txt", "missing.txt"]
    args: list[str | bytes] = [str(tmp_path / n) for n in names]
    args[3:3] = [str(good1)]
    args += [bad_name, missing_bad_name, str(good2)]
    out = tmp_path / "out"
    r = run("fix", *args, "-o", str(out), timeout=60)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[-1] == "seedclean: 8 of 11 inputs failed", err
    errors = errors_of(err)
    assert len(errors) == 8 and len(lines) == 9, err
    expect = {
        "dir.txt": "is a directory",
        "loop.txt": "Too many levels of symbolic links",
        "fifo.txt": "not a regular file",
        "empty.txt": "empty input",
        "binary.txt": "binary data",
        "huge.txt": "too large",
        "missing.txt": "no such file",
        "missing\\xff.txt": "no such file",
    }
    for name, why in expect.items():
        assert any(name + ":" in e and why in e for e in errors), (name, err)
    assert (out / "good1.txt").read_text(encoding="utf-8").startswith("全国特色小镇")
    assert (out / "good2.txt").read_text(encoding="utf-8").startswith("全国特色小镇")
    assert os.path.exists(os.fsencode(out) + b"/bad\xff\xfe.txt")  # the odd name was processed too


def test_fifo_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for cmd in ("check", "explain"):
        r = run(cmd, str(fifo), timeout=60)
        assert r.returncode == 2 and b"not a regular file" in r.stderr


def test_invalid_file_name_on_stdout(tmp_path: Path) -> None:
    """check prints path:line:col to stdout; an undecodable name is escaped, never a crash."""
    name = os.fsencode(tmp_path) + b"/x\xff.txt"
    with open(name, "wb") as f:
        f.write("中国:发展\n".encode())
    r = run("check", name)
    assert r.returncode == 1, r.stderr
    assert b"x\\xff.txt:1:3: punct-fullwidth" in r.stdout
    r = run("fix", "--format", "json", "--stdout", name)
    assert r.returncode == 0, r.stderr
    assert b'"path": "' in r.stdout and b"\\\\xff" in r.stdout


def test_huge_input_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_text(GARBLED * 100, encoding="utf-8")
    small.write_text(GARBLED, encoding="utf-8")
    monkeypatch.setattr(cli, "MAX_INPUT_BYTES", 1000)
    assert main(["explain", str(big), str(small)]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"seedclean: error: {big}: too large ({big.stat().st_size} bytes; the limit is 1000 bytes)",
        "seedclean: 1 of 2 inputs failed",
    ]
    assert f"{small}: " in captured.out


def test_in_place_through_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text(GARBLED, encoding="utf-8")
    link = tmp_path / "link.txt"
    os.symlink("real.txt", link)
    assert main(["fix", "--in-place", "--format", "lines", str(link)]) == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8") == FIXED_LINES


def test_check_summary_line(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("中国的发展。\n", encoding="utf-8")
    r = run("check", str(good), str(tmp_path / "nope.txt"))
    assert r.returncode == 2
    assert r.stderr.decode().splitlines()[-1] == "seedclean: 1 of 2 inputs failed"
    r = run("check", str(good))
    assert r.returncode == 0 and r.stderr == b""
