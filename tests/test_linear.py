"""No catastrophic backtracking: time grows in proportion to the input.

Each case is timed at size ``n`` and ``8n`` (best of 3, in a worker
process so that a superlinear case can be killed instead of waited for),
and the ratio must stay below ``3 x 8 = 24``: a linear pass gives about 8,
a quadratic one 64, anything exponential far more.  No absolute times are
asserted, so a loaded machine slows both sizes alike.

Sizes: a single line of several MB, a file of 10^6 short lines, and long
runs of pathological patterns (``(((((``, ``,,,,,``, ``?????``,
``(a)(a)...``, ``鎮(zhèn)`` x 10^5, ``锟斤拷``, no-break-space runs, Han
without punctuation).  Cases that were quadratic (fixed) stay as regressions
with the function named; the worker is killed as soon as the large run
exceeds its budget, so they cost seconds, not minutes.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
K = 8  # size ratio
BOUND = 3 * K  # time ratio allowed
MIN_BASE = 0.004  # seconds: below this the small run is noise, so grow n

WORKER = r"""
import json, random, sys, time
import seedclean
import seedclean.memo

rng = random.Random(1234)
COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地"
    "于出就分对成会可也你说年着发展经济社会改革全力打好疫情防控"
)
UNITS = {
    "paren": "(",
    "comma": ",",
    "question": "?",
    "a_paren": "(a)",
    "ruby": "鎮(zhèn)",
    "kunkunkun": "锟斤拷",
    "nbsp": "中\u00a0 \u3000\u00a0\u3000文 \u00a0",
    "han_paren": "(中",
    "question_han": "中?",
    "fffd": "\ufffd",
    "short_lines": "中国，发展。\n",
    "ruby_lines": "全國特色小鎮(zhèn)和改革發(fā)展,,成效顯著。\n",
    "trad": "中國的發展經濟社會改革",
}
MIXED = ["中国的发展", "，", "。", "Python", " ", "10:30", "(测试)", "鎮(zhèn)", "ÖÐ¹ú", "锟斤拷", "?", "\u00a0",
         "“当日授信”", "涓�鍥界殑", "KN95", ",,", "全國特色小鎮"]
PROSE = ["中国的发展", "，", "。", "Python", " ", "10:30", "(测试)", "“当日授信”", "KN95", "2020年3月1日", "、"]


def make(case, n):
    if case in UNITS:
        return UNITS[case] * n
    r = random.Random(n)
    if case == "han_run":
        return "".join(r.choice(COMMON) for _ in range(n))
    if case == "mixed_line":
        return "".join(r.choice(MIXED) for _ in range(n))
    if case == "prose_line":
        return "".join(r.choice(PROSE) for _ in range(n))
    if case == "lossy_mojibake":  # UTF-8 read as GBK, a U+FFFD after every other character
        moj = "".join(r.choice(COMMON) for _ in range(n)).encode().decode("gbk", "replace")
        return "".join(c + ("\ufffd" if i % 2 else "") for i, c in enumerate(moj))
    raise KeyError(case)


def run(fn, case, n):
    data = "" if fn == "decode_raw" else make(case, n)
    if fn == "fix":
        return lambda: seedclean.fix_text(data)
    if fn == "clean":
        return lambda: seedclean.clean(data)
    if fn == "decode_gbk":
        raw = data.encode("gb18030")
        return lambda: seedclean.decode(raw)
    if fn == "decode_raw":  # many undecodable bytes between UTF-8 characters
        unit = {"ff_utf8": b"\xff" + "中国".encode(), "gbk_utf8": "中國".encode("gbk") + "发展".encode()}[case]
        raw = unit * n
        return lambda: seedclean.decode(raw)
    if fn == "decode_mixed":
        raw = b"".join(
            part.encode("utf-8") if i % 2 else part.encode("gb18030") for i, part in enumerate(data.split("\u3002"))
        )
        return lambda: seedclean.decode(raw)
    raise KeyError(fn)


seedclean.clean("全國特色小鎮(zhèn)ÈÕ锟斤拷,,?(中)\u00a0\n".encode("utf-8"))  # load models and tables
for line in sys.stdin:
    req = json.loads(line)
    f = run(req["fn"], req["case"], req["n"])
    best = float("inf")
    for _ in range(req["reps"]):
        seedclean.memo.clear_all()  # each run sees its lines for the first time
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    print(json.dumps({"t": best}), flush=True)
"""


class Worker:
    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> subprocess.Popen[str]:
        if self.proc is None or self.proc.poll() is not None:
            env = dict(os.environ, PYTHONHASHSEED="0")
            self.proc = subprocess.Popen(
                [sys.executable, "-c", WORKER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=env,
                cwd=ROOT,
            )
        return self.proc

    def time(self, fn: str, case: str, n: int, reps: int = 3, timeout: float = 120.0) -> float | None:
        """Best of ``reps`` runs in seconds, or None when ``timeout`` passed (the worker is killed)."""
        proc = self.start()
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps({"fn": fn, "case": case, "n": n, "reps": reps}) + "\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            self.stop()
            return None
        line = proc.stdout.readline()
        assert line, "the timing worker died"
        return float(json.loads(line)["t"])

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


@pytest.fixture(scope="module")
def worker():  # type: ignore[no-untyped-def]
    w = Worker()
    yield w
    w.stop()


def assert_linear(worker: Worker, fn: str, case: str, n: int) -> None:
    base = worker.time(fn, case, n)
    assert base is not None, f"{fn}({case} x {n}) did not finish in 120 s"
    while base < MIN_BASE and n < 1 << 22:  # too fast to time reliably: grow the baseline
        n *= 4
        base = worker.time(fn, case, n)
        assert base is not None
    budget = BOUND * base * 3 + 2.0  # three runs of the large size, with slack for a busy machine
    if budget > 60:
        pytest.fail(f"{fn}({case} x {n}): the baseline alone took {base:.1f} s; choose a smaller n")
    big = worker.time(fn, case, K * n, timeout=budget)
    assert big is not None, (
        f"{fn}({case}): {K}x the input took over {budget:.1f} s (baseline {base:.3f} s): superlinear"
    )
    ratio = big / base
    assert ratio < BOUND, f"{fn}({case}): {K}x the input took {ratio:.1f}x the time ({base:.4f} s -> {big:.4f} s)"


@pytest.mark.parametrize(
    "fn,case,n",
    [
        ("fix", "prose_line", 30_000),  # one line of ~0.15 MB at n, ~1.3 MB at 8n
        ("fix", "han_run", 500_000),  # 4 MB of Han without punctuation at 8n
        ("fix", "mixed_line", 300),  # every kind of damage on one line
        ("clean", "mixed_line", 300),
        ("fix", "short_lines", 125_000),  # 10^6 short lines at 8n
        ("clean", "short_lines", 25_000),  # 2 x 10^5 lines at 8n
        ("clean", "ruby_lines", 1_000),
        ("fix", "paren", 100_000),
        ("fix", "a_paren", 30_000),
        ("fix", "han_paren", 30_000),
        ("fix", "ruby", 12_500),  # 10^5 readings at 8n
        ("clean", "ruby", 12_500),
        ("fix", "nbsp", 2_000),
        ("fix", "question_han", 20_000),
        ("fix", "fffd", 5_000),
        ("fix", "trad", 20_000),
        ("clean", "trad", 2_000),
        ("decode_gbk", "han_run", 200_000),
        ("decode_mixed", "mixed_line", 20_000),
        ("decode_raw", "ff_utf8", 5_000),  # was O(n^2) in decoding._mixed / _finish
        ("decode_raw", "gbk_utf8", 5_000),
        ("fix", "comma", 1_000),  # was O(n^2) in punct._ADJ
        ("fix", "question", 1_000),
        ("fix", "kunkunkun", 100),  # was O(n^2) in mojibake._spans
        ("fix", "lossy_mojibake", 60),  # slow (about 0.5 ms per character) but linear
    ],
    ids=lambda v: str(v),
)
def test_time_is_linear(worker: Worker, fn: str, case: str, n: int) -> None:
    assert_linear(worker, fn, case, n)
