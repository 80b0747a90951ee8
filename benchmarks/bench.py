#!/usr/bin/env python3
"""Throughput of seedclean against a hand-chained ftfy + regex + OpenCC pipeline.

    python3 benchmarks/bench.py            # the full run (about 4 MB per corpus)
    python3 benchmarks/bench.py --quick    # a smoke run (seconds)
    python3 benchmarks/bench.py --json out.json

Measures, in one process and one run, MB/s (UTF-8 bytes of input per second,
one core) of

- ``seedclean.fix_text``  (the fast, line-preserving call),
- ``seedclean.clean``     (repairs located + structure; str input),
- ``chain``               ftfy.fix_text (keeping Chinese quotes and widths)
                          + a regex deleting ``(pinyin)`` + OpenCC ``t2s``,
- ``opencc t2s``          alone,

on four corpora, each made of whole documents (one call per document):

- ``garbled``: the seed files ``seeds/raw/*.txt`` repeated to ``--mb`` MB;
- ``clean``: clean Simplified text: ``seeds/clean/*.txt`` when they exist
  (the committed outputs), else ``fix_text`` of the raw seeds, repeated
  to ``--mb`` MB;
- ``gen-garbled`` / ``gen-clean``: generated documents (:func:`generate`),
  a fresh corpus for every timed run, so that no line is seen twice.

The repeated seeds let seedclean's line memos and caches hit on every
document (as boilerplate does in a real crawl); the generated corpora do
not, so they are the figure for text that never repeats.

Every implementation is warmed up first (tables loaded, caches filled),
then timed ``--repeat`` times; the best time is kept.  The ratio column is
relative to the chain on the same corpus.  Also reported: the import time
of ``import seedclean`` in a fresh interpreter.  Nothing here asserts on
timings; the targets of issue 4 are printed for information.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "seeds" / "raw"
CLEAN = ROOT / "seeds" / "clean"

# Flattened pinyin readings as scrapers leave them: 鎮(zhèn), 發(fā), 產(chǎn) ...
PINYIN = re.compile(r"\((?:[a-zü]|[\u00e0-\u00fc\u0101-\u01dc\u0300-\u036f])+\)")

TARGETS = (
    ("fix_text garbled >= 25 MB/s", lambda r: r["garbled"]["fix_text"]["mbps"] >= 25),
    ("fix_text garbled >= 5x chain", lambda r: r["garbled"]["fix_text"]["ratio"] >= 5),
    ("fix_text clean >= 50 MB/s", lambda r: r["clean"]["fix_text"]["mbps"] >= 50),
    ("import seedclean < 150 ms", lambda r: r["import_ms"] < 150),
)


def load_garbled() -> list[str]:
    import seedclean

    paths = sorted(RAW.glob("*.txt"))
    if not paths:
        sys.exit(f"bench: no seed files in {RAW}")
    return [seedclean.decode(p.read_bytes()).text for p in paths]


def load_clean(garbled: list[str]) -> tuple[list[str], str]:
    paths = sorted(CLEAN.glob("*.txt"))
    if paths:
        return [p.read_text(encoding="utf-8") for p in paths], "seeds/clean/*.txt"
    import seedclean

    return [seedclean.fix_text(t) for t in garbled], "fix_text(seeds/raw/*.txt) (seeds/clean is empty)"


def repeat_to(docs: list[str], mb: float) -> list[str]:
    """Whole documents, cycled until the corpus holds ``mb`` MB of UTF-8."""
    want = int(mb * 1e6)
    out: list[str] = []
    size = 0
    while size < want:
        for d in docs:
            out.append(d)
            size += len(d.encode("utf-8"))
            if size >= want:
                break
    return out


def generate(mb: float, seed: int = 4) -> tuple[list[str], list[str]]:
    """Distinct documents (no two alike), clean and garbled, ``mb`` MB each.

    Clean: Simplified sentences of random words from pypinyin's phrase
    dictionary.  Garbled: the same documents damaged the way the seeds are:
    machine-converted to Traditional with flattened readings after most
    converted characters (``鎮(zhèn)``), and folded punctuation (``,,``
    ``,、`` ``,。`` and ASCII commas).  The repeated seeds let caches hit on
    every document; these do not.
    """
    import random

    import opencc
    from pypinyin.phrases_dict import phrases_dict

    rng = random.Random(seed)
    words = sorted(phrases_dict.items())
    s2t = opencc.OpenCC("s2t")
    t2s = opencc.OpenCC("t2s")
    damaged: dict[str, str] = {}

    def damage(word: str, readings: list[list[str]]) -> str:
        trad = s2t.convert(word)
        if len(trad) != len(word):
            return trad
        out = []
        for c, s, r in zip(trad, word, readings, strict=False):
            out.append(c)
            if c != s and rng.random() < 0.8:
                out.append(f"({r[0]})")
        return "".join(out)

    clean_docs: list[str] = []
    garbled_docs: list[str] = []
    want = int(mb * 1e6)
    size = 0
    while size < want:
        clean_lines, garbled_lines = [], []
        for _ in range(rng.randint(10, 40)):  # lines (paragraphs) per document
            c_parts, g_parts = [], []
            for _ in range(rng.randint(1, 4)):  # sentences per line
                n = rng.randint(3, 10)
                for i in range(n):
                    w, readings = words[rng.randrange(len(words))]
                    if t2s.convert(w) != w:
                        continue  # keep the clean corpus Simplified
                    c_parts.append(w)
                    fresh = rng.random() >= 0.9
                    g_parts.append(damage(w, readings) if fresh else damaged.setdefault(w, damage(w, readings)))
                    if i == n - 1:
                        c_parts.append("。")
                        g_parts.append(rng.choice(("。", "。", ",。")))
                    elif rng.random() < 0.3:
                        c_parts.append("，")
                        g_parts.append(rng.choice(("，", ",,", ",", ",,")))
                    elif rng.random() < 0.1:
                        c_parts.append("、")
                        g_parts.append(rng.choice(("、", ",、")))
            clean_lines.append("".join(c_parts))
            garbled_lines.append("".join(g_parts))
        clean_docs.append("\n".join(clean_lines) + "\n")
        garbled_docs.append("\n".join(garbled_lines) + "\n")
        size += len(clean_docs[-1].encode("utf-8"))
    return clean_docs, garbled_docs


def implementations() -> dict[str, Callable[[str], object]]:
    import ftfy
    import opencc

    import seedclean

    ftfy_config = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False)
    t2s = opencc.OpenCC("t2s")

    def chain(text: str) -> str:
        text = ftfy.fix_text(text, config=ftfy_config)
        text = PINYIN.sub("", text)
        return t2s.convert(text)

    return {
        "seedclean.fix_text": seedclean.fix_text,
        "seedclean.clean": seedclean.clean,
        "chain (ftfy+re+t2s)": chain,
        "opencc t2s": t2s.convert,
    }


KEYS = {
    "seedclean.fix_text": "fix_text",
    "seedclean.clean": "clean",
    "chain (ftfy+re+t2s)": "chain",
    "opencc t2s": "t2s",
}


def measure(
    fn: Callable[[str], object], rounds: list[list[str]], repeat: int, budget: float, warm: list[str]
) -> tuple[float, int]:
    """Best MB/s over up to ``repeat`` runs (stops early past ``budget`` seconds).

    Run ``k`` times the documents ``rounds[k % len(rounds)]``: one corpus
    repeated, or (generated corpora) a fresh corpus for every run, so that
    nothing a run sees was seen by an earlier one.  ``warm`` is timed never.
    """
    for d in warm:  # warm-up: lazy tables, regex caches
        fn(d)
    best = 0.0
    runs = 0
    spent = 0.0
    while runs < repeat:
        docs = rounds[runs % len(rounds)]
        mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
        t0 = time.perf_counter()
        for d in docs:
            fn(d)
        dt = time.perf_counter() - t0
        best = max(best, mb / dt)
        runs += 1
        spent += dt
        if spent > budget and runs >= 2:
            break
    return best, runs


def import_time(samples: int) -> dict[str, float]:
    """``import seedclean`` in a fresh interpreter: -X importtime total and wall time minus bare startup."""
    exe = sys.executable
    env = dict(os.environ)

    def wall(code: str) -> float:
        best = float("inf")
        for _ in range(samples):
            t0 = time.perf_counter()
            subprocess.run([exe, "-c", code], check=True, env=env)
            best = min(best, time.perf_counter() - t0)
        return best

    cumulative = []
    for _ in range(samples):
        p = subprocess.run(
            [exe, "-X", "importtime", "-c", "import seedclean"], capture_output=True, text=True, check=True, env=env
        )
        for line in p.stderr.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[2].strip() == "seedclean":
                cumulative.append(int(parts[1]) / 1000)
    return {
        "importtime_ms": min(cumulative) if cumulative else float("nan"),
        "wall_ms": wall("import seedclean") * 1000,
        "bare_ms": wall("pass") * 1000,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 0.1 MB per corpus, 1 timed run")
    ap.add_argument("--mb", type=float, default=4.0, help="MB of text per corpus (default 4)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per measurement; best kept (default 5)")
    ap.add_argument("--budget", type=float, default=30.0, help="stop repeating a measurement after this many s")
    ap.add_argument("--only", help="comma-separated subset: fix_text,clean,chain,t2s")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--no-generated", action="store_true", help="skip the generated (all distinct) corpora")
    args = ap.parse_args(argv)
    if args.quick:
        args.mb, args.repeat = min(args.mb, 0.1), 1

    import ftfy
    import opencc

    import seedclean

    garbled_docs = load_garbled()
    clean_docs, clean_source = load_clean(garbled_docs)
    corpora = {"garbled": [repeat_to(garbled_docs, args.mb)], "clean": [repeat_to(clean_docs, args.mb)]}
    warm = {"garbled": corpora["garbled"][0][:8], "clean": corpora["clean"][0][:8]}
    if not args.no_generated:
        # a fresh corpus for every timed run (seeds 4, 5, ...): line memos and
        # other caches never see a line twice, as in a corpus of distinct pages
        rounds = [generate(args.mb, seed=4 + k) for k in range(max(1, args.repeat))]
        corpora["gen-garbled"] = [g for _c, g in rounds]
        corpora["gen-clean"] = [c for c, _g in rounds]
        warm_clean, warm_garbled = generate(0.02, seed=1000)
        warm["gen-garbled"], warm["gen-clean"] = warm_garbled[:8], warm_clean[:8]
    impls = implementations()
    if args.only:
        wanted = {w.strip() for w in args.only.split(",")}
        impls = {k: v for k, v in impls.items() if KEYS[k] in wanted or k in wanted}

    print(
        f"seedclean {seedclean.__version__}, ftfy {ftfy.__version__}, "
        f"opencc {getattr(opencc, '__version__', '?')}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores; one process, one core"
    )
    print(f"garbled: seeds/raw/*.txt ({len(garbled_docs)} files) repeated; clean: {clean_source} repeated")
    if not args.no_generated:
        print("gen-garbled, gen-clean: generated, a fresh corpus for every timed run (no line seen twice)")
    print(f"best of {args.repeat} after a warm-up; MB = 10^6 bytes of UTF-8 input; ratio = vs chain\n")

    results: dict = {"mb": args.mb, "repeat": args.repeat}
    header = (
        f"{'corpus':11}  {'implementation':22} {'MB':>6} {'docs':>6} {'best s':>8} {'MB/s':>8} {'ratio':>7} {'runs':>4}"
    )
    print(header)
    print("-" * len(header))
    for cname, rounds in corpora.items():
        docs = rounds[0]
        mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
        rows = {}
        for name, fn in impls.items():
            mbps, runs = measure(fn, rounds, args.repeat, args.budget, warm[cname])
            rows[name] = {"seconds": mb / mbps, "mbps": mbps, "runs": runs, "mb": mb, "docs": len(docs)}
        chain = rows.get("chain (ftfy+re+t2s)")
        for name, row in rows.items():
            row["ratio"] = row["mbps"] / chain["mbps"] if chain else float("nan")
            print(
                f"{cname:11}  {name:22} {mb:6.2f} {len(docs):6d} {row['seconds']:8.3f} "
                f"{row['mbps']:8.2f} {row['ratio']:6.2f}x {row['runs']:4d}"
            )
        results[cname] = {KEYS[k]: v for k, v in rows.items()}
        print()

    imp = import_time(3 if args.quick else 7)
    results["import_ms"] = imp["importtime_ms"]
    results["import_wall_ms"] = imp["wall_ms"]
    results["bare_interpreter_ms"] = imp["bare_ms"]
    print(
        f"import seedclean: {imp['importtime_ms']:.1f} ms (-X importtime, cumulative, best of "
        f"{3 if args.quick else 7}); `python -c 'import seedclean'` {imp['wall_ms']:.0f} ms wall, "
        f"bare `python -c pass` {imp['bare_ms']:.0f} ms"
    )

    if all(k in results.get(c, {}) for c in ("garbled", "clean") for k in ("fix_text", "chain")):
        print("\nissue 4 targets (information only):")
        for label, ok in TARGETS:
            print(f"  {'met    ' if ok(results) else 'not met'}  {label}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
