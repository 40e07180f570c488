"""The applications blueprint; its routes live in the other modules of this package."""

from flask import Blueprint

bp = Blueprint("applications", __name__)
