"""The organisation form: what it is, its numbers, where it is, who to contact."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from grants.core.fields import BOX, radio_field, text_field
from grants.core.money import MoneyError, parse_pounds, pounds_text
from grants.core.refusals import in_page_language
from grants.core.translatable import lazy_text as _l
from grants.core.validators import strip_text as _strip
from grants.core.widgets import Select, TextInput
from grants.organisations.models import CharityRegulator, OrganisationType
from grants.organisations.operations import identifiers
from grants.organisations.operations.joining import COMPANY
from grants.organisations.operations.registration import OrganisationDetails


class OrganisationForm(FlaskForm):
    name = text_field(_l("Organisation name"), limit=200, named=_l("Name"),
                      required=_l("Enter the organisation's name"))
    organisation_type = radio_field(
        _l("What type of organisation is it?"),
        choices=[(kind.value, _l(kind.label)) for kind in OrganisationType],
        required=_l("Select the type of organisation"))
    # Charity status is asked once: a registered charity gives its number, and the number's
    # form says which register it is on (`identifiers.charity_regulator_for`).
    charity_number = text_field(
        _l("Charity number (if it is a registered charity)"), limit=20,
        named=_l("Charity number"),
        description=_l("For example, 1123456 in England and Wales, SC012345 in Scotland or "
                       "NIC100123 in Northern Ireland"))
    company_number = text_field(
        _l("Company number (optional)"), limit=20, named=_l("Company number"),
        description=_l("If it is a company, CIC or registered society. For example, "
                       "01234567"))
    address = text_field(_l("Address"), limit=500, named=_l("Address"), kind=BOX,
                         required=_l("Enter the organisation's address"))
    postcode = StringField(
        _l("Postcode"), filters=[_strip],
        validators=[DataRequired(_l("Enter a postcode")),
                    Length(max=10, message=_l("Enter a real postcode, like RG1 1AA"))],
        widget=TextInput())
    local_authority_id = SelectField(
        _l("Local authority area"),
        description=_l("The council whose area the organisation is based in"),
        coerce=str, validate_choice=False,
        validators=[DataRequired(_l("Select the local authority area the organisation is "
                                    "in"))],
        widget=Select())
    annual_income = StringField(
        _l("Annual income (optional)"), filters=[_strip],
        description=_l("From the latest accounts, in pounds. For example, 25000"),
        widget=TextInput())
    contact_name = text_field(_l("Main contact's name"), limit=200, named=_l("Name"),
                              required=_l("Enter the main contact's name"))
    contact_email = text_field(
        _l("Main contact's email address"), limit=254, named=_l("Email address"),
        required=_l("Enter the main contact's email address"),
        validators=[Email(_l("Enter an email address in the correct format, like "
                             "name@example.org"))])
    contact_phone = text_field(_l("Main contact's phone number (optional)"), limit=40,
                               named=_l("Phone number"))

    def set_local_authorities(self, authorities) -> None:
        self.local_authority_id.choices = [("", _l("Select a council"))] + [
            (str(a.id), a.proper_name) for a in authorities
        ]

    def start_from(self, user) -> None:
        """A new registration's main contact starts as the person registering it."""
        self.contact_name.data = user.name
        self.contact_email.data = user.email

    def validate_annual_income(self, field) -> None:
        if field.data:
            try:
                parse_pounds(field.data)
            except MoneyError as error:
                raise ValidationError(in_page_language(str(error))) from None

    def charity_regulator(self) -> CharityRegulator | None:
        """The register the charity number given is on; None without a number."""
        number = self.charity_number.data or ""
        return identifiers.charity_regulator_for(number) if number.strip() else None

    def details(self) -> OrganisationDetails:
        return OrganisationDetails(
            name=self.name.data or "",
            organisation_type=OrganisationType(self.organisation_type.data),
            charity_regulator=self.charity_regulator(),
            charity_number=self.charity_number.data or "",
            company_number=self.company_number.data or "",
            address=self.address.data or "",
            postcode=self.postcode.data or "",
            local_authority_id=int(self.local_authority_id.data)
            if (self.local_authority_id.data or "").isdigit() else None,
            annual_income_pence=parse_pounds(self.annual_income.data)
            if self.annual_income.data else None,
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "",
        )

    def fill_from(self, organisation) -> None:
        """Fill the fields from an organisation, for editing."""
        self.name.data = organisation.name
        self.organisation_type.data = organisation.organisation_type.value
        self.charity_number.data = _as_typed(organisation)
        self.company_number.data = organisation.company_number or ""
        self.address.data = organisation.address
        self.postcode.data = organisation.postcode or ""
        self.local_authority_id.data = (str(organisation.local_authority_id)
                                        if organisation.local_authority_id else "")
        self.annual_income.data = pounds_text(organisation.annual_income_pence)
        self.contact_name.data = organisation.contact_name
        self.contact_email.data = organisation.contact_email
        self.contact_phone.data = organisation.contact_phone


def _as_typed(organisation) -> str:
    """The charity number as the form reads it back to the same register: a Northern Irish
    number kept without its NIC is shown with it."""
    number = organisation.charity_number or ""
    if (organisation.charity_regulator is CharityRegulator.CCNI and number
            and not number.upper().startswith("NIC")):
        return f"NIC{number}"
    return number


class MergeForm(FlaskForm):
    reason = text_field(
        "Why are these records one organisation?", limit=1000, named="The reason",
        required="Enter why these are one organisation", kind=BOX,
        description="For the audit trail: for example, the same group entered by a High "
                    "Sheriff before it registered")


class JoinForm(FlaskForm):
    """Asking to join an organisation by the number it is registered with."""

    kind = radio_field(
        _l("Which number will you give?"),
        choices=[(regulator.value, _l("Charity number, registered with the %(regulator)s",
                                      regulator=_l(regulator.label)))
                 for regulator in CharityRegulator]
        + [(COMPANY, _l("Company number, registered at Companies House"))],
        required=_l("Select which number you will give"))
    number = text_field(
        _l("The organisation's number"), limit=20, named=_l("The number"),
        required=_l("Enter the organisation's number"),
        description=_l("For example, 1123456, SC012345, NIC100123 or 01234567"))


class InvitationForm(FlaskForm):
    """A member inviting someone, by email address, to join the organisation."""

    email = text_field(
        _l("Email address of the person to invite"), limit=254, named=_l("Email address"),
        required=_l("Enter the email address of the person to invite"),
        description=_l("The invitation works only for an account with this email address"),
        validators=[Email(_l("Enter an email address in the correct format, like "
                             "name@example.org"))])


class AcceptInvitationForm(FlaskForm):
    """Only its CSRF token and the button that accepts an invitation."""
