"""The public rounds blueprint; its routes live in the other modules of this package."""

from flask import Blueprint

bp = Blueprint("rounds", __name__)
