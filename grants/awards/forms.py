"""Forms for answering an offer, giving bank details, withdrawing an offer and recording,
rejecting and exporting payments. The services check the same rules again; the forms say
what is wrong with each field as it was typed."""

from flask_babel import gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, ValidationError

from grants.awards.operations import bank_details, offers, payments, public_reasons
from grants.core.fields import COUNTED, date_field, text_field
from grants.core.refusals import in_page_language
from grants.core.translatable import lazy_text as _l
from grants.core.validators import Pounds
from grants.core.validators import strip_text as _strip
from grants.core.widgets import CheckboxInput, TextInput


def public_reason_field(hint: str = public_reasons.HINT, *, required: bool = True):
    """The reason for an award, written for publication: the one field every form that
    decides an award asks it with. `public_reasons.public_reason_problem` is its rule, which
    the operation checks again; `required=False` where an outcome needs none (a decline)."""
    return text_field(public_reasons.LABEL, limit=public_reasons.MAX_PUBLIC_REASON,
                      named="The reason for the award", kind=COUNTED, description=hint,
                      required=public_reasons.MISSING_PUBLIC_REASON if required else None)


def _reason_field(label: str, missing: str, hint: str = "", *, named: str = "The reason"):
    return text_field(label, limit=offers.MAX_REASON, named=named, required=missing,
                      kind=COUNTED, description=hint)


class Normalised:
    """Checks a field with one of the services' normalisers; the result is kept on the field
    as `value`."""

    def __init__(self, normalise) -> None:
        self.normalise = normalise

    def __call__(self, form, field) -> None:
        try:
            field.value = self.normalise(field.data)
        except bank_details.BankDetailsError as error:
            # The error's own words (`Words`), said in the page's language.
            raise ValidationError(in_page_language(error.args[0])) from None


class AcceptOfferForm(FlaskForm):
    """The recipient's acceptance, in the page's language."""

    name = text_field(_l("Your full name"), limit=offers.MAX_NAME, named=_l("Your full name"),
                      required=_l("Enter your full name"))
    position = text_field(
        _l("Your position in the organisation"), limit=offers.MAX_NAME,
        named=_l("Your position"), required=_l("Enter your position in the organisation"),
        description=_l("For example, chair, treasurer or project manager"))
    accepted_on = date_field(_l("Date of acceptance"), example="27 3 2027",
                             required=_l("Enter the date you accept the offer"))
    confirm = BooleanField(
        description=_l("Tick only if you can act for the organisation, for example as a "
                       "trustee or an officer"),
        widget=CheckboxInput())
    organisation_name = ""

    def set_organisation(self, name: str) -> None:
        """The tick box names the organisation the person accepts for."""
        self.organisation_name = name
        self.confirm.label.text = gettext("I accept these terms on behalf of %(organisation)s",
                                          organisation=name)

    def validate_confirm(self, field) -> None:
        if not field.data:
            raise ValidationError(gettext(
                "Confirm that you accept these terms on behalf of %(organisation)s",
                organisation=self.organisation_name))


class DeclineOfferForm(FlaskForm):
    reason = _reason_field(
        _l("Why are you declining the offer?"), _l("Enter why you are declining the offer"),
        _l("For example, the project cannot go ahead. The grants team reads this."),
        named=_l("The reason"))


def _bank_field(label: str, hint: str, normalise) -> StringField:
    """One of the bank details, checked by the service's own normaliser."""
    return StringField(label, description=hint, filters=[_strip],
                       validators=[Normalised(normalise)], widget=TextInput())


class BankDetailsForm(FlaskForm):
    account_name = _bank_field(_l("Name on the account"),
                               _l("The organisation's account, as the bank shows its name"),
                               bank_details.normalise_account_name)
    sort_code = _bank_field(_l("Sort code"), _l("Must be 6 digits long"),
                            bank_details.normalise_sort_code)
    account_number = _bank_field(_l("Account number"), _l("Must be 8 digits long"),
                                 bank_details.normalise_account_number)


class WithdrawOfferForm(FlaskForm):
    reason = _reason_field(
        "Why is the offer being withdrawn?", "Enter why the offer is being withdrawn",
        "The recipient is sent this by email.")


class RecordPaymentForm(FlaskForm):
    paid_on = date_field("Date paid", example="3 4 2027", required="Enter the date of the payment")
    amount = StringField(
        "Amount paid", filters=[_strip],
        validators=[DataRequired("Enter the amount paid"), Pounds(allow_zero=False)],
        widget=GovTextInput())
    reference = text_field(
        "Payment reference", limit=payments.MAX_REFERENCE, named="The reference",
        required="Enter the payment reference",
        description="The reference on the bank transfer or the finance system")


class RejectPaymentForm(FlaskForm):
    reason = _reason_field(
        "Why are you rejecting the payment?", "Enter why you are rejecting the payment",
        "The member of staff who recorded it sees this.")


class FinanceExportForm(FlaskForm):
    """The date range of the finance download (sent with GET, so no CSRF token)."""

    class Meta:
        csrf = False

    date_from = date_field("From", example="1 4 2027", required="Enter the first date")
    date_to = date_field("To", example="30 4 2027", required="Enter the last date")
