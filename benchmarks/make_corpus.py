#!/usr/bin/env python3
"""Write a large JSONL corpus for the corpus-mode measurement (not committed; put it in /tmp).

    python3 benchmarks/make_corpus.py /tmp/corpus-1g.jsonl --mb 1000

Records are ``{"id", "url", "text", "meta"}``.  The text cycles through a
pool of documents: 20 MB of generated distinct documents (clean
Simplified and the same damaged, see ``bench.generate``) plus the seed
files (raw and clean); ``--garbled`` sets the share of garbled records.
Output ending in ``.gz`` is gzip-compressed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output")
    ap.add_argument("--mb", type=float, default=1000, help="MB of JSONL to write (default 1000)")
    ap.add_argument("--garbled", type=float, default=0.3, help="share of garbled records (default 0.3)")
    ap.add_argument("--pool-mb", type=float, default=10, help="MB of generated documents per kind (default 10)")
    args = ap.parse_args()
    raw = bench.load_garbled()
    clean, _ = bench.load_clean(raw)
    gen_clean, gen_garbled = bench.generate(args.pool_mb)
    import random

    rng = random.Random(0)
    garbled_pool = gen_garbled + raw * 5
    clean_pool = gen_clean + clean * 5
    out = Path(args.output)
    opener = gzip.open if out.suffix == ".gz" else open
    want = int(args.mb * 1e6)
    size = n = 0
    with opener(out, "wb") as f:  # type: ignore[operator]
        while size < want:
            if rng.random() < args.garbled:
                text = garbled_pool[n % len(garbled_pool)]
            else:
                text = clean_pool[n % len(clean_pool)]
            rec = {"id": n, "url": f"https://news.example.cn/{n // 1000}/{n}.html", "text": text, "meta": {"n": n}}
            line = (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8")
            f.write(line)
            size += len(line)
            n += 1
    print(f"{out}: {n:,} records, {size / 1e6:,.1f} MB of JSONL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
