"""The rule registry (``seedclean.rules``), ``seedclean rules`` and docs/rules.md."""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import seedclean
from seedclean import rules
from seedclean.cli import main

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "seedclean"
CASES = ROOT / "tests" / "cases"

# Rules whose module docstring has no before/after example yet (the registry
# then shows a fallback, or nothing).  Shrink this list, never grow it.
WITHOUT_DOCSTRING_EXAMPLE = {"undecodable-bytes", "unicode-nfc"}


def _modules() -> list[str]:
    names = ["seedclean"]
    for info in pkgutil.walk_packages([str(SRC)], prefix="seedclean."):
        if not info.name.endswith("__main__"):  # importing it would run the CLI
            names.append(info.name)
    return names


def _resolve(node: ast.expr, module: object, tree_consts: dict[str, object]) -> list[str]:
    """String values an AST expression stands for, when they can be known statically."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name):
        value = tree_consts.get(node.id, getattr(module, node.id, None))
        if isinstance(value, str):
            return [value]
        return []
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = getattr(module, node.value.id, None)
        value = getattr(owner, node.attr, None)
        return [value] if isinstance(value, str) else []
    return []


def _statically_emitted() -> dict[str, set[str]]:
    """Rule ids in ``Edit(..., rule)``, ``Finding(rule, ...)``, ``Repair(rule, ...)`` and ``RULES`` tuples."""
    found: dict[str, set[str]] = {}
    for name in _modules():
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue  # an optional integration (seedclean.contrib.*) whose extra is not installed
        path = getattr(module, "__file__", None)
        if not path or not path.endswith(".py"):
            continue
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
        consts: dict[str, object] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                target = node.targets[0].id
                if isinstance(node.value, ast.Constant):
                    consts[target] = node.value.value
                if target.endswith("RULES") and isinstance(node.value, ast.Tuple | ast.List):
                    for elt in node.value.elts:
                        for v in _resolve(elt, module, consts):
                            found.setdefault(v, set()).add(name)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            func = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
            arg: ast.expr | None = None
            for kw in call.keywords:
                if kw.arg == "rule":
                    arg = kw.value
            if arg is None and func == "Edit" and len(call.args) >= 4:
                arg = call.args[3]
            if arg is None and func in ("Finding", "Repair") and call.args:
                arg = call.args[0]
            if func in ("Edit", "Finding", "Repair") and arg is not None:
                for v in _resolve(arg, module, consts):
                    found.setdefault(v, set()).add(name)
    return found


def test_registry_ids_match_the_modules_constants() -> None:
    assert len(set(rules.RULE_IDS)) == len(rules.RULE_IDS)
    assert list(rules.registry()) == list(rules.RULE_IDS)
    for spec in rules._SPECS:
        module = importlib.import_module(spec.module)
        if spec.constant is not None:
            assert getattr(module, spec.constant) == spec.id, spec
        else:
            assert f'"{spec.id}"' in Path(module.__file__ or "").read_text(encoding="utf-8"), spec


def test_every_rule_the_code_can_emit_is_registered() -> None:
    emitted = _statically_emitted()
    # the scan must see the rules it knows are there, or it is broken
    assert {"punct-fullwidth", "space-cjk", "undecodable-bytes", "lossy-replacement"} <= set(emitted)
    missing = {rule: sorted(where) for rule, where in emitted.items() if rule not in rules.RULE_IDS}
    assert not missing, f"rule ids emitted but not in seedclean.rules: {missing}"


def test_every_rule_emitted_on_the_cases_and_seeds_is_registered() -> None:
    seen: set[str] = set()
    for path in sorted(CASES.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            if not isinstance(case, dict) or not isinstance(case.get("input"), str):
                continue
            if isinstance(case.get("rule"), str):
                seen.add(case["rule"])
            options = case.get("options") or {}
            doc = seedclean.clean(case["input"], **options)
            seen |= {r.rule for r in doc.repairs} | {f.rule for f in doc.findings}
    for path in sorted((ROOT / "seeds" / "raw").glob("*.txt")):
        seen |= {f.rule for f in seedclean.check(path.read_bytes())}
    seen |= {f.rule for f in seedclean.check(b"abc\x80def\n" + "中文".encode("gbk"))}
    seen |= {f.rule for f in seedclean.check("e\u0301 中文\n")}
    assert seen - set(rules.RULE_IDS) == set()
    assert {"undecodable-bytes", "unicode-nfc", "punct-comma-artifact"} <= seen


def test_every_rule_is_documented_from_its_docstring() -> None:
    for info in rules.all_rules():
        assert info.summary and (info.summary[0].isupper() or not info.summary[0].isalpha()), info
        assert info.summary.endswith((".", ")")), info.summary
        assert info.description, info.id
        module = importlib.import_module(info.module)
        docs = [module.__doc__ or ""] + [
            f.__doc__ or "" for f in vars(module).values() if getattr(f, "__module__", None) == info.module
        ]
        if info.id in WITHOUT_DOCSTRING_EXAMPLE:
            continue
        assert info.examples, f"{info.id}: no before/after example in {info.module}'s docstrings"
        flat = " ".join(" ".join(docs).split())
        for example in info.examples:
            assert " ".join(example.split()) in flat, (info.id, example)


def test_examples_are_before_after_lines() -> None:
    for info in rules.all_rules():
        if info.examples:
            assert any("->" in e for e in info.examples), info.id


def test_section_parsing_styles() -> None:
    # definition list term with a parenthesis, paragraph lead, "Rule ``x``:" first line
    assert rules.get("gbk-fold-straddle").summary.startswith("A full-width mark")
    assert "擔保??h農  ->  擔保。縣農" in rules.get("gbk-fold-straddle").examples[0]
    assert rules.get("punct-comma-artifact").summary.startswith("Anti-duplicate noise")
    assert rules.get("punct-fullwidth").examples[0].startswith("3月1日,湖南省蓝山县")
    assert rules.get("ruby-annotation").summary == "Remove pinyin readings flattened into the text."
    assert rules.get("script-context").examples == ("一些特色小鎮著力構建  ->  一些特色小镇着力构建",)
    assert rules.get("lossy-replacement").kind == "finding" and not rules.get("lossy-replacement").fixable


def test_section_parser_on_a_synthetic_docstring() -> None:
    doc = (
        "Rules ``a-b`` and ``c-d``: two rules.\n\n"
        "``a-b``: first thing here::\n\n    x  ->  y\n\nMore about a-b.\n\n"
        "``c-d``\n    Second thing.  Longer text::\n\n        p -> q\n\nTrailing paragraph.\n"
    )
    a = rules._section(doc, "a-b")
    assert "More about a-b." in a and "c-d``" not in a
    assert rules._summary(a, "a-b") == "First thing here."
    assert rules._examples(a) == ("x  ->  y",)
    c = rules._section(doc, "c-d")
    assert c.startswith("Second thing.") and "Trailing" not in c
    assert rules._summary(c, "c-d") == "Second thing."
    assert rules._examples(c) == ("p -> q",)


def test_expand() -> None:
    assert rules.expand(["punct-*"]) == {"punct-comma-artifact", "punct-fullwidth"}
    assert rules.expand(["ALL"]) == set(rules.RULE_IDS)
    assert rules.expand([" space-cjk ", ""]) == {"space-cjk"}
    with pytest.raises(rules.UnknownRuleError):
        rules.expand(["punct-fulwidth"])
    with pytest.raises(rules.UnknownRuleError):
        rules.get("nope")


def test_cli_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for info in rules.all_rules():
        assert f"{info.id}  ({info.kind}, {info.module})" in out
        assert info.summary in out
        for example in info.examples:
            assert example in out


def test_cli_rules_one_rule_shows_its_whole_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "gbk-fold-straddle"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("gbk-fold-straddle  (repair, seedclean.passes.gbkbytes)")
    assert "A variant where the decoder swallowed the mark" in out
    assert "gbk-ruby-straddle" not in out.splitlines()[0]


def test_cli_rules_json_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json", "punct-*"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in items] == ["punct-comma-artifact", "punct-fullwidth"]
    assert set(items[0]) >= {"id", "kind", "fixable", "module", "summary", "examples", "description"}
    assert main(["rules", "bogus"]) == 2
    assert "unknown rule 'bogus'" in capsys.readouterr().err


def test_rules_doc_is_up_to_date() -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_rules_doc.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr + "\n(run: python tools/gen_rules_doc.py)"


def test_rules_doc_mentions_every_rule() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule_id in rules.RULE_IDS:
        assert f"\n## {rule_id}\n" in text
