"""Forms that start an application: for one of your organisations, or on an organisation's
behalf (assisted digital)."""

from flask_wtf import FlaskForm

from grants.core.fields import radio_field


class StartApplicationForm(FlaskForm):
    organisation_id = radio_field(
        "Which organisation are you applying for?", coerce=str, validate_choice=False,
        required="Select the organisation you are applying for")


class StartOnBehalfForm(FlaskForm):
    round_id = radio_field(
        "Which round is the application for?", coerce=str, validate_choice=False,
        required="Select the round the application is for")
