"""Allocation rounds: a fund shared among councils and partnerships by formula, and a top-slice."""
