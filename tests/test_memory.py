"""Peak memory of ``clean()`` on large generated inputs, measured in a fresh process.

The child process reports its peak RSS (``ru_maxrss``) after loading the
models and after ``clean()``.  The difference is the cost of the document.
Input that is mostly clean must stay within 8 times its size: about 3.7
times is measured for 50 MB.  Densely garbled input records one
``Repair`` per edit, and ``pipeline.run`` keeps one offset map per pass.
For that input the bound is 100 times: about 50 times is measured.  The
streaming corpus path (one batch at a time) has its own test with the
corpus code.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys
import seedclean
mb, garbled = float(sys.argv[1]), sys.argv[2] == "1"
seedclean.clean("全國特色小鎮(zhèn)和改革發(fā)展,,成效顯著。\n".encode("utf-8"))  # models and tables
clean_para = "3月1日，湖南省蓝山县召开会议，全国特色小镇全力打好疫情防控阻击战和改革发展攻坚战。" * 3
bad_para = "全國特色小鎮(zhèn)和改革發(fā)展,,成效顯著。" * 3
lines, size, i = [], 0, 0
while size < mb * 2**20:
    if i % 7 == 0:
        line = f"一、第{i}部分"
    elif garbled or i % 50 == 1:
        line = f"{i}、{bad_para}"
    else:
        line = f"{i}、{clean_para}"
    lines.append(line)
    size += len(line.encode("utf-8")) + 1
    i += 1
data = "\n".join(lines).encode("utf-8")
del lines
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
doc = seedclean.clean(data)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
assert doc.text.count("\n") == data.count(b"\n")
print(json.dumps({"input": len(data), "base": base, "peak": peak}))
"""


def measure(mb: float, garbled: bool) -> dict[str, int]:
    r = subprocess.run(
        [sys.executable, "-c", CHILD, str(mb), "1" if garbled else "0"], capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def test_clean_50mb_mostly_clean_input_memory_is_bounded() -> None:
    m = measure(50, garbled=False)
    growth = m["peak"] - m["base"]
    assert m["input"] >= 50 * 2**20
    assert growth < 8 * m["input"], f"clean() of {m['input'] >> 20} MB grew RSS by {growth >> 20} MB"


def test_clean_dense_garbling_memory_is_bounded() -> None:
    m = measure(2, garbled=True)
    growth = m["peak"] - m["base"]
    assert growth < 100 * m["input"], f"clean() of {m['input'] >> 20} MB of garbling grew RSS by {growth >> 20} MB"
