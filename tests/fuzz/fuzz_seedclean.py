#!/usr/bin/env python3
"""atheris fuzz target: ``decode`` + ``clean`` + ``fix_text`` on arbitrary bytes.

Run for a bounded time (see tests/fuzz/README.md)::

    python3 tests/fuzz/fuzz_seedclean.py -max_total_time=60

With no corpus directory among the arguments, the seed corpus (every input of
``tests/cases/*.json`` in UTF-8, GBK, Big5 and UTF-16, plus ``seeds/raw/*``)
is written to a temporary directory and used.  Without atheris,
``python3 tests/fuzz/fuzz_seedclean.py --replay [N]`` runs the invariants over
the seed corpus and N (default 2000) seeded random mutations of it.

Invariants (:func:`check`): nothing but ``EmptyInputError`` and
``BinaryInputError`` is raised; the repaired text is NFC, encodes as UTF-8
and has the decoded text's number of lines; every input line is accounted
for in the document; ``fix_text`` of the decoded text equals ``clean().text``;
the JSON, text and Markdown renderings work.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

import seedclean  # noqa: E402
from seedclean import BinaryInputError, EmptyInputError  # noqa: E402

# Longer inputs are cut: the target looks for crashes and broken invariants;
# slowness is tests/test_linear.py's job (dense rare-Han text costs ~1 ms a
# character in the mojibake pass, so 4 KB could take seconds instrumented).
MAX_LEN = 1024


def check(data: bytes) -> None:
    """Assert every invariant on one input (raises AssertionError or the unexpected exception)."""
    data = data[:MAX_LEN]
    try:
        decoded = seedclean.decode(data)
    except EmptyInputError:
        assert not data
        return
    except BinaryInputError:
        return
    text = decoded.text
    assert "\r" not in text
    text.encode("utf-8")
    doc = seedclean.clean(data)
    assert doc.text == seedclean.fix_text(text), "clean(bytes).text != fix_text(decode(bytes).text)"
    out = doc.text
    out.encode("utf-8")
    assert unicodedata.is_normalized("NFC", out)
    n = text.count("\n") + 1 if text else 0
    assert out.count("\n") + 1 == max(n, 1), "a line was added or lost"
    assert doc.nothing_lost(n) or (n == 0 and not doc.line_places()), "an input line is lost or in two places"
    for r in doc.repairs + doc.findings:
        assert 1 <= r.line <= max(n, 1) and r.column >= 1, r
    json.loads(doc.to_json())
    doc.to_text().encode("utf-8")
    doc.to_markdown().encode("utf-8")


def seed_inputs() -> list[bytes]:
    """The seed corpus: case-file inputs in several encodings, and the raw seed pages."""
    out: list[bytes] = []
    for path in sorted((ROOT / "tests" / "cases").glob("*.json")):
        try:
            cases = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for case in cases if isinstance(cases, list) else []:
            text = case.get("input") if isinstance(case, dict) else None
            if not isinstance(text, str) or not text:
                continue
            for enc in ("utf-8", "gb18030", "big5", "utf-16"):
                try:
                    out.append(text.encode(enc))
                except UnicodeEncodeError:
                    pass
    for path in sorted((ROOT / "seeds" / "raw").glob("*")):
        if path.is_file():
            data = path.read_bytes()
            out.append(data[:MAX_LEN])
            try:
                out.append(data.decode("utf-8").encode("gb18030")[:MAX_LEN])
            except (UnicodeDecodeError, UnicodeEncodeError):
                pass
    return list(dict.fromkeys(out))


def write_corpus(directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    seeds = seed_inputs()
    for i, data in enumerate(seeds):
        (directory / f"seed-{i:04d}").write_bytes(data)
    return len(seeds)


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """A few byte-level edits: flip, insert, delete, duplicate, splice with another seed."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        pos = rng.randint(0, len(buf))
        if op == 0 and buf:
            buf[min(pos, len(buf) - 1)] = rng.randrange(256)
        elif op == 1:
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        elif op == 2 and buf:
            del buf[pos : pos + rng.randint(1, 8)]
        elif op == 3 and buf:
            piece = buf[pos : pos + rng.randint(1, 16)]
            buf[pos:pos] = piece * rng.randint(1, 8)
        elif op == 4:
            other = rng.choice(pool)
            s = rng.randint(0, len(other))
            buf[pos:pos] = other[s : s + rng.randint(1, 64)]
        else:
            buf[pos:pos] = rng.choice([b"?", b",", b"(", b")", b"\xef\xbf\xbd", b"\r", b"\n", b"\xa1\xa1", b"\x00"])
    return bytes(buf[:MAX_LEN])


def replay(n_mutations: int, seed: int = 20240601) -> int:
    """Run the invariants over the seed corpus and ``n_mutations`` mutations; return how many inputs ran."""
    seeds = seed_inputs()
    rng = random.Random(seed)
    count = 0
    for data in seeds:
        check(data)
        count += 1
    for _ in range(n_mutations):
        data = mutate(rng.choice(seeds), rng, seeds)
        try:
            check(data)
        except BaseException as e:
            raise AssertionError(f"invariant broken on {data!r}") from e
        count += 1
    return count


def main(argv: list[str]) -> None:
    if len(argv) > 1 and argv[1] == "--replay":
        n = int(argv[2]) if len(argv) > 2 else 2000
        print(f"fuzz replay: {replay(n)} inputs passed")
        return
    import atheris

    args = list(argv)
    dirs = [Path(a) for a in args[1:] if not a.startswith("-")]
    if dirs and not dirs[0].exists():  # a new corpus directory: start it from the seeds
        write_corpus(dirs[0])
    if not dirs:  # no corpus directory given: use the seeds
        # one fixed directory, rewritten each run (libFuzzer exits without running atexit handlers)
        corpus = Path(tempfile.gettempdir()) / "seedclean-fuzz-corpus"
        write_corpus(corpus)
        args.append(str(corpus))
    if not any(a.startswith("-artifact_prefix=") for a in args):  # crash files go to /tmp, not the checkout
        args.insert(1, f"-artifact_prefix={Path(tempfile.gettempdir()) / 'seedclean-fuzz-'}")
    if not any(a.startswith("-timeout=") for a in args):
        args.insert(1, "-timeout=60")
    # the models load before fuzzing starts, so the first input is not a timeout
    seedclean.clean("全國特色小鎮(zhèn)ÈÕ锟斤拷,,?(中)\u00a0\n".encode("utf-8"))
    atheris.instrument_all()  # coverage feedback for every loaded Python function

    def one_input(data: bytes) -> None:
        check(data)

    atheris.Setup(args, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
