"""Each figure of a fund's ledger is worked out in one place: grants/ledger/operations/
figures.py. No other module or template adds up money paid in, returned, committed or paid
out into what is available or brought forward."""

import ast
import re

from tests.fixtures import source

ONE_RULE = "ledger/operations/figures.py"
# Arithmetic on any of these is working a ledger figure out again.
LEDGER_FIGURE = re.compile(r"paid_in|brought_forward|returned_pence|paid_out|available|"
                           r"carried_forward|spare")


def _module(relative: str) -> source.Module:
    return next(module for module in source.modules() if module.relative == relative)


def _arithmetic(module: source.Module):
    """Each addition or subtraction in the module, with the text of its two sides."""
    for node in module.nodes:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
            yield module.segment(node), module.segment(node.left), module.segment(node.right)


def test_no_code_but_the_one_rule_adds_up_a_funds_money():
    found = []
    for module in source.modules():
        if module.relative == ONE_RULE:
            continue
        for text, left, right in _arithmetic(module):
            if LEDGER_FIGURE.search(left) or LEDGER_FIGURE.search(right):
                found.append(f"{module.relative}: {text}")
    for path, template in source.templates():
        for line in template.splitlines():
            if re.search(r"(paid_in|brought_forward|returned|committed|paid_out|available)"
                         r"_pence\s*[-+]|[-+]\s*\w+\.(paid_in|brought_forward|returned|"
                         r"paid_out|available)_pence", line):
                found.append(f"{path.name}: {line.strip()}")
    assert found == []


def test_the_one_rule_is_where_available_is_worked_out():
    """The test above would pass if nothing worked it out: the rule must be there."""
    segments = [text for text, _, _ in _arithmetic(_module(ONE_RULE))]

    assert "brought_forward_pence + paid_in_pence + returned_pence - committed_pence" in segments
