"""The committed clean seeds equal a fresh run, and read as clean text."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from seedclean.cli import main

ROOT = Path(__file__).resolve().parent.parent
RAW = sorted((ROOT / "seeds" / "raw").glob("*.txt"))
CLEAN = ROOT / "seeds" / "clean"
SHARED = ROOT.parent / "shared" / "seeds"


def test_raw_seeds_are_byte_identical_to_shared() -> None:
    if not SHARED.is_dir():
        pytest.skip("no ../shared/seeds beside this checkout")
    for src in sorted(SHARED.glob("*.txt")):
        assert (ROOT / "seeds" / "raw" / src.name).read_bytes() == src.read_bytes()


def test_golden_files_match_a_fresh_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    rel = [str(p.relative_to(ROOT)) for p in RAW]
    assert main(["fix", *rel, "-o", str(tmp_path), "--format", "text,json,markdown"]) == 0
    for p in RAW:
        for ext in (".txt", ".json", ".md"):
            fresh = (tmp_path / (p.stem + ext)).read_text(encoding="utf-8")
            committed = (CLEAN / (p.stem + ext)).read_text(encoding="utf-8")
            assert fresh == committed, f"seeds/clean/{p.stem}{ext} is stale: regenerate it (see README)"


HAN = "\u4e00-\u9fff"


@pytest.mark.parametrize("path", sorted(CLEAN.glob("*.txt")), ids=lambda p: p.name)
def test_clean_text_has_no_garbling(path: Path) -> None:
    import opencc

    text = path.read_text(encoding="utf-8")
    assert not re.search(rf"[{HAN}][(（][a-zàáǎèéěìíǐòóǒùúǔüǖǘǚǜāēīōū]+[)）]", text), "pinyin annotation left"
    assert not re.search(rf"[{HAN}][,:;?!]|[,:;?!][{HAN}]", text), "ASCII punctuation next to Chinese"
    assert "\u00a0" not in text and "\u3000" not in text
    t2s = opencc.OpenCC("t2s")
    assert t2s.convert(text) == text, "Traditional-only characters left"
    for line in text.split("\n"):
        assert not re.search(r"来源[：:]|时间[：:]|转自[：:]|原标题[：:]", line[:6]), line
        assert "ICP" not in line and "版权" not in line[:8]
    paragraphs = [b for b in text.split("\n\n") if b.strip()]
    for b in paragraphs:
        assert "\n" not in b.strip(), "a paragraph spans several lines"


def test_seed_sections_and_metadata() -> None:
    import json

    d0 = json.loads((CLEAN / "000_bbcf008ea12af5cf.json").read_text(encoding="utf-8"))
    assert d0["title"] == "全国特色小镇全力打好疫情防控阻击战和改革发展攻坚战"
    assert d0["metadata"]["original_title"] == d0["title"]
    headings = [s["heading"] for s in d0["sections"] if s["heading"]]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、"]
    assert all(s["level"] == 1 for s in d0["sections"] if s["heading"])
    d1 = json.loads((CLEAN / "001_ceb33e9e3089e7eb.json").read_text(encoding="utf-8"))
    assert d1["metadata"]["source"] == "中国产业经济信息网"
    assert d1["metadata"]["date"] == "2020-03-01"
    assert d1["title"] == "湖南蓝山：吹响“双线战役”集结号"
    kinds = {b["kind"] for b in d1["boilerplate"]}
    assert {"copyright", "related", "icp", "lone-mark"} <= kinds


@pytest.mark.parametrize("path", RAW, ids=lambda p: p.name)
def test_nothing_lost(path: Path) -> None:
    """Every input line is in the title, metadata, a heading, a paragraph, boilerplate or blank."""
    import seedclean

    doc = seedclean.clean(path.read_bytes())
    n = path.read_bytes().decode("utf-8").count("\n") + 1
    assert doc.nothing_lost(n), doc.line_places()
    first = doc.line_places()[1]
    has_original_title = path.read_text(encoding="utf-8").startswith("原")
    assert first == (["title", "metadata"] if has_original_title else ["title"])


def test_check_raw_fails_and_clean_passes() -> None:
    raw = subprocess.run(
        [sys.executable, "-m", "seedclean", "check", *map(str, RAW)], capture_output=True, text=True
    )
    assert raw.returncode == 1
    assert re.search(r"000_bbcf008ea12af5cf\.txt:1:\d+: ruby-annotation", raw.stdout)
    clean = subprocess.run([sys.executable, "-m", "seedclean", "check", str(CLEAN)], capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
