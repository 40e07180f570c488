"""What each kind of document needs, in one place: the date it carries, how long it stays good
for an application, whether an organisation keeps one or several, and what the pages ask.

A safeguarding policy must have been reviewed within the last 12 months; accounts must be for a
year that ended within the last 18 months; a governing document does not go out of date.
Every page, check and test asks `is_current` and `review_due`, never the months themselves.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from grants.core.translatable import N_, Words
from grants.documents.models import DocumentKind


@dataclass(frozen=True)
class KindRule:
    kind: DocumentKind
    # What the file field says to do: "Upload your safeguarding policy".
    upload_label: str
    # The question for the document's date ("When was it last reviewed?"), and how a page
    # names that date ("Last reviewed"); none for a kind without a date.
    date_question: str | None
    date_name: str | None
    # The message when the date is left empty.
    date_missing: str | None
    # How many months after its date the document goes out of date; none: it does not.
    months_good: int | None
    # Whether an application must have one (supporting documents are the applicant's choice).
    required: bool
    # Whether an organisation keeps several of this kind, or one that a new upload replaces.
    several: bool
    # Why a document of this kind is out of date, for the applicant: "{} more than 12 months
    # ago" after "It was last reviewed on 3 May 2025,".
    stale_reason: str = ""
    # What an application asks of it, after "your safeguarding policy": "reviewed in the last
    # 12 months".
    need: str = ""

    @property
    def label(self) -> str:
        return self.kind.label

    # Every text above is marked for the catalogue (grants.core.translatable): a page says it
    # in its language with `_(…)`, or `| in_page_language` for one with a number in it.

    @property
    def words(self) -> str:
        """The kind in the middle of a sentence: "safeguarding policy"."""
        return self.kind.label.lower()


POLICY_MONTHS = 12
ACCOUNTS_MONTHS = 18


def _goes_out_of_date(kind: DocumentKind, upload_label: str, date_question: str, date_name: str,
                      date_missing: str, months: int, stale_reason: str, need: str) -> KindRule:
    """A kind every application needs one of, kept one at a time, that goes out of date
    `months` after its date: the months its reasons give."""
    return KindRule(kind, upload_label, date_question, date_name, date_missing,
                    months_good=months, required=True, several=False,
                    stale_reason=Words(stale_reason, months=months),
                    need=Words(need, months=months))


RULES: dict[DocumentKind, KindRule] = {rule.kind: rule for rule in (
    _goes_out_of_date(
        DocumentKind.SAFEGUARDING_POLICY, N_("Upload your safeguarding policy"),
        N_("When was your safeguarding policy last reviewed?"), N_("Last reviewed"),
        N_("Enter the date your safeguarding policy was last reviewed"), POLICY_MONTHS,
        N_("A safeguarding policy must have been reviewed in the last %(months)s months"),
        N_("reviewed in the last %(months)s months")),
    _goes_out_of_date(
        DocumentKind.LATEST_ACCOUNTS, N_("Upload your latest accounts"),
        N_("When did the year of these accounts end?"), N_("Year ended"),
        N_("Enter the date the year of your accounts ended"), ACCOUNTS_MONTHS,
        N_("Accounts must be for a year that ended in the last %(months)s months"),
        N_("for a year that ended in the last %(months)s months")),
    KindRule(
        DocumentKind.GOVERNING_DOCUMENT, N_("Upload your governing document"),
        N_("When was your governing document adopted or last changed?"),
        N_("Adopted or last changed"),
        N_("Enter the date your governing document was adopted or last changed"),
        months_good=None, required=True, several=False,
        need=N_("for example your constitution, trust deed or articles of association")),
    KindRule(
        DocumentKind.SUPPORTING_DOCUMENT, N_("Upload any supporting documents"),
        None, None, None, months_good=None, required=False, several=True,
        need=N_("for example quotes or letters of support")),
)}

REQUIRED_KINDS = tuple(kind for kind, rule in RULES.items() if rule.required)


def rule_for(kind: DocumentKind) -> KindRule:
    return RULES[kind]


def months_after(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due(kind: DocumentKind, document_date: date | None) -> date | None:
    """The last day a document of this kind and date is good for an application; none when it
    does not go out of date (or has no date to judge by)."""
    months = RULES[kind].months_good
    if months is None or document_date is None:
        return None
    return months_after(document_date, months)


def is_current(kind: DocumentKind, document_date: date | None, today: date) -> bool:
    """Whether a document of this kind and date is good for an application made today. A kind
    that goes out of date needs its date; a date in the future is not a real one yet."""
    if RULES[kind].months_good is None:
        return True
    if document_date is None or document_date > today:
        return False
    return today <= review_due(kind, document_date)


def date_problem(kind: DocumentKind, document_date: date | None, today: date) -> str | None:
    """What is wrong with the date given for a document of this kind, or None."""
    rule = RULES[kind]
    if rule.date_question is None:
        return None
    if document_date is None:
        return rule.date_missing
    if document_date > today:
        return N_("The date must be today or in the past")
    return None
