"""The audit log's filters, and the form asking whose data to export."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from grants.core.fields import DayMonthYearField
from grants.core.validators import strip_text as _strip


def _person(label: str, *, description: str, first) -> StringField:
    """Whom a form looks up, by email address (an address is never longer than 254
    characters); `first` says whether the answer may be left empty."""
    return StringField(label, description=description, filters=[_strip],
                       validators=[first, Length(max=254, message="Enter 254 characters or fewer")],
                       widget=GovTextInput())


class AuditFilterForm(FlaskForm):
    # Filters are a GET form: bookmarkable, changing nothing, so no CSRF token.
    class Meta:
        csrf = False

    user = _person("Who did it", description="Their email address or user number",
                   first=Optional())
    # Choices are the kinds the log holds; any other simply matches no events.
    entity_type = SelectField("Kind of record", choices=[("", "Any")], default="",
                              validate_choice=False, widget=GovSelect())
    entity_id = IntegerField(
        "Record number",
        validators=[Optional(), NumberRange(min=1, max=2**62,
                                            message="Enter a whole number, like 12")],
        widget=GovTextInput(),
    )
    from_day = DayMonthYearField("From", called="The start date",
                                 description="For example, 27 3 2026")
    to_day = DayMonthYearField("To", called="The end date", description="Included")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.from_day.data and self.to_day.data \
                and self.to_day.data < self.from_day.data:
            self.to_day.errors.append("The end date must be the same as or after the start date")
            return False
        return valid


class ExportPersonForm(FlaskForm):
    email = _person("Email address of the person", description="The address they sign in with",
                    first=DataRequired("Enter the person's email address"))
