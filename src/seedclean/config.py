"""Run-time options, as one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

Script = Literal["hans", "hant", "tw", "hk", "keep"]
SCRIPTS: tuple[str, ...] = ("hans", "hant", "tw", "hk", "keep")


@dataclass(frozen=True, slots=True)
class Config:
    """Options shared by every pass.

    ``script``: target script (``hans`` Simplified, ``hant`` Traditional,
    ``tw`` Taiwan, ``hk`` Hong Kong, ``keep`` no conversion).
    ``ruby_min_count``: how many valid flattened readings a document must
    show before any is removed (the pattern must be systematic).
    ``script_min_ratio``: share of Han characters that must be in the
    source script before the document is converted at all.
    ``ignore``: rule ids switched off.
    """

    script: Script = "hans"
    ruby_min_count: int = 2
    script_min_ratio: float = 0.02
    ignore: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.script not in SCRIPTS:
            raise ValueError(f"unknown script target {self.script!r}; choose one of {', '.join(SCRIPTS)}")

    def enabled(self, rule: str) -> bool:
        return rule not in self.ignore

    def with_options(self, **options: Any) -> "Config":
        """A copy with some options changed; unknown names raise TypeError."""
        if "ignore" in options and not isinstance(options["ignore"], frozenset):
            options["ignore"] = frozenset(options["ignore"])
        return replace(self, **options)


DEFAULT = Config()
