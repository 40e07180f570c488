"""The assessment blueprint: staff's application list and screening, reviewers' pages, and the
ranking. Its routes live in the *_views modules that views.py imports."""

from flask import Blueprint

bp = Blueprint("assessment", __name__)
