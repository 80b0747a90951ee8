"""Everything in examples/ runs, the hook and workflow files are valid, and docs/ is consistent."""

from __future__ import annotations

import doctest
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import seedclean
from seedclean.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DOCS = ROOT / "docs"
RAW = sorted((ROOT / "seeds" / "raw").glob("*.txt"))
CLEAN_JSON = sorted((ROOT / "seeds" / "clean").glob("*.json"))
DIRTY = "第一行\n中国的发展,,很快\n中国:发展\n"


def _python(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120, encoding="utf-8"
    )


def _seedclean() -> list[str]:
    exe = shutil.which("seedclean")
    return [exe] if exe else [sys.executable, "-m", "seedclean"]


def _command(entry: str) -> list[str]:
    """A hook entry or workflow line as argv, with the installed ``seedclean`` first."""
    argv = shlex.split(entry)
    assert argv[0] == "seedclean", entry
    return _seedclean() + argv[1:]


def _parses(argv: list[str]) -> None:
    """The arguments are valid for seedclean's own parser (with a file name appended)."""
    args = build_parser().parse_args([*argv, "x.txt"] if argv[0] in ("check", "fix", "explain") else argv)
    assert callable(args.func)


def _load_yaml(path: Path) -> Any:
    yaml = pytest.importorskip("yaml")  # in the test extra
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _hooks() -> dict[str, dict[str, Any]]:
    hooks = _load_yaml(ROOT / ".pre-commit-hooks.yaml")
    return {h["id"]: h for h in hooks}


# ---- Python examples --------------------------------------------------------------------


def test_clean_one_file(tmp_path: Path) -> None:
    out = tmp_path / "doc.json"
    r = _python(EXAMPLES / "clean_one_file.py", RAW[-1], out, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "title:" in r.stdout and "repaired:" in r.stdout and "ruby-annotation" in r.stdout
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema"] == "seedclean.document/1"
    assert doc["title"] in r.stdout
    assert _python(EXAMPLES / "clean_one_file.py", cwd=tmp_path).returncode == 2


def test_clean_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for i, seed in enumerate(RAW):
        shutil.copy(seed, (src / "sub" if i else src) / seed.name)
    (src / "note.md").write_text(DIRTY, encoding="utf-8")
    (src / "ignored.py").write_text("x = 1\n", encoding="utf-8")
    out = tmp_path / "out"
    r = _python(EXAMPLES / "clean_folder.py", src, out, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"{len(RAW) + 1} file(s)" in r.stdout
    assert (out / "note.txt").read_text(encoding="utf-8") == "第一行\n中国的发展，很快\n中国：发展\n"
    for i, seed in enumerate(RAW):
        where = out / "sub" if i else out
        fixed = subprocess.run(
            [*_seedclean(), "fix", "--stdout", "--format", "lines", str(seed)], capture_output=True, timeout=120
        )
        assert (where / seed.name).read_bytes() == fixed.stdout
        assert json.loads((where / seed.name).with_suffix(".json").read_text(encoding="utf-8"))["title"]
    assert not (out / "ignored.txt").exists()
    # --check: exit 1 on the raw copy, 0 on what it wrote
    assert _python(EXAMPLES / "clean_folder.py", src, "--check", cwd=tmp_path).returncode == 1
    for j in out.rglob("*.json"):
        j.unlink()
    r = _python(EXAMPLES / "clean_folder.py", out, "--check", cwd=tmp_path)
    assert r.returncode == 0, r.stdout


def test_use_json_structure(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"schema": "something/else"}', encoding="utf-8")
    r = _python(EXAMPLES / "use_json_structure.py", *CLEAN_JSON, other, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines()]
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in CLEAN_JSON]
    assert len(records) == sum(len(s["paragraphs"]) for d in docs for s in d["sections"])
    first = docs[0]["sections"][0]["paragraphs"][0]
    assert records[0]["text"] == first["text"] and records[0]["lines"] == first["lines"]
    assert records[0]["title"] == docs[0]["title"]
    assert "other.json: not a seedclean.document/1 document, skipped" in r.stderr
    assert _python(EXAMPLES / "use_json_structure.py", other, cwd=tmp_path).returncode == 1


def test_use_json_structure_on_fresh_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = subprocess.run(
        [*_seedclean(), "fix", str(RAW[0]), "-o", str(out), "--format", "json"], capture_output=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    r2 = _python(EXAMPLES / "use_json_structure.py", *sorted(out.glob("*.json")), cwd=tmp_path)
    assert r2.returncode == 0 and r2.stdout.strip()


# ---- pre-commit --------------------------------------------------------------------------


def test_pre_commit_hooks_file() -> None:
    hooks = _hooks()
    assert set(hooks) == {"seedclean-check", "seedclean-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["text"]
        assert {"id", "name", "entry", "language"} <= set(hook)
        pattern = re.compile(hook["files"])
        assert pattern.search("docs/a.md") and pattern.search("x/y.txt") and not pattern.search("a.py")
        _parses(shlex.split(hook["entry"])[1:])
    assert shlex.split(hooks["seedclean-check"]["entry"])[1] == "check"
    assert shlex.split(hooks["seedclean-fix"]["entry"])[1:3] == ["fix", "--in-place"]


def test_pre_commit_hook_entries_run(tmp_path: Path) -> None:
    hooks = _hooks()
    f = tmp_path / "notes.md"
    f.write_text(DIRTY, encoding="utf-8")
    check = _command(hooks["seedclean-check"]["entry"])
    fix = _command(hooks["seedclean-fix"]["entry"])
    r = subprocess.run([*check, f.name], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "notes.md:2:6: punct-comma-artifact" in r.stdout
    r = subprocess.run([*fix, f.name], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert f.read_text(encoding="utf-8") == "第一行\n中国的发展，很快\n中国：发展\n"
    r = subprocess.run([*check, f.name], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout == ""
    # an excluded file passes both hooks untouched (--force-exclude)
    (tmp_path / "pyproject.toml").write_text('[tool.seedclean]\nexclude = ["fixtures"]\n', encoding="utf-8")
    (tmp_path / "fixtures").mkdir()
    g = tmp_path / "fixtures" / "garbled.txt"
    g.write_text(DIRTY, encoding="utf-8")
    for argv in (check, fix):
        rb = subprocess.run([*argv, "fixtures/garbled.txt"], cwd=tmp_path, capture_output=True, timeout=120)
        assert rb.returncode == 0, rb.stderr
    assert g.read_text(encoding="utf-8") == DIRTY


def test_example_pre_commit_config() -> None:
    config = _load_yaml(EXAMPLES / "pre-commit-config.yaml")
    published = _hooks()
    seen_remote = seen_local = False
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            if repo["repo"] == "local":
                seen_local = True
                assert hook["language"] in ("system", "python")
                _parses(shlex.split(hook["entry"])[1:])
                assert re.compile(hook["files"]).search("a.md")
            else:
                seen_remote = True
                assert repo["rev"] and repo["repo"].endswith("/seedclean")
                assert hook["id"] in published, hook
    assert seen_remote and seen_local
    # the commented-out alternative names a real hook too
    text = (EXAMPLES / "pre-commit-config.yaml").read_text(encoding="utf-8")
    for hook_id in re.findall(r"id: (seedclean-[a-z-]+)", text):
        assert hook_id in published or hook_id.endswith("-local"), hook_id


# ---- GitHub Actions ---------------------------------------------------------------------------


def _workflow_commands() -> list[str]:
    workflow = _load_yaml(EXAMPLES / "github-workflow.yml")
    assert workflow["name"] and workflow["jobs"]
    assert True in workflow or "on" in workflow  # YAML 1.1 reads the key `on` as true
    commands: list[str] = []
    for job in workflow["jobs"].values():
        assert job["runs-on"] and job["steps"]
        for step in job["steps"]:
            assert "uses" in step or "run" in step
            for line in str(step.get("run", "")).splitlines():
                if line.strip().startswith("seedclean "):
                    commands.append(re.split(r"\s*(?:>|\|\|)", line.strip())[0])
    return commands


def test_example_workflow_commands_are_valid() -> None:
    commands = _workflow_commands()
    assert "seedclean check --format github ." in commands
    assert any("--format sarif" in c for c in commands)
    for command in commands:
        _parses(shlex.split(command)[1:])


def test_example_workflow_annotates_the_exact_lines(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.md").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "clean.txt").write_text("中国的发展，很快。\n", encoding="utf-8")
    for command in _workflow_commands():
        r = subprocess.run(_command(command), cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert r.returncode == 1, (command, r.stderr)
        if "--format github" in command:
            assert r.stdout.splitlines() == [
                "::warning file=docs/notes.md,line=2,col=6,title=punct-comma-artifact::,, -> ，",
                "::warning file=docs/notes.md,line=3,col=3,title=punct-fullwidth::: -> ：",
            ]
        if "--format sarif" in command:
            assert json.loads(r.stdout)["runs"][0]["results"]
        if "--diff" in command:
            assert r.stdout.startswith("--- a/docs/notes.md\n+++ b/docs/notes.md\n")


# ---- docs -----------------------------------------------------------------------------------


def _check_schema(value: Any, schema: dict[str, Any], root: dict[str, Any], where: str = "$") -> list[str]:
    """A minimal JSON Schema check: the keywords docs/document.schema.json uses."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _check_schema(value, root["$defs"][name], root, where)
    if "anyOf" in schema:
        if all(_check_schema(value, s, root, where) for s in schema["anyOf"]):
            return [f"{where}: matches no alternative"]
        return []
    errors: list[str] = []
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: expected {schema['const']!r}")
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        checks = {
            "object": lambda v: isinstance(v, dict),
            "array": lambda v: isinstance(v, list),
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "null": lambda v: v is None,
        }
        if not any(checks[n](value) for n in names):
            return [f"{where}: not {types}"]
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{where}: missing {key!r}")
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                errors += _check_schema(value[key], sub, root, f"{where}.{key}")
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for key, v in value.items():
                if key not in schema.get("properties", {}):
                    errors += _check_schema(v, extra, root, f"{where}.{key}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            errors.append(f"{where}: wrong length {len(value)}")
        if "items" in schema:
            for i, v in enumerate(value):
                errors += _check_schema(v, schema["items"], root, f"{where}[{i}]")
    if isinstance(value, int) and "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{where}: below {schema['minimum']}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{where}: does not match {schema['pattern']}")
    return errors


def _schema() -> dict[str, Any]:
    return json.loads((DOCS / "document.schema.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", CLEAN_JSON, ids=lambda p: p.name)
def test_committed_json_matches_the_schema(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    schema = _schema()
    assert _check_schema(doc, schema, schema) == []
    try:
        import jsonschema
    except ImportError:
        return
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(doc)


def test_schema_check_catches_bad_documents() -> None:
    schema = _schema()
    doc = json.loads(CLEAN_JSON[0].read_text(encoding="utf-8"))
    bad = dict(doc, schema="seedclean.document/2")
    assert _check_schema(bad, schema, schema)
    bad = {k: v for k, v in doc.items() if k != "findings"}
    assert _check_schema(bad, schema, schema) == ["$: missing 'findings'"]
    bad = dict(doc, sections=[{"heading": None, "level": 0, "paragraphs": [{"text": "x", "lines": [1]}]}])
    assert _check_schema(bad, schema, schema)


def test_schema_doc_names_every_required_key() -> None:
    text = (DOCS / "json-schema.md").read_text(encoding="utf-8")
    for key in _schema()["required"]:
        assert f"`{key}" in text, key


def test_api_doc_examples_run() -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if ">>>" in b]
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {"seedclean": seedclean}, "api.md", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 5 and result.failed == 0


def test_docs_links_resolve() -> None:
    pages = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted(DOCS.glob("*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" in target or target.startswith("mailto:"):
                continue
            if target == "corpus.md" and not (DOCS / "corpus.md").exists():
                continue  # written with the corpus mode
            assert (page.parent / target).exists(), f"{page.name}: broken link {target}"


def test_index_links_every_page() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in ("rules.md", "json-schema.md", "api.md", "ci.md", "corpus.md"):
        assert f"]({page})" in index, page


def test_readme_keeps_the_test_command() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    i = lines.index("<!-- test-command -->")
    assert lines[i + 1 : i + 4] == ["```sh", "python3 -m pip install -e '.[test]' && python3 -m pytest", "```"]
