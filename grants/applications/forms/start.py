"""Forms that start an application: for one of your organisations, or on an organisation's
behalf (assisted digital)."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField
from wtforms.validators import InputRequired


class StartApplicationForm(FlaskForm):
    organisation_id = RadioField(
        "Which organisation are you applying for?", coerce=str, validate_choice=False,
        validators=[InputRequired("Select the organisation you are applying for")],
        widget=GovRadioInput())


class StartOnBehalfForm(FlaskForm):
    round_id = RadioField(
        "Which round is the application for?", coerce=str, validate_choice=False,
        validators=[InputRequired("Select the round the application is for")],
        widget=GovRadioInput())
