"""The accounts blueprint: registering, signing in and out, the account page, email
verification, password reset and the second factor."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
