"""Expressions of interest: the short first stage of a round that has one."""
