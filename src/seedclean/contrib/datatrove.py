"""A seedclean step for HuggingFace datatrove pipelines.

    pip install 'seedclean[datatrove]'

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from seedclean.contrib.datatrove import SeedcleanFormatter

    LocalPipelineExecutor(
        pipeline=[JsonlReader("crawl/"), SeedcleanFormatter(), JsonlWriter("clean/")],
        tasks=8,
        logging_dir="logs/seedclean",
    ).run()

``SeedcleanFormatter`` is a datatrove formatter (a ``BaseFormatter``), so
the same pipeline runs unchanged under ``SlurmPipelineExecutor`` or
``RayPipelineExecutor``; see ``docs/corpus.md``.  Each document's text is
replaced by :func:`seedclean.fix_text` of it (line for line, clean text
unchanged) and its repair counts per rule go to
``document.metadata["seedclean_repairs"]`` (``{}`` when nothing changed).
The step's stats count documents changed and repairs per rule.
"""

from __future__ import annotations

from typing import Any

try:
    from datatrove.pipeline.formatters.base import BaseFormatter
    from datatrove.utils.typeshelper import StatHints
except ImportError as e:  # pragma: no cover - exercised only without datatrove
    raise ImportError(
        "seedclean.contrib.datatrove needs HuggingFace datatrove: pip install 'seedclean[datatrove]'"
    ) from e

from ..batch import repair
from ..config import Config

__all__ = ["SeedcleanFormatter"]


class SeedcleanFormatter(BaseFormatter):  # type: ignore[misc]  # datatrove ships no type hints
    """Repair garbled Chinese text in ``document.text`` with :func:`seedclean.fix_text`.

    Args:
        script: target script, as ``seedclean fix --script`` (``hans``,
            ``hant``, ``tw``, ``hk``, ``keep``).
        ignore: rule ids to switch off.
        config: a full :class:`seedclean.Config` (overrides ``script`` and ``ignore``).
        repairs_key: metadata key for the per-rule repair counts; ``None``
            stores nothing (and skips the detailed pass that attributes
            changes to rules, which is faster on heavily garbled text).
    """

    name = "🀄 seedclean"

    def __init__(
        self,
        script: str = "hans",
        ignore: tuple[str, ...] | frozenset[str] = (),
        config: Config | None = None,
        repairs_key: str | None = "seedclean_repairs",
    ) -> None:
        super().__init__()
        self.config = config or Config(script=script, ignore=frozenset(ignore))  # type: ignore[arg-type]
        self.repairs_key = repairs_key

    def format(self, text: str) -> str:
        """``fix_text(text)`` with this step's config."""
        from .. import fix_text

        return fix_text(text, self.config)

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Any:
        """Clean every document, record its repair counts, update the step's stats."""
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                fixed, counts = repair(doc.text, self.config, rule_counts=self.repairs_key is not None)
            if fixed != doc.text:
                self.stat_update("changed")
                doc.text = fixed
            if counts:
                for rule, n in counts.items():
                    self.stat_update(f"repairs/{rule}", value=n)
            if self.repairs_key is not None:
                doc.metadata[self.repairs_key] = dict(sorted(counts.items())) if counts else {}
            yield doc
