"""Forms for sending and withdrawing an application."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from grants.applications.operations.withdrawal import MAX_WITHDRAWAL_REASON
from grants.core.validators import sent_number
from grants.core.validators import strip_text as _strip


class SubmitApplicationForm(FlaskForm):
    """Check your answers' button: carries the version of the application that was checked."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        return sent_number(self.version.data)


class WithdrawApplicationForm(FlaskForm):
    reason = TextAreaField(
        "Why are you withdrawing the application?", filters=[_strip],
        validators=[
            DataRequired("Enter why you are withdrawing the application"),
            Length(max=MAX_WITHDRAWAL_REASON,
                   message=f"The reason must be {MAX_WITHDRAWAL_REASON} characters or fewer"),
        ],
        widget=GovCharacterCount())
