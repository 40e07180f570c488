"""The awards blueprint: the recipient's offer and bank details pages, and staff's award,
payment and finance download pages. Its routes live in views.py."""

from flask import Blueprint

bp = Blueprint("awards", __name__)
