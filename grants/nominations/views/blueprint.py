"""The nominations blueprint: the High Sheriff's pages (views/high_sheriff.py), staff's
(views/staff.py) and claiming an organisation's account from an invitation (views/claims.py)."""

from flask import Blueprint

bp = Blueprint("nominations", __name__)
