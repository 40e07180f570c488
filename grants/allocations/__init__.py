"""Allocation rounds: the Community Safety Fund shared among councils and Community Safety
Partnerships by formula, and awards from the OPCC's top-slice."""
