"""The admin's form for a new office.

Fields check what one answer must look like; the shapes of identifiers, a colour and a day,
and what another office has taken already, are the operations' and come back as field errors.
"""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField
from wtforms.validators import InputRequired, NumberRange

from grants.core.fields import BOX, WholeNumberField, text_field
from grants.offices.models import LIMITS
from grants.offices.operations.creating import OfficeDetails

MAX_ADDRESS_LENGTH = 500


# Fields are declared in the order of the page, which the error summary follows.
class NewOfficeForm(FlaskForm):
    name = text_field(
        "Name", limit=LIMITS["name"], named="Name", required="Enter the office's name",
        description="For example, Office of the Police and Crime Commissioner for Dyfed-Powys")
    short_name = text_field(
        "Short name", limit=LIMITS["short_name"], named="Short name",
        required="Enter the office's short name", description="For example, Dyfed-Powys")
    slug = text_field(
        "Slug", limit=LIMITS["slug"], named="Slug", required="Enter the office's slug",
        description=("Its part of the service's addresses: lower-case letters, digits and "
                     "hyphens, for example dyfed-powys"))
    funder_org_id = text_field(
        "360Giving org-id", limit=LIMITS["funder_org_id"], named="Org-id",
        required="Enter the office's org-id",
        description="The funder's identifier in 360Giving data, for example GB-GOR-PC000105")
    grant_id_prefix = text_field(
        "Grant-id prefix", limit=LIMITS["grant_id_prefix"], named="Grant-id prefix",
        required="Enter the office's grant-id prefix",
        description="The prefix 360Giving gave the office, for example 360G-dppcc")
    funder_name = text_field(
        "Funder name (optional)", limit=LIMITS["funder_name"], named="Funder name",
        description="The office as 360Giving data names it, if not by its name")
    contact_email = text_field(
        "Contact email address", limit=LIMITS["contact_email"], named="Contact email",
        required="Enter the office's contact email address",
        description="The grants team's address, which pages and emails give")
    postal_address = text_field("Postal address (optional)", limit=MAX_ADDRESS_LENGTH,
                                named="Postal address", kind=BOX)
    logo = text_field(
        "Logo (optional)", limit=LIMITS["logo"], named="Logo",
        description="An SVG or PNG file under the service's static folder, like images/logo.svg")
    brand_colour = text_field(
        "Brand colour", limit=7, named="Brand colour", required="Enter the brand colour",
        description="# and six hexadecimal digits, for example #3f2577", default="#3f2577")
    financial_year_start_day = WholeNumberField(
        "Day the financial year starts", default=1,
        validators=[InputRequired("Enter the day the financial year starts"),
                    NumberRange(1, 31, "The day must be between 1 and 31")],
        description="For example, 1")
    financial_year_start_month = WholeNumberField(
        "Month the financial year starts", default=4,
        validators=[InputRequired("Enter the month the financial year starts"),
                    NumberRange(1, 12, "The month must be between 1 and 12")],
        description="For example, 4 for April")
    welsh = BooleanField("The office offers its service in Welsh too",
                         widget=GovCheckboxInput())

    def details(self) -> OfficeDetails:
        text = {name: getattr(self, name).data or "" for name in (
            "name", "short_name", "slug", "funder_org_id", "grant_id_prefix", "funder_name",
            "contact_email", "postal_address", "logo", "brand_colour")}
        return OfficeDetails(**text,
                             financial_year_start_month=self.financial_year_start_month.data,
                             financial_year_start_day=self.financial_year_start_day.data,
                             welsh=bool(self.welsh.data))
