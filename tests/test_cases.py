"""Data-driven repair cases, in the style of ftfy's ``test_cases.json``.

Every ``tests/cases/*.json`` file holds a list of cases::

    {"id": "short-unique-id", "input": "...", "expected": "...",
     "rule": "rule-id" | null, "options": {...}, "note": "..."}

``expected`` is written by hand from /work/shared/CONVENTIONS.md, never copied
from the program.  For each case we check that

* ``fix_text(input, **options) == expected``;
* the named rule fired (it is among ``clean(...).repairs`` or ``.findings``),
  or, when ``rule`` is null (a control), that there are no repairs and no
  findings at all;
* ``fix_text`` is idempotent on the expected output.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

CASES_DIR = Path(__file__).parent / "cases"
REQUIRED_KEYS = {"id": str, "input": str, "expected": str, "note": str}


def _load() -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """All cases as (file name, case) pairs, plus load errors (reported by the schema test)."""
    cases: list[tuple[str, dict[str, Any]]] = []
    errors: list[str] = []
    for path in sorted(CASES_DIR.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            errors.append(f"{path.name}: cannot load: {exc}")
            continue
        if not isinstance(data, list):
            errors.append(f"{path.name}: top level must be a JSON list")
            continue
        for i, case in enumerate(data):
            if not isinstance(case, dict):
                errors.append(f"{path.name}[{i}]: entry must be an object")
                continue
            cases.append((path.name, case))
    return cases, errors


ALL_CASES, LOAD_ERRORS = _load()
# Only well-formed cases are parametrised; malformed ones fail the schema test.
VALID_CASES = [
    (name, c)
    for name, c in ALL_CASES
    if all(isinstance(c.get(k), t) for k, t in REQUIRED_KEYS.items())
    and "rule" in c
    and (c["rule"] is None or isinstance(c["rule"], str))
    and isinstance(c.get("options", {}), dict)
]


def _params() -> list[Any]:
    return [pytest.param(c, id=c["id"]) for _, c in VALID_CASES]


def _options(case: dict[str, Any]) -> dict[str, Any]:
    return dict(case.get("options") or {})


@pytest.fixture(scope="module")
def sc():
    import seedclean

    return seedclean


# ---------------------------------------------------------------- schema


def test_case_files_exist():
    assert ALL_CASES, f"no cases found under {CASES_DIR}"


def test_case_schema():
    problems = list(LOAD_ERRORS)
    seen: dict[str, str] = {}
    for name, c in ALL_CASES:
        where = f"{name}:{c.get('id', '?')}"
        for key, typ in REQUIRED_KEYS.items():
            if key not in c:
                problems.append(f"{where}: missing key {key!r}")
            elif not isinstance(c[key], typ):
                problems.append(f"{where}: {key!r} must be {typ.__name__}")
        if "rule" not in c:
            problems.append(f"{where}: missing key 'rule' (use null for controls)")
        elif c["rule"] is not None and not (isinstance(c["rule"], str) and c["rule"]):
            problems.append(f"{where}: 'rule' must be a non-empty string or null")
        if "options" in c and not isinstance(c["options"], dict):
            problems.append(f"{where}: 'options' must be an object")
        extra = set(c) - set(REQUIRED_KEYS) - {"rule", "options"}
        if extra:
            problems.append(f"{where}: unknown keys {sorted(extra)}")
        cid = c.get("id")
        if isinstance(cid, str):
            if not cid.strip() or cid != cid.strip():
                problems.append(f"{where}: id must be non-empty without surrounding spaces")
            if cid in seen:
                problems.append(f"{where}: duplicate id (also in {seen[cid]})")
            seen[cid] = name
        inp, exp = c.get("input"), c.get("expected")
        if isinstance(inp, str) and isinstance(exp, str):
            if c.get("rule", "") is None and inp != exp:
                problems.append(f"{where}: a control (rule null) must have expected == input")
            # fix_text never joins or removes lines
            if inp.count("\n") != exp.count("\n"):
                problems.append(f"{where}: expected has a different number of lines than input")
            # output convention: NFC, no CR, no BOM
            if unicodedata.normalize("NFC", exp) != exp:
                problems.append(f"{where}: expected is not NFC")
            if "\r" in exp or "\ufeff" in exp:
                problems.append(f"{where}: expected contains CR or BOM")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- behaviour


@pytest.mark.parametrize("case", _params())
def test_fix_text(sc, case):
    got = sc.fix_text(case["input"], **_options(case))
    assert got == case["expected"], f"{case['note']}\ninput:    {case['input']!r}"


@pytest.mark.parametrize("case", _params())
def test_rule_fired(sc, case):
    options = _options(case)
    doc = sc.clean(case["input"], config=sc.Config(**options))
    repairs = list(doc.repairs)
    findings = list(doc.findings)
    if case["rule"] is None:
        assert repairs == [] and findings == [], (
            f"control must be untouched and unreported: {case['note']}\n"
            f"repairs:  {[(r.rule, r.line, r.column, r.before, r.after) for r in repairs]}\n"
            f"findings: {[(f.rule, f.line, f.column, f.message) for f in findings]}"
        )
        return
    fired = [r for r in repairs if r.rule == case["rule"]] + [f for f in findings if f.rule == case["rule"]]
    assert fired, (
        f"rule {case['rule']!r} did not fire: {case['note']}\n"
        f"repairs:  {sorted({r.rule for r in repairs})}\n"
        f"findings: {sorted({f.rule for f in findings})}"
    )
    n_lines = case["input"].count("\n") + 1
    for item in fired:
        assert 1 <= item.line <= n_lines, f"{case['rule']} reported at line {item.line} of {n_lines}"
        assert item.column >= 1, f"{case['rule']} reported at column {item.column}"


@pytest.mark.parametrize("case", _params())
def test_idempotent(sc, case):
    options = _options(case)
    assert sc.fix_text(case["expected"], **options) == case["expected"]
