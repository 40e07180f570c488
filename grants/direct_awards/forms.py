"""Forms for direct awards: recording one (or a Community Foundation allocation), signing it
off, withdrawing it before sign-off, and an allocation's onward grants, typed or uploaded.
Rules between answers and records (the key aims are the priority's, the fund's available
money, the allocation's sum) are `grants.direct_awards.operations`' and come back as field
errors."""

import dataclasses

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovSelect,
)
from wtforms import BooleanField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired

from grants.awards.forms import public_reason_field
from grants.core.fields import (
    COUNTED,
    DayMonthYearField,
    MoneyField,
    award_focus_fields,
    radio_field,
    text_field,
)
from grants.core.wording import OfficeText
from grants.direct_awards.models import (
    MAX_DELEGATE_LENGTH,
    MAX_ONWARD_NAME,
    MAX_ONWARD_ORG_ID,
    MAX_ONWARD_TITLE,
    DecisionMaker,
    DirectAwardKind,
)
from grants.direct_awards.operations.onward import OnwardGrantEntry
from grants.direct_awards.operations.recording import (
    DELEGATE_MISSING,
    MAX_TEXT,
    MAX_TITLE,
    DirectAwardEntry,
)
from grants.direct_awards.operations.signing_off import MAX_REASON

NO_ORGANISATION = 0
DECISION_MAKERS = [(DecisionMaker.COMMISSIONER.value, "The Police and Crime Commissioner"),
                   (DecisionMaker.DELEGATE.value, "Someone the Commissioner delegated it to")]


def _title_field(what: str, example: str, *, longer_example: str = ""):
    """What the money is for, in a few words: the title the register of awards and the reports
    show, of a direct award ("award") or a Community Foundation's ("allocation")."""
    return text_field(
        f"What is the {what} for?", limit=MAX_TITLE, named=f"What the {what} is for",
        required=f"Enter what the {what} is for, like {example}",
        description="In a few words, as the register of awards and the reports show it. For "
                    f"example, {longer_example or example}")


class DirectAwardForm(FlaskForm):
    organisation = SelectField(
        "Organisation", coerce=int, widget=GovSelect(),
        description="The organisation the award is made to",
        validators=[DataRequired("Choose the organisation the award is made to")],
        invalid_choice_message="Choose an organisation from the list")
    amount = MoneyField("Amount", description="In pounds, like 5000 or £5,000",
                        required_message="Enter the amount of the award", allow_zero=False)
    decided_on = DayMonthYearField(
        "Date the award was decided", called="The date the award was decided",
        required="Enter the date the award was decided",
        description="It settles the financial year the award is paid from. For example, "
                    "3 3 2027")
    decision_maker = radio_field(
        "Who decided the award?", choices=DECISION_MAKERS,
        required="Choose who decided the award",
        invalid_choice_message="Choose who decided the award")
    delegate_name = text_field(
        "If a delegate decided it, their name and role", limit=MAX_DELEGATE_LENGTH,
        named="The delegate's name and role",
        description="For example, Jane Smith, Chief Executive")
    title = _title_field("award", "Emergency repairs after a flood")
    description = text_field("Description (optional)", limit=MAX_TEXT, named="The description",
                             kind=COUNTED,
                             description="More about what the money pays for. It is published "
                                         "with the award")
    public_reason = public_reason_field(
        "Why the award was made outside a round, in plain words. It is published with the "
        "award: write it for the public, with no internal notes or personal details")
    priority, key_aims, whole_thames_valley = award_focus_fields()
    conditions = text_field(
        "Conditions of the award (optional)", limit=MAX_TEXT, named="The conditions",
        kind=COUNTED, description="The organisation sees these in its grant agreement")

    def validate(self, extra_validators=None) -> bool:
        """The delegate is named when a delegate decided: asked with the form's other answers,
        so every problem shows at once (the operation asks again)."""
        valid = super().validate(extra_validators)
        if (self.decision_maker.data == DecisionMaker.DELEGATE.value
                and not self.delegate_name.data and not self.delegate_name.errors):
            self.delegate_name.errors = [DELEGATE_MISSING]
            return False
        return valid

    def set_choices(self, organisations, priorities) -> None:
        self.organisation.choices = [(NO_ORGANISATION, "Choose an organisation"),
                                     *organisations]
        self.priority.choices = [(p.id, f"{p.code} {p.title}") for p in priorities]
        self.key_aims.choices = [(a.id, a.code) for p in priorities for a in p.key_aims]

    def entry(self) -> DirectAwardEntry:
        maker = self.decision_maker.data
        return DirectAwardEntry(
            organisation_id=self.organisation.data or None, amount_pence=self.amount.data,
            decided_on=self.decided_on.data,
            decision_maker=DecisionMaker(maker) if maker else None,
            delegate_name=self.delegate_name.data or "", title=self.title.data or "",
            public_reason=self.public_reason.data or "", priority_id=self.priority.data,
            key_aim_ids=list(self.key_aims.data or []),
            description=self.description.data or "", conditions=self.conditions.data or "",
            serves_whole_thames_valley=self.whole_thames_valley.data == "yes")


class DelegatedAwardForm(DirectAwardForm):
    """A Community Foundation allocation: a direct award to an intermediary, which grants it
    onward."""

    organisation = SelectField(
        "Community Foundation", coerce=int, widget=GovSelect(),
        description="The intermediary the money is allocated to, which makes grants from it",
        validators=[DataRequired("Choose the Community Foundation the money is allocated to")],
        invalid_choice_message="Choose an organisation from the list")
    title = _title_field("allocation", "Small grants for youth projects",
                         longer_example="Small grants for youth projects in Berkshire")

    def entry(self) -> DirectAwardEntry:
        return dataclasses.replace(super().entry(), kind=DirectAwardKind.DELEGATED)


class SignOffForm(FlaskForm):
    confirm = BooleanField(
        "I have checked the award, who decided it, and its reason as it will be published",
        widget=GovCheckboxInput())


class WithdrawForm(FlaskForm):
    reason = text_field(
        "Why is the direct award withdrawn?", limit=MAX_REASON, named="The reason",
        required="Enter why the direct award is withdrawn", kind=COUNTED,
        description="Kept with the award's record. The organisation is not told: it was never "
                    "offered")


NO_CHOICE = 0


class OnwardGrantForm(FlaskForm):
    """One onward grant the intermediary made, typed from its records."""

    recipient_name = text_field(
        "Organisation the grant went to", limit=MAX_ONWARD_NAME, named="The organisation's name",
        required="Enter the name of the organisation the grant went to")
    recipient_org_id = text_field(
        "Its org-id (optional)", limit=MAX_ONWARD_ORG_ID, named="The org-id",
        description="For example, GB-CHC-1123456 for a registered charity")
    title = text_field("What the grant is for (optional)", limit=MAX_ONWARD_TITLE,
                       named="What it is for",
                       description="For example, Mentoring for young people leaving care")
    amount = MoneyField("Amount", description="In pounds, like 2500 or £2,500",
                        required_message="Enter the amount of the grant", allow_zero=False)
    awarded_on = DayMonthYearField(
        "Date the grant was made", called="The date the grant was made",
        required="Enter the date the grant was made", description="For example, 3 9 2026")
    priority = SelectField("Priority it serves (optional)", coerce=int, widget=GovSelect(),
                           invalid_choice_message="Choose a priority from the list")
    key_aim = SelectField("Key aim it serves (optional)", coerce=int, widget=GovSelect(),
                          invalid_choice_message="Choose a key aim from the list")
    whole_thames_valley = BooleanField(OfficeText("It serves the whole of {office.short_name}"),
                                       widget=GovCheckboxInput())
    areas = SelectMultipleField(
        "Areas it serves (optional)", coerce=int, widget=GovCheckboxesInput(),
        description="The councils' areas where the work takes place. Select all that apply.",
        invalid_choice_message="Choose areas from the list")

    def set_choices(self, priorities, authorities) -> None:
        self.priority.choices = [(NO_CHOICE, "Not recorded"),
                                 *((p.id, f"{p.code} {p.title}") for p in priorities)]
        self.key_aim.choices = [(NO_CHOICE, "Not recorded"),
                                *((a.id, f"{a.code} {a.text}") for p in priorities
                                  for a in p.key_aims if not a.retired_at)]
        self.areas.choices = [(authority.id, authority.name) for authority in authorities]

    def entry(self) -> OnwardGrantEntry:
        return OnwardGrantEntry(
            recipient_name=self.recipient_name.data or "", amount_pence=self.amount.data,
            awarded_on=self.awarded_on.data, title=self.title.data or "",
            recipient_org_id=self.recipient_org_id.data or "",
            priority_id=self.priority.data or None, key_aim_id=self.key_aim.data or None,
            area_ids=list(self.areas.data or []),
            serves_whole_thames_valley=bool(self.whole_thames_valley.data))


class OnwardFileForm(FlaskForm):
    onward_file = FileField("Upload the Community Foundation's 360Giving file",
                            description="A CSV, JSON or XLSX file in the 360Giving Data Standard",
                            widget=GovFileInput())
