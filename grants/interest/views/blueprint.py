"""The expressions of interest blueprint; its routes live in the other modules here."""

from flask import Blueprint

bp = Blueprint("interest", __name__)
