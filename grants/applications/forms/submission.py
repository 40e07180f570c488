"""Forms for sending and withdrawing an application."""

from flask_wtf import FlaskForm
from wtforms import HiddenField

from grants.applications.operations.withdrawal import MAX_WITHDRAWAL_REASON
from grants.core.fields import COUNTED, text_field
from grants.core.translatable import lazy_text as _l
from grants.core.validators import sent_number


class SubmitApplicationForm(FlaskForm):
    """Check your answers' button: carries the version of the application that was checked."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        return sent_number(self.version.data)


class WithdrawApplicationForm(FlaskForm):
    reason = text_field(_l("Why are you withdrawing the application?"), kind=COUNTED,
                        limit=MAX_WITHDRAWAL_REASON, named=_l("The reason"),
                        required=_l("Enter why you are withdrawing the application"))
