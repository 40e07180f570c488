"""Every test can fail: each asserts something, directly or through a helper that does."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# Calls that make a test fail when what they check does not hold.
FAILING_CALLS = ("raises", "warns", "fail", "expect")


def _asserts(node: ast.AST, helpers: set[str]) -> bool:
    for part in ast.walk(node):
        if isinstance(part, ast.Assert):
            return True
        if isinstance(part, ast.Call):
            called = part.func
            name = (called.attr if isinstance(called, ast.Attribute)
                    else called.id if isinstance(called, ast.Name) else "")
            if (name in FAILING_CALLS or name in helpers
                    or name.startswith(("assert", "check", "expect"))):
                return True
    return False


def test_every_test_asserts_something():
    silent = []
    for path in sorted(TESTS.rglob("test_*.py")):
        functions = {node.name: node for node in ast.walk(ast.parse(path.read_text("utf-8")))
                     if isinstance(node, ast.FunctionDef)}
        helpers: set[str] = set()
        grown = True
        while grown:  # a helper that calls an asserting helper asserts too
            grown = False
            for name, function in functions.items():
                if (not name.startswith("test_") and name not in helpers
                        and _asserts(function, helpers)):
                    helpers.add(name)
                    grown = True
        silent += [f"{path.relative_to(TESTS)}::{name}" for name, function in functions.items()
                   if name.startswith("test_") and not _asserts(function, helpers)]
    assert silent == []
