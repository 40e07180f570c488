"""Each figure of a fund's ledger is worked out in one place: grants/ledger/operations/
figures.py. No other module or template adds up money paid in, returned, committed or paid
out into what is available or brought forward."""

import ast
import re
from pathlib import Path

GRANTS = Path(__file__).resolve().parents[2] / "grants"
ONE_RULE = "ledger/operations/figures.py"
# Arithmetic on any of these is working a ledger figure out again.
LEDGER_FIGURE = re.compile(r"paid_in|brought_forward|returned_pence|paid_out|available|"
                           r"carried_forward|spare")


def _arithmetic(source: str):
    """Each addition or subtraction in the source, with the text of its two sides."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
            yield (ast.get_source_segment(source, node),
                   ast.get_source_segment(source, node.left),
                   ast.get_source_segment(source, node.right))


def test_no_code_but_the_one_rule_adds_up_a_funds_money():
    found = []
    for path in sorted(GRANTS.rglob("*.py")):
        relative = path.relative_to(GRANTS).as_posix()
        if relative == ONE_RULE:
            continue
        for text, left, right in _arithmetic(path.read_text()):
            if LEDGER_FIGURE.search(left) or LEDGER_FIGURE.search(right):
                found.append(f"{relative}: {text}")
    for path in sorted((GRANTS.parent / "templates").rglob("*.html")):
        for line in path.read_text().splitlines():
            if re.search(r"(paid_in|brought_forward|returned|committed|paid_out|available)"
                         r"_pence\s*[-+]|[-+]\s*\w+\.(paid_in|brought_forward|returned|"
                         r"paid_out|available)_pence", line):
                found.append(f"{path.name}: {line.strip()}")
    assert found == []


def test_the_one_rule_is_where_available_is_worked_out():
    """The test above would pass if nothing worked it out: the rule must be there."""
    segments = [text for text, _, _ in _arithmetic((GRANTS / ONE_RULE).read_text())]

    assert "brought_forward_pence + paid_in_pence + returned_pence - committed_pence" in segments
