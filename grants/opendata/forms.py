"""The staff form that publishes a month's 360Giving file."""

from flask_wtf import FlaskForm
from wtforms import HiddenField


class PublishMonthForm(FlaskForm):
    """The month the button names ("2026-11"); the operation checks it has ended."""

    month = HiddenField()
