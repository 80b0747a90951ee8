"""Smoke test of benchmarks/bench.py --quick: it runs and prints its table.  No timing is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def test_bench_quick(root: Path, tmp_path: Path) -> None:
    pytest.importorskip("ftfy")
    pytest.importorskip("opencc")
    out = tmp_path / "bench.json"
    p = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "bench.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert p.returncode == 0, p.stderr
    for name in ("seedclean.fix_text", "seedclean.clean", "chain (ftfy+re+t2s)", "opencc t2s", "import seedclean"):
        assert name in p.stdout
    assert "MB/s" in p.stdout and "ratio" in p.stdout
    assert out.exists()
