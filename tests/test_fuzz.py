"""A short, bounded fuzzing run in the normal test command (see tests/fuzz/README.md)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
TARGET = HERE / "fuzz" / "fuzz_seedclean.py"


def _load_target():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("fuzz_seedclean", TARGET)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_corpus_is_not_empty() -> None:
    seeds = _load_target().seed_inputs()
    assert len(seeds) > 50
    assert any(s.startswith("\ufeff".encode("utf-16")[:2]) or b"\x00" in s for s in seeds)  # UTF-16 seeds


HAVE_ATHERIS = importlib.util.find_spec("atheris") is not None


def test_replay_seed_corpus_and_mutations() -> None:
    """Always runs: the invariants over the seeds and seeded random mutations (2000 without atheris)."""
    n = 200 if HAVE_ATHERIS else 2000
    assert _load_target().replay(n) > n


@pytest.mark.skipif(not HAVE_ATHERIS, reason="atheris not installed (the replay runs 2000 mutations instead)")
def test_atheris_bounded_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    r = subprocess.run(
        [
            sys.executable,
            str(TARGET),
            str(corpus),
            "-max_total_time=10",
            "-timeout=60",
            "-rss_limit_mb=3072",
            f"-artifact_prefix={tmp_path}/",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    tail = "\n".join((r.stdout + r.stderr).splitlines()[-40:])
    assert r.returncode == 0, tail
    assert "Done" in r.stderr, tail
    assert not list(tmp_path.glob("crash-*")) and not list(tmp_path.glob("oom-*")), tail
