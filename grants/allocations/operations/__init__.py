"""Allocation rounds' use cases: top-slice, recipients, factors, inputs, shares and awards."""
