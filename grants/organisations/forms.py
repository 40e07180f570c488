"""The organisation form: what it is, its numbers, where it is, who to contact."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from grants.core.money import MoneyError, parse_pounds, pounds_text
from grants.core.validators import strip_text as _strip
from grants.organisations.models import CharityRegulator, OrganisationType
from grants.organisations.operations.registration import OrganisationDetails

NOT_A_CHARITY = "none"


class OrganisationForm(FlaskForm):
    name = StringField(
        "Organisation name", filters=[_strip],
        validators=[DataRequired("Enter the organisation's name"),
                    Length(max=200, message="Name must be 200 characters or fewer")],
        widget=GovTextInput())
    organisation_type = RadioField(
        "What type of organisation is it?",
        choices=[(kind.value, kind.label) for kind in OrganisationType],
        validators=[InputRequired("Select the type of organisation")],
        widget=GovRadioInput())
    charity_regulator = RadioField(
        "Is it a registered charity?",
        choices=[(NOT_A_CHARITY, "No, it is not a registered charity")]
        + [(regulator.value, f"Yes, with the {regulator.label}")
           for regulator in CharityRegulator],
        default=NOT_A_CHARITY,
        validators=[InputRequired("Select whether it is a registered charity")],
        widget=GovRadioInput())
    charity_number = StringField(
        "Charity number", filters=[_strip],
        description="Only if it is a registered charity. For example, 1123456, SC012345 or "
                    "NIC100123",
        validators=[Length(max=20, message="Charity number must be 20 characters or fewer")],
        widget=GovTextInput())
    company_number = StringField(
        "Company number (optional)", filters=[_strip],
        description="If it is a company, CIC or registered society. For example, 01234567",
        validators=[Length(max=20, message="Company number must be 20 characters or fewer")],
        widget=GovTextInput())
    address = TextAreaField(
        "Address", filters=[_strip],
        validators=[DataRequired("Enter the organisation's address"),
                    Length(max=500, message="Address must be 500 characters or fewer")],
        widget=GovTextArea())
    postcode = StringField(
        "Postcode", filters=[_strip],
        validators=[DataRequired("Enter a postcode"),
                    Length(max=10, message="Enter a real postcode, like RG1 1AA")],
        widget=GovTextInput())
    local_authority_id = SelectField(
        "Local authority area", description="The council area the organisation is based in",
        coerce=str, validate_choice=False,
        validators=[DataRequired("Select the local authority area the organisation is in")],
        widget=GovSelect())
    annual_income = StringField(
        "Annual income (optional)", filters=[_strip],
        description="From the latest accounts, in pounds. For example, 25000",
        widget=GovTextInput())
    contact_name = StringField(
        "Main contact's name", filters=[_strip],
        validators=[DataRequired("Enter the main contact's name"),
                    Length(max=200, message="Name must be 200 characters or fewer")],
        widget=GovTextInput())
    contact_email = StringField(
        "Main contact's email address", filters=[_strip],
        validators=[DataRequired("Enter the main contact's email address"),
                    Length(max=254, message="Email address must be 254 characters or fewer"),
                    Email("Enter an email address in the correct format, like "
                          "name@example.org")],
        widget=GovTextInput())
    contact_phone = StringField(
        "Main contact's phone number (optional)", filters=[_strip],
        validators=[Optional(), Length(max=40, message="Phone number must be 40 characters "
                                                        "or fewer")],
        widget=GovTextInput())

    def set_local_authorities(self, authorities) -> None:
        self.local_authority_id.choices = [("", "Select an area")] + [
            (str(a.id), f"{a.name} ({a.county.name})") for a in authorities
        ]

    def validate_annual_income(self, field) -> None:
        if field.data:
            try:
                parse_pounds(field.data)
            except MoneyError as error:
                raise ValidationError(str(error)) from None

    def details(self) -> OrganisationDetails:
        regulator = self.charity_regulator.data
        return OrganisationDetails(
            name=self.name.data or "",
            organisation_type=OrganisationType(self.organisation_type.data),
            charity_regulator=(None if regulator == NOT_A_CHARITY
                               else CharityRegulator(regulator)),
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
        self.charity_regulator.data = (organisation.charity_regulator.value
                                       if organisation.charity_regulator else NOT_A_CHARITY)
        self.charity_number.data = organisation.charity_number or ""
        self.company_number.data = organisation.company_number or ""
        self.address.data = organisation.address
        self.postcode.data = organisation.postcode or ""
        self.local_authority_id.data = (str(organisation.local_authority_id)
                                        if organisation.local_authority_id else "")
        self.annual_income.data = pounds_text(organisation.annual_income_pence)
        self.contact_name.data = organisation.contact_name
        self.contact_email.data = organisation.contact_email
        self.contact_phone.data = organisation.contact_phone
