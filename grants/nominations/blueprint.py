"""The nominations blueprint: the High Sheriff's pages (views.py), staff's (staff_views.py) and
claiming an organisation's account from an invitation (claim_views.py)."""

from flask import Blueprint

bp = Blueprint("nominations", __name__)
