"""Forms for a fund's money: recording money paid in, and importing it from a CSV file."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput

from grants.core.fields import DayMonthYearField, MoneyField, text_field
from grants.funds.models import FINANCIAL_YEAR_LENGTH
from grants.ledger.models import MAX_REFERENCE_LENGTH, MAX_SOURCE_LENGTH
from grants.ledger.operations.paid_in import PaidInEntry, written_year


def _year(value: str | None) -> str | None:
    return written_year(value) if isinstance(value, str) else value


class PaidInForm(FlaskForm):
    received_on = DayMonthYearField(
        "Date received", called="The date received",
        required="Enter the date the money was received", description="For example, 15 7 2019")
    amount = MoneyField("Amount", description="In pounds, like 24300 or £24,300.50",
                        required_message="Enter the amount paid in", allow_zero=False)
    source = text_field(
        "Source", limit=MAX_SOURCE_LENGTH, named="The source",
        required="Enter where the money came from",
        description="Where the money came from, for example Proceeds of property")
    reference = text_field(
        "Reference", limit=MAX_REFERENCE_LENGTH, named="The reference",
        required="Enter the reference",
        description="The finance system's or the bank transfer's reference, for example "
                    "Proceeds of property, Q3 2019/20")
    financial_year = text_field(
        "Financial year (optional)", limit=FINANCIAL_YEAR_LENGTH, named="Financial year",
        filters=[_year],
        description="The year the money counts in, like 2019/20. Leave it blank for the year "
                    "of the date received. Proceeds of the last quarter that arrive in April "
                    "can count in the year before")

    def entry(self) -> PaidInEntry:
        return PaidInEntry(received_on=self.received_on.data, amount_pence=self.amount.data,
                           source=self.source.data or "", reference=self.reference.data or "",
                           financial_year=self.financial_year.data or "")


class PaidInFileForm(FlaskForm):
    paid_in_file = FileField("Upload a CSV file", widget=GovFileInput())
