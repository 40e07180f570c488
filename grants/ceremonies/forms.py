"""Forms for the ceremony: planning it, choosing whom to invite, an organisation's reply (or
staff's record of one taken by phone), and staff sending an invitation again or cancelling it.
Rules between answers and records (a date in the future, a recipient with a public award, the
number of people when coming) are `grants.ceremonies.operations`' and come back as field
errors."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput
from wtforms import RadioField, SelectMultipleField

from grants.ceremonies.models import (
    MAX_ACCESS_NEEDS_LENGTH,
    MAX_ADDRESS_LENGTH,
    MAX_NAMES_LENGTH,
    MAX_NOTES_LENGTH,
    MAX_PLACE_LENGTH,
    MAX_TITLE_LENGTH,
    MOST_GUESTS,
)
from grants.ceremonies.operations.changing import MAX_ADDRESS, MAX_MESSAGE
from grants.ceremonies.operations.planning import CeremonyEntry
from grants.ceremonies.operations.replying import (
    ATTENDING_MISSING,
    Reply,
)
from grants.core import clock
from grants.core.fields import BOX, COUNTED, DayMonthYearField, TimeOfDayField, text_field
from grants.core.translatable import lazy_text as _l
from grants.core.widgets import RadioInput

EVERY_FUND = 0
YES, NO = "yes", "no"
YES_NO = [(YES, "Yes"), (NO, "No")]
# The same, in the page's language, for the invited organisation's reply.
REPLY_YES_NO = [(YES, _l("Yes")), (NO, _l("No"))]


def _yes_no(value: str | None) -> bool | None:
    return {YES: True, NO: False}.get(value or "")


def _number(value: str | None) -> int | None:
    """The number chosen; anything else that was sent is out of range (-1)."""
    if not value:
        return None
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 2 else -1


class CeremonyForm(FlaskForm):
    title = text_field("Title", limit=MAX_TITLE_LENGTH, named="The title",
                       required="Enter the ceremony's title",
                       description="For example, Police Property Act Fund awards 2026/27")
    day = DayMonthYearField("Date", called="The date", required="Enter the date of the "
                            "ceremony", description="For example, 19 3 2027")
    at = TimeOfDayField("Start time")
    place = text_field("Place", limit=MAX_PLACE_LENGTH, named="The place",
                       required="Enter where the ceremony is held",
                       description="For example, Oxford Town Hall")
    address = text_field("Address (optional)", limit=MAX_ADDRESS_LENGTH, named="The address",
                         kind=BOX)
    notes = text_field("Notes for guests (optional)", limit=MAX_NOTES_LENGTH, named="The notes",
                       kind=COUNTED, description="Sent with the invitation: parking, "
                       "how to find the room, what to expect on the day")
    fund = RadioField("Whose recipients are invited?", coerce=int, widget=GovRadioInput(),
                      default=EVERY_FUND, invalid_choice_message="Choose a fund from the list")
    financial_year = RadioField(
        "Financial year", widget=GovRadioInput(),
        description="Organisations with a published award of this year are invited",
        invalid_choice_message="Choose the financial year whose recipients are invited")

    def set_choices(self, funds, years: list[str]) -> None:
        self.fund.choices = [(EVERY_FUND, "Every fund"),
                             *[(fund.id, fund.name) for fund in funds]]
        self.financial_year.choices = [(year, year) for year in years]

    def fill_from(self, ceremony) -> None:
        """The ceremony's details as they are, to change."""
        starts = clock.to_london(ceremony.starts_at)
        self.title.data, self.place.data = ceremony.title, ceremony.place
        self.day.data, self.at.data = starts.date(), clock.time_text(starts.time())
        self.address.data, self.notes.data = ceremony.address, ceremony.notes
        self.fund.data = ceremony.fund_id or EVERY_FUND
        self.financial_year.data = ceremony.financial_year

    def entry(self) -> CeremonyEntry:
        return CeremonyEntry(
            title=self.title.data or "", day=self.day.data, at=self.at.time,
            place=self.place.data or "", address=self.address.data or "",
            notes=self.notes.data or "", fund_id=self.fund.data or None,
            financial_year=self.financial_year.data or "")


class InviteForm(FlaskForm):
    organisations = SelectMultipleField(
        "Organisations to invite", coerce=int, widget=GovCheckboxesInput(),
        invalid_choice_message="Choose organisations from the list")

    def set_choices(self, recipients) -> None:
        self.organisations.choices = [(r.organisation.id, r.organisation.name)
                                      for r in recipients if not r.invited]


class ReplyForm(FlaskForm):
    """The invited organisation's reply, in the page's language."""

    attending = RadioField(_l("Will you attend?"), choices=REPLY_YES_NO, widget=RadioInput(),
                           invalid_choice_message=_l(ATTENDING_MISSING))
    guests = RadioField(
        _l("How many people will come?"), choices=[(str(n), str(n)) for n in
                                                   range(1, MOST_GUESTS + 1)],
        widget=RadioInput(),
        description=_l("Up to %(most)s, including yourself", most=MOST_GUESTS),
        # Asked only of those coming: the operation checks it then.
        validate_choice=False)
    guest_names = text_field(_l("Their names (optional)"), limit=MAX_NAMES_LENGTH,
                             named=_l("The names"), kind=BOX,
                             description=_l("For the guest list and name badges"))
    access_needs = text_field(
        _l("Access needs (optional)"), limit=MAX_ACCESS_NEEDS_LENGTH,
        named=_l("The access needs"), kind=BOX,
        description=_l("Anything anyone coming needs to take part: step-free access, a "
                       "hearing loop, a seat near the front, dietary needs"))
    photo_consent = RadioField(
        _l("May the people attending be photographed?"), choices=REPLY_YES_NO,
        widget=RadioInput(),
        description=_l("Photographs of the ceremony may be published by the Office of the "
                       "Police and Crime Commissioner"),
        validate_choice=False)

    def fill_from(self, invitation) -> None:
        """The reply already given, to change."""
        if invitation.attending is not None:
            self.attending.data = YES if invitation.attending else NO
        if invitation.guests:
            self.guests.data = str(invitation.guests)
        self.guest_names.data = invitation.guest_names
        self.access_needs.data = invitation.access_needs
        if invitation.photo_consent is not None:
            self.photo_consent.data = YES if invitation.photo_consent else NO

    def reply(self) -> Reply:
        return Reply(attending=_yes_no(self.attending.data),
                     guests=_number(self.guests.data),
                     guest_names=self.guest_names.data or "",
                     access_needs=self.access_needs.data or "",
                     photo_consent=_yes_no(self.photo_consent.data))


class PhoneReplyForm(ReplyForm):
    """The reply as the organisation gave it by phone, typed by staff on its behalf."""


class SendAgainForm(FlaskForm):
    sent_to = text_field(
        "Email address", limit=MAX_ADDRESS, named="The email address",
        required="Enter the email address to send the invitation to",
        description="The invitation goes to this address from now on, for example the "
                    "organisation's new contact")


class CancelInvitationForm(FlaskForm):
    message = text_field(
        "Message to the organisation (optional)", limit=MAX_MESSAGE, named="The message",
        kind=COUNTED, description="Sent with the news that the invitation is cancelled")
