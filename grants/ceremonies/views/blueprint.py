"""The ceremonies blueprint, which the modules beside this one add their pages to."""

from flask import Blueprint

bp = Blueprint("ceremonies", __name__)
