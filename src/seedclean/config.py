"""Run-time options, as one frozen dataclass, and the ``pyproject.toml`` loader.

:class:`Config` holds the options every pass reads.  :class:`Settings` is
the validated ``[tool.seedclean]`` table of a ``pyproject.toml``: the same
options plus the command line's rule selection and file globs.
:func:`find_config` looks for that file the way ruff does: from the working
directory up to the root, the first ``pyproject.toml`` *that has a
``[tool.seedclean]`` table* wins (a ``pyproject.toml`` without one is
skipped, and settings are never merged across files).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast

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
        """True unless ``rule`` is in :attr:`ignore`."""
        return rule not in self.ignore

    def with_options(self, **options: Any) -> Config:
        """A copy with some options changed; unknown names raise TypeError."""
        if "ignore" in options and not isinstance(options["ignore"], frozenset):
            options["ignore"] = frozenset(options["ignore"])
        return replace(self, **options)

    @classmethod
    def from_pyproject(
        cls, path: str | os.PathLike[str] | None = None, *, start: str | os.PathLike[str] | None = None
    ) -> Config:
        """The options of a ``[tool.seedclean]`` table (defaults where it says nothing).

        ``path`` names a ``pyproject.toml``; without it the file is found by
        :func:`find_config` from ``start`` (default: the working directory).
        No file means the defaults.  Raises :class:`ConfigError`.
        """
        found = Path(path) if path is not None else find_config(start)
        return (load_settings(found) if found is not None else Settings()).to_config()


DEFAULT = Config()

# ---- pyproject.toml --------------------------------------------------------------

PYPROJECT = "pyproject.toml"
"""The file :func:`find_config` looks for."""

DEFAULT_INCLUDE: tuple[str, ...] = ("*.txt", "*.text", "*.md", "*.markdown")
"""Files a directory walk picks up when ``include`` is not set (suffixes case-insensitive)."""

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".*",
    "__pycache__",
    "__pypackages__",
    "node_modules",
    "venv",
    "site-packages",
    "*.egg-info",
    "build",
    "dist",
)
"""Names a directory walk always skips (hidden files and directories, virtualenvs, build output)."""

# TOML key -> Settings field; snake_case spellings are accepted too.
_KEYS = {
    "script": "script",
    "select": "select",
    "ignore": "ignore",
    "include": "include",
    "exclude": "exclude",
    "ruby-min-count": "ruby_min_count",
    "script-min-ratio": "script_min_ratio",
}


class ConfigError(ValueError):
    """A ``[tool.seedclean]`` table, or a rule selection, that cannot be used."""


@dataclass(frozen=True)
class Settings:
    """A validated ``[tool.seedclean]`` table; ``None`` means "not set".

    ``path`` is the ``pyproject.toml`` it came from (``None``: no file).
    ``select``/``ignore`` are rule ids or globs (``mojibake-*``, ``ALL``);
    ``include``/``exclude`` are file globs for directory walks, relative to
    the directory of ``path``.  A glob without ``/`` matches a file or
    directory name at any depth; one with ``/`` matches the relative path
    (``**`` spans directories) or any of its parent directories.
    """

    path: Path | None = None
    script: Script | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    ruby_min_count: int | None = None
    script_min_ratio: float | None = None

    @property
    def root(self) -> Path:
        """The directory globs are relative to: that of ``path``, else the working directory."""
        return self.path.parent if self.path is not None else Path.cwd()

    @classmethod
    def from_table(cls, table: dict[str, Any], path: Path | None = None) -> Settings:
        """Validate a ``[tool.seedclean]`` table (a dict from ``tomllib``)."""
        where = f"{path}: [tool.seedclean]" if path is not None else "[tool.seedclean]"
        values: dict[str, Any] = {}
        for key, value in table.items():
            name = _KEYS.get(key) or _KEYS.get(key.replace("_", "-"))
            if name is None:
                raise ConfigError(f"{where}: unknown key {key!r}; known keys: {', '.join(_KEYS)}")
            if name in values:
                raise ConfigError(f"{where}: {key!r} is given twice")
            values[name] = _check_value(where, key, name, value)
        settings = cls(path=path, **values)
        try:
            settings.ignored_rules()
        except ConfigError as e:
            raise ConfigError(f"{where}: {e}") from None
        return settings

    def ignored_rules(self, select: Sequence[str] | None = None, ignore: Sequence[str] = ()) -> frozenset[str]:
        """The rule ids switched off by this table, then by a command line's ``select``/``ignore``.

        Layers apply in order, as in ruff: a ``select`` starts over from the
        rules it names, then that layer's ``ignore`` removes rules.
        """
        return resolve_rules([(self.select, self.ignore), (select, ignore)])

    def to_config(
        self,
        base: Config | None = None,
        *,
        script: str | None = None,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
    ) -> Config:
        """A :class:`Config`: ``base`` (default: the defaults), this table, then command-line values."""
        cfg = base or Config()
        options: dict[str, Any] = {}
        if script is not None or self.script is not None:
            options["script"] = script if script is not None else self.script
        if self.ruby_min_count is not None:
            options["ruby_min_count"] = self.ruby_min_count
        if self.script_min_ratio is not None:
            options["script_min_ratio"] = self.script_min_ratio
        options["ignore"] = cfg.ignore | self.ignored_rules(select, ignore)
        return cfg.with_options(**options)

    def wants(self, path: Path, walked: Path) -> bool:
        """Whether a directory walk from ``walked`` checks the file ``path`` (include, not excluded)."""
        rel = _relative(path, self.root)
        if self.include is None:
            if path.suffix.lower() not in {p[1:] for p in DEFAULT_INCLUDE}:
                return False
        elif not any(_glob_match(p, rel, name_only=True) for p in self.include):
            return False
        return not self.excluded(path, walked)

    def excluded(self, path: Path, walked: Path | None = None) -> bool:
        """Whether ``path`` is excluded: by the defaults (below ``walked`` only) or by ``exclude``."""
        if walked is not None:
            below = _relative(path, walked)
            if any(_glob_match(p, below) for p in DEFAULT_EXCLUDE):
                return True
        rel = _relative(path, self.root) if walked is None or _inside(path, self.root) else _relative(path, walked)
        return any(_glob_match(p, rel) for p in self.exclude)


def resolve_rules(layers: Iterable[tuple[Sequence[str] | None, Sequence[str]]]) -> frozenset[str]:
    """The rule ids left off after ``(select, ignore)`` layers, applied in order.

    Raises :class:`ConfigError` for a pattern that names no rule.
    """
    from .rules import RULE_IDS, UnknownRuleError, expand

    enabled = set(RULE_IDS)
    try:
        for select, ignore in layers:
            if select is not None:
                enabled = set(expand(select))
            enabled -= expand(ignore)
    except UnknownRuleError as e:
        raise ConfigError(str(e)) from None
    return frozenset(RULE_IDS) - enabled


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The ``pyproject.toml`` that configures ``start`` (default: the working directory).

    Walks up to the file-system root and returns the first ``pyproject.toml``
    with a ``[tool.seedclean]`` table, or ``None``.  A ``pyproject.toml``
    that is not valid TOML is skipped unless it mentions ``[tool.seedclean``
    (then :class:`ConfigError`).
    """
    try:
        here = (Path(start) if start is not None else Path.cwd()).absolute()
    except OSError:  # the working directory was removed
        return None
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / PYPROJECT
        try:
            if not candidate.is_file():
                continue
        except OSError:  # an unreadable directory on the way up
            continue
        try:
            data = _read_toml(candidate)
        except ConfigError:
            try:
                mentions = b"[tool.seedclean" in candidate.read_bytes()
            except OSError:
                mentions = False
            if mentions:
                raise
            continue
        tool = data.get("tool")
        if isinstance(tool, dict) and "seedclean" in tool:
            return candidate
    return None


def load_settings(path: str | os.PathLike[str]) -> Settings:
    """The validated ``[tool.seedclean]`` table of ``path`` (empty settings if it has none)."""
    p = Path(path)
    data = _read_toml(p)
    tool = data.get("tool", {})
    table = tool.get("seedclean", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{p}: [tool.seedclean] must be a table")
    return Settings.from_table(table, p)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror or e}") from None


def _check_value(where: str, key: str, name: str, value: Any) -> Any:
    if name == "script":
        if value not in SCRIPTS:
            raise ConfigError(f"{where}: {key} = {value!r}; choose one of {', '.join(SCRIPTS)}")
        return cast(Script, value)
    if name in ("select", "ignore", "include", "exclude"):
        if isinstance(value, str):
            value = [v for v in value.split(",") if v.strip()] if name in ("select", "ignore") else [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
        return tuple(v.strip() for v in value)
    if name == "ruby_min_count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{where}: {key} must be a whole number >= 1")
        return value
    if name == "script_min_ratio":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ConfigError(f"{where}: {key} must be a number between 0 and 1")
        return float(value)
    raise AssertionError(name)  # pragma: no cover


def _inside(path: Path, root: Path) -> bool:
    try:
        path.absolute().relative_to(root.absolute())
    except ValueError:
        return False
    return True


def _relative(path: Path, base: Path) -> str:
    p, b = path.absolute(), base.absolute()
    try:
        return p.relative_to(b).as_posix()
    except ValueError:
        return p.as_posix().lstrip("/")


def _glob_match(pattern: str, rel: str, *, name_only: bool = False) -> bool:
    """Match a glob against a relative POSIX path (see :class:`Settings`)."""
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.rstrip("/")
    if not pattern or not rel:
        return False
    regex = _glob_regex(pattern)
    parts = rel.split("/")
    if "/" not in pattern:
        names = parts[-1:] if name_only else parts
        return any(regex.match(n) for n in names)
    return any(regex.match("/".join(parts[:i])) for i in range(len(parts), 0, -1))


_GLOB_CACHE: dict[str, re.Pattern[str]] = {}


def _glob_regex(pattern: str) -> re.Pattern[str]:
    cached = _GLOB_CACHE.get(pattern)
    if cached is not None:
        return cached
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i):
            out.append("(?:[^/]+/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            j = pattern.index("]", i + 2)
            body = pattern[i + 1 : j]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = j + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    compiled = re.compile("".join(out) + r"\Z")
    _GLOB_CACHE[pattern] = compiled
    return compiled
