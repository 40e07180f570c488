"""The assessment blueprint, the one `bp` every assessment route module adds its pages to."""

from flask import Blueprint

bp = Blueprint("assessment", __name__)
