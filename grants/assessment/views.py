"""Registers every assessment page on the blueprint by importing the modules that hold them."""

from grants.assessment.blueprint import bp

__all__ = ["bp"]
