#!/usr/bin/env python3
"""Run a command; report wall time and peak memory of its whole process tree.

    python3 benchmarks/peak_rss.py -- seedclean fix --jsonl /tmp/corpus-1g.jsonl -o /tmp/out.jsonl.gz --jobs 2

Prints the wall time, the peak RSS of the largest single process
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``) and the peak of the summed RSS
and PSS (shared pages split among the processes sharing them: the honest
total) of the command and all its descendants, sampled from /proc every
0.2 s (Linux only).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time


def tree_pss_kib(root: int) -> int:
    """Proportional set size of the tree: shared pages split among the processes sharing them."""
    total = 0
    for pid in tree(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(name))
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(children.get(pid, []))
    return out


def tree_rss_kib(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        pid, ppid = int(name), int(fields.get("PPid", "0").strip())
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def main() -> int:
    argv = sys.argv[1:]
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        sys.exit(__doc__)
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv)
    peak = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        while not done.is_set():
            peak = max(peak, tree_rss_kib(proc.pid))
            peak_pss = max(peak_pss, tree_pss_kib(proc.pid))
            done.wait(0.2)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    status = proc.wait()
    done.set()
    thread.join()
    wall = time.perf_counter() - t0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"exit {status}; wall {wall:.1f} s; cpu {ru.ru_utime + ru.ru_stime:.1f} s; "
        f"peak RSS largest process {ru.ru_maxrss / 1024:.0f} MiB; peak RSS whole tree {peak / 1024:.0f} MiB; "
        f"peak PSS whole tree {peak_pss / 1024:.0f} MiB",
        file=sys.stderr,
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
