"""The applications blueprint. Its routes live in views.py and the modules it imports."""

from flask import Blueprint

bp = Blueprint("applications", __name__)
