"""seedclean.contrib.datatrove: a formatter step run by datatrove's LocalPipelineExecutor."""

from __future__ import annotations

import gzip
import importlib
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

import seedclean

TEXTS = [
    "全國特色小鎮(zhèn)和改革發(fā)展,,成效顯著",
    "今天天气很好。",
    "統(tǒng)籌推進新冠肺炎疫情防控和經濟社會發(fā)展,既是一次大戰(zhàn),、也是一次大考,。",
    "他说：“我们明天去北京。”",
]


def test_clear_import_error_without_datatrove(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datatrove.pipeline.formatters.base", None)  # import fails
    monkeypatch.delitem(sys.modules, "seedclean.contrib.datatrove", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'seedclean\[datatrove\]'"):
        importlib.import_module("seedclean.contrib.datatrove")
    monkeypatch.delitem(sys.modules, "seedclean.contrib.datatrove", raising=False)


def test_local_pipeline_executor(tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    pytest.importorskip("orjson")  # datatrove's JSONL reader and writer
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from seedclean.contrib.datatrove import SeedcleanFormatter

    src = tmp_path / "in"
    src.mkdir()
    for shard in range(2):
        with gzip.open(src / f"shard{shard}.jsonl.gz", "wt", encoding="utf-8") as f:
            for i, text in enumerate(TEXTS):
                f.write(json.dumps({"id": f"{shard}-{i}", "text": text, "lang": "zh"}, ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    executor = LocalPipelineExecutor(
        pipeline=[JsonlReader(str(src)), SeedcleanFormatter(), JsonlWriter(str(out))],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    )
    executor.run()

    docs = []
    for path in sorted(out.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            docs.extend(json.loads(line) for line in f)
    assert len(docs) == 2 * len(TEXTS)
    by_id = {d["id"]: d for d in docs}
    for shard in range(2):
        for i, text in enumerate(TEXTS):
            doc = by_id[f"{shard}-{i}"]
            assert doc["text"] == seedclean.fix_text(text)
            assert doc["metadata"]["lang"] == "zh"  # other fields kept
            want = Counter(r.rule for r in seedclean.clean(text).repairs)
            assert doc["metadata"]["seedclean_repairs"] == dict(want)
    assert by_id["0-0"]["text"] == "全国特色小镇和改革发展，成效显著"
    assert by_id["0-1"]["metadata"]["seedclean_repairs"] == {}

    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    step = next(s for s in stats if "seedclean" in s["name"])

    def total(v: int | dict) -> int:  # datatrove stores a plain count as an int
        return v if isinstance(v, int) else int(v["total"])

    assert total(step["stats"]["changed"]) == 4
    assert total(step["stats"]["repairs/script-convert"]) > 0


def test_formatter_options() -> None:
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from seedclean.contrib.datatrove import SeedcleanFormatter

    step = SeedcleanFormatter(script="keep", repairs_key=None)
    assert step.format("全國,,發(fā)展") == seedclean.fix_text("全國,,發(fā)展", script="keep")
    docs = list(step.run(iter([Document(text=TEXTS[0], id="a")])))
    assert docs[0].text == seedclean.fix_text(TEXTS[0], script="keep")
    assert "seedclean_repairs" not in docs[0].metadata
