"""Forms for nominating (an organisation found, or a new one), changing a nomination, and
staff's answers. Rules between answers and records (the priority is the round's, the county's
allocation) are `grants.nominations.operations`' and come back as field errors."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from grants.awards.forms import public_reason_field
from grants.core.fields import MoneyField, radio_field
from grants.core.validators import strip_text as _strip
from grants.nominations.operations.finding import MAX_TEXT, nominable_types
from grants.nominations.operations.nominating import MAX_PURPOSE, NominationInput
from grants.organisations.forms import OrganisationForm


def _length(label: str, maximum: int = MAX_TEXT) -> Length:
    return Length(max=maximum, message=f"{label} must be {maximum:,} characters or fewer")


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Organisation name, charity number or company number", filters=[_strip],
                    validators=[_length("The search", 200)], widget=GovTextInput())


class _NominationFields:
    """The fields every nomination has, whichever way the organisation was given."""

    amount = MoneyField("Amount to award, in pounds", required_message="Enter the amount to "
                        "award, in pounds", allow_zero=False)
    priority_id = radio_field(
        "Which priority of the Police and Crime Plan does it support?", coerce=str,
        validate_choice=False, required="Select the priority the award supports")
    purpose = StringField(
        "What is the money for?", description="For example, a summer programme of sport for "
        "young people in Slough", filters=[_strip],
        validators=[DataRequired("Enter what the money is for"),
                    _length("What the money is for", MAX_PURPOSE)], widget=GovTextInput())
    reason = TextAreaField(
        "Why does the organisation deserve support?", filters=[_strip],
        validators=[DataRequired("Enter why the organisation deserves support"),
                    _length("The reason")], widget=GovTextArea())

    def set_priorities(self, round_) -> None:
        self.priority_id.choices = [(str(p.id), f"{p.code} {p.title}")
                                    for p in round_.priorities]

    def _common(self) -> dict:
        priority = self.priority_id.data or ""
        return {"amount_pence": self.amount.data,
                "priority_id": int(priority) if str(priority).isdigit() else None,
                "purpose": self.purpose.data or "", "reason": self.reason.data or ""}

    def fill_from(self, nomination) -> None:
        self.amount.data = nomination.amount_pence
        self.priority_id.data = str(nomination.priority_id)
        self.purpose.data = nomination.purpose
        self.reason.data = nomination.reason


class _ContactFields:
    contact_name = StringField(
        "Contact's name (optional)", filters=[_strip],
        description="The person at the organisation who hears about the award. Leave blank "
                    "to use the organisation's main contact",
        validators=[_length("Name", 200)], widget=GovTextInput())
    contact_email = StringField(
        "Contact's email address (optional)", filters=[_strip],
        validators=[Optional(), _length("Email address", 254),
                    Email("Enter an email address in the correct format, like "
                          "name@example.org")], widget=GovTextInput())


class ExistingNominationForm(_NominationFields, _ContactFields, FlaskForm):
    """Nominating an organisation found by searching."""

    organisation_id = HiddenField()

    def nomination_input(self) -> NominationInput:
        organisation = self.organisation_id.data or ""
        return NominationInput(
            **self._common(),
            organisation_id=int(organisation) if organisation.isdigit() else None,
            contact_name=self.contact_name.data or "", contact_email=self.contact_email.data or "")


class NewOrganisationNominationForm(_NominationFields, OrganisationForm):
    """Nominating an organisation the service does not know: the registration questions, its
    contact (invited to claim its account), then the nomination."""

    def set_priorities(self, round_) -> None:
        """The round's priorities, and only the types of organisation its awards may go to."""
        super().set_priorities(round_)
        self.organisation_type.choices = [(kind.value, kind.label)
                                          for kind in nominable_types(round_)]

    def nomination_input(self) -> NominationInput:
        return NominationInput(**self._common(), organisation=self.details())


class EditNominationForm(_NominationFields, _ContactFields, FlaskForm):
    def nomination_input(self) -> NominationInput:
        return NominationInput(**self._common(), contact_name=self.contact_name.data or "",
                               contact_email=self.contact_email.data or "")

    def fill_from(self, nomination) -> None:
        super().fill_from(nomination)
        self.contact_name.data = nomination.contact_name
        self.contact_email.data = nomination.contact_email


class ApproveForm(FlaskForm):
    public_reason = public_reason_field()
    conditions = TextAreaField(
        "Conditions of the award (optional)",
        description="The organisation sees these with the offer", filters=[_strip],
        validators=[_length("The conditions")], widget=GovTextArea())


class ChangesForm(FlaskForm):
    comment = TextAreaField(
        "What should the High Sheriff change?", filters=[_strip],
        validators=[DataRequired("Enter what the High Sheriff should change"),
                    _length("The comment")], widget=GovTextArea())


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        "Why is the nomination declined?", description="The High Sheriff sees this reason",
        filters=[_strip],
        validators=[DataRequired("Enter why the nomination is declined"),
                    _length("The reason")], widget=GovTextArea())


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


__all__ = ["ActionForm", "ApproveForm", "ChangesForm", "DeclineForm", "EditNominationForm",
           "ExistingNominationForm", "NewOrganisationNominationForm", "SearchForm"]
