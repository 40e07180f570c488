"""Decisions on a round's applications: declarations, the budget guard, sign-off and publishing."""
