"""``[tool.seedclean]`` in pyproject.toml: discovery, validation, precedence; the version's one place."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import seedclean
from seedclean.cli import main
from seedclean.config import (
    DEFAULT,
    Config,
    ConfigError,
    Settings,
    find_config,
    load_settings,
    resolve_rules,
)
from seedclean.rules import RULE_IDS

ROOT = Path(__file__).resolve().parent.parent
DIRTY = "中国的发展,,很快\n中国:发展\n"  # punct-comma-artifact at 1:6, punct-fullwidth at 2:3
TRAD = "全國特色小鎮全力打好疫情防控阻擊戰。\n"


@pytest.fixture
def chdir(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def _pyproject(directory: Path, body: str) -> Path:
    path = directory / "pyproject.toml"
    path.write_text(body, encoding="utf-8")
    return path


# ---- discovery ---------------------------------------------------------------------


def test_find_config_walks_up_to_the_first_table(tmp_path: Path) -> None:
    outer = _pyproject(tmp_path, '[tool.seedclean]\nscript = "keep"\n')
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    _pyproject(tmp_path / "a", '[project]\nname = "x"\n')  # no table: skipped
    assert find_config(inner) == outer
    assert find_config(tmp_path / "a") == outer
    nearest = _pyproject(inner, "[tool.seedclean]\n")
    assert find_config(inner) == nearest
    f = inner / "doc.txt"
    f.write_text("x", encoding="utf-8")
    assert find_config(f) == nearest


def test_find_config_none_and_broken_files(tmp_path: Path) -> None:
    d = tmp_path / "p"
    d.mkdir()
    _pyproject(d, "this is [not toml\n")
    found = find_config(d)  # the broken file is skipped: it has no [tool.seedclean]
    assert found is None or not found.is_relative_to(tmp_path)
    _pyproject(d, "[tool.seedclean\nscript=1\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        find_config(d)


def test_from_pyproject(tmp_path: Path, chdir: Path) -> None:
    assert Config.from_pyproject() == DEFAULT or find_config() is not None
    path = _pyproject(
        tmp_path,
        '[tool.seedclean]\nscript = "keep"\nignore = ["space-cjk"]\nruby-min-count = 3\nscript-min-ratio = 0.5\n',
    )
    expected = Config(script="keep", ruby_min_count=3, script_min_ratio=0.5, ignore=frozenset({"space-cjk"}))
    assert Config.from_pyproject() == expected
    assert Config.from_pyproject(path) == expected
    assert Config.from_pyproject(start=tmp_path) == expected
    assert seedclean.fix_text(TRAD, Config.from_pyproject()) == TRAD  # keep: no conversion


# ---- validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body,message",
    [
        ("scrip = 'keep'", "unknown key 'scrip'"),
        ("script = 'klingon'", "choose one of"),
        ("select = 'punct-*'\nignore = 3", "ignore must be a list of strings"),
        ("ignore = ['punct-fulwidth']", "unknown rule 'punct-fulwidth'"),
        ("ruby-min-count = 0", "whole number"),
        ("ruby-min-count = true", "whole number"),
        ("script-min-ratio = 2", "between 0 and 1"),
        ("include = [1]", "list of strings"),
        ("ruby-min-count = 2\nruby_min_count = 3", "given twice"),
    ],
)
def test_bad_tables(tmp_path: Path, body: str, message: str) -> None:
    path = _pyproject(tmp_path, "[tool.seedclean]\n" + body + "\n")
    with pytest.raises(ConfigError, match=message) as info:
        load_settings(path)
    assert str(path) in str(info.value)


def test_table_values() -> None:
    s = Settings.from_table(
        {"select": "punct-*, space-cjk", "include": "*.rst", "exclude": ["a"], "script_min_ratio": 0}
    )
    assert s.select == ("punct-*", "space-cjk")
    assert s.include == ("*.rst",) and s.exclude == ("a",)
    assert s.script_min_ratio == 0.0


# ---- rule selection -------------------------------------------------------------------


def test_resolve_rules_layers_like_ruff() -> None:
    every = set(RULE_IDS)
    assert resolve_rules([]) == frozenset()
    assert resolve_rules([(["punct-*"], [])]) == every - {"punct-comma-artifact", "punct-fullwidth"}
    assert resolve_rules([(["punct-*"], ["punct-fullwidth"])]) == every - {"punct-comma-artifact"}
    # the command line's --ignore adds to the file's
    assert resolve_rules([(None, ["space-cjk"]), (None, ["unicode-nfc"])]) == {"space-cjk", "unicode-nfc"}
    # the command line's --select starts over
    assert resolve_rules([(None, ["space-cjk"]), (["space-cjk"], [])]) == every - {"space-cjk"}
    with pytest.raises(ConfigError):
        resolve_rules([(["nope"], [])])


def test_settings_to_config_overrides() -> None:
    s = Settings(script="keep", ignore=("space-cjk",), ruby_min_count=5)
    c = s.to_config()
    assert (c.script, c.ruby_min_count, c.ignore) == ("keep", 5, frozenset({"space-cjk"}))
    c = s.to_config(script="tw", ignore=["unicode-nfc"])
    assert c.script == "tw" and c.ignore == {"space-cjk", "unicode-nfc"}
    c = s.to_config(select=["space-cjk"])
    assert c.enabled("space-cjk") and not c.enabled("punct-fullwidth")
    base = Config(ignore=frozenset({"ruby-annotation"}))
    assert "ruby-annotation" in Settings().to_config(base).ignore


# ---- globs ------------------------------------------------------------------------------


def test_include_exclude_globs(tmp_path: Path) -> None:
    s = Settings(
        path=tmp_path / "pyproject.toml",
        exclude=("vendor", "tests/fixtures/**", "docs/*.md", "*.draft.txt"),
    )
    walked = tmp_path

    def wants(rel: str) -> bool:
        return s.wants(tmp_path / rel, walked)

    assert wants("a.txt") and wants("sub/b.MD") and wants("docs/sub/x.md")
    assert not wants("a.py")
    assert not wants("vendor/x.txt") and not wants("a/vendor/y.md")
    assert not wants("tests/fixtures/deep/z.txt") and wants("tests/other/z.txt")
    assert not wants("docs/x.md")
    assert not wants("notes.draft.txt")
    # default excludes: hidden and tool directories below the walked directory
    assert not wants(".git/x.txt") and not wants("node_modules/p/readme.md") and not wants(".venv/lib/a.txt")
    assert not wants("pkg.egg-info/PKG-INFO.txt")
    # ... but not above it
    hidden = tmp_path / ".hidden"
    assert s.wants(hidden / "a.txt", hidden)

    only_rst = Settings(path=tmp_path / "pyproject.toml", include=("*.rst", "notes/**/*.txt"))
    assert only_rst.wants(tmp_path / "a" / "x.rst", walked)
    assert only_rst.wants(tmp_path / "notes" / "a" / "b.txt", walked)
    assert not only_rst.wants(tmp_path / "a.txt", walked)


def test_excluded_for_named_files(tmp_path: Path) -> None:
    s = Settings(path=tmp_path / "pyproject.toml", exclude=("fixtures/",))
    assert s.excluded(tmp_path / "fixtures" / "a.txt")
    assert not s.excluded(tmp_path / "a.txt")


# ---- the command line -------------------------------------------------------------------


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_reads_the_table_and_options_override_it(chdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (chdir / "sub").mkdir()
    f = chdir / "sub" / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    _pyproject(chdir, '[tool.seedclean]\nignore = ["punct-comma-artifact"]\n')
    os.chdir(chdir / "sub")  # found by walking up
    code, out, _ = _check(capsys, "a.txt")
    assert code == 1 and "punct-comma-artifact" not in out and "punct-fullwidth" in out
    # --ignore adds to the table's ignore
    assert _check(capsys, "a.txt", "--ignore", "punct-fullwidth")[0] == 0
    # --select starts over
    code, out, _ = _check(capsys, "a.txt", "--select", "punct-comma-artifact")
    assert code == 1 and "punct-comma-artifact" in out and "punct-fullwidth" not in out
    # --no-config: the defaults
    code, out, _ = _check(capsys, "a.txt", "--no-config")
    assert "punct-comma-artifact" in out and "punct-fullwidth" in out
    # --config FILE
    other = _pyproject(chdir / "sub", '[tool.seedclean]\nselect = ["punct-fullwidth"]\nignore = ["punct-*"]\n')
    assert _check(capsys, "a.txt", "--config", str(other))[0] == 0


def test_cli_script_from_table_and_command_line(chdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = chdir / "t.txt"
    f.write_text(TRAD, encoding="utf-8")
    _pyproject(chdir, '[tool.seedclean]\nscript = "keep"\n')
    assert _check(capsys, "t.txt")[0] == 0
    assert _check(capsys, "t.txt", "--script", "hans")[0] == 1
    assert main(["fix", "--stdout", "--format", "lines", "t.txt"]) == 0
    assert capsys.readouterr().out == TRAD  # fix follows the table too


def test_cli_bad_config_is_one_line_exit_2(chdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (chdir / "a.txt").write_text(DIRTY, encoding="utf-8")
    _pyproject(chdir, '[tool.seedclean]\nselect = ["punct-fulwidth"]\n')
    code, out, err = _check(capsys, "a.txt")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "unknown rule 'punct-fulwidth'" in err and "pyproject.toml" in err
    assert _check(capsys, "a.txt", "--ignore", "nope", "--no-config")[0] == 2


def test_cli_walk_include_exclude_and_force_exclude(chdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for rel in ("keep/a.txt", "fixtures/garbled.txt", "notes.rst", ".hidden/x.txt"):
        p = chdir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(DIRTY, encoding="utf-8")
    _pyproject(chdir, '[tool.seedclean]\ninclude = ["*.txt", "*.rst"]\nexclude = ["fixtures"]\n')
    code, out, _ = _check(capsys, ".")
    files = sorted({line.split(":")[0] for line in out.splitlines()})
    assert code == 1 and files == ["keep/a.txt", "notes.rst"]
    # a file named on the command line is checked ...
    assert _check(capsys, "fixtures/garbled.txt")[0] == 1
    # ... unless --force-exclude (what the pre-commit hooks pass)
    assert _check(capsys, "--force-exclude", "fixtures/garbled.txt")[0] == 0
    code, out, _ = _check(capsys, "--force-exclude", "fixtures/garbled.txt", "keep/a.txt")
    assert code == 1 and "fixtures" not in out
    assert main(["fix", "--in-place", "--format", "lines", "--force-exclude", "fixtures/garbled.txt"]) == 0
    assert (chdir / "fixtures" / "garbled.txt").read_text(encoding="utf-8") == DIRTY


def test_ignore_also_hides_findings_of_the_decoder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(b"abc\x80def\n")
    code, out, _ = _check(capsys, "--no-config", str(f))
    assert code == 1 and "undecodable-bytes" in out
    code, out, _ = _check(capsys, "--no-config", "--ignore", "undecodable-bytes", str(f))
    assert "undecodable-bytes" not in out
    assert _check(capsys, "--no-config", "--ignore", "undecodable-bytes,lossy-replacement", str(f))[0] == 0


# ---- the version ------------------------------------------------------------------------


def test_version_has_one_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "seedclean.__version__"}
    assert importlib.metadata.version("seedclean") == seedclean.__version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog or f"## [{seedclean.__version__}]" in changelog


def test_cli_version() -> None:
    r = subprocess.run([sys.executable, "-m", "seedclean", "--version"], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == f"seedclean {seedclean.__version__}"
