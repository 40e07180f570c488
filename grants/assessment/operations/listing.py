"""The staff list of a round's applications: filters, search, sorting, pages and the CSV.

A page of the list takes a fixed number of queries however many applications the round has:
the round (with its priorities), the filter choices (local authorities with their counties,
and counties), the count, and one page of rows with the organisation, its local authority and
county, and the primary priority joined in.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, contains_eager, joinedload, load_only, selectinload

from grants.applications.models import Application, ApplicationStatus, QuestionAnswer
from grants.applications.operations import questions as round_questions
from grants.areas.models import County, LocalAuthority
from grants.core import clock, data_version
from grants.core.errors import or_not_found
from grants.core.money import pounds_decimal
from grants.core.paging import Page, page_number, page_of
from grants.core.spreadsheets import csv_text
from grants.funds.models import QuestionSection, Round
from grants.organisations.models import Organisation, OrganisationType
from grants.plans.models import Priority

PAGE_SIZE = 50
MAX_SEARCH_LENGTH = 100

# What staff call each status. Drafts are not listed: they have not been sent.
STATUS_LABELS = {
    ApplicationStatus.DRAFT: "Draft",
    ApplicationStatus.SUBMITTED: "Submitted",
    ApplicationStatus.ELIGIBLE: "Eligible",
    ApplicationStatus.INELIGIBLE: "Not eligible",
    ApplicationStatus.IN_REVIEW: "In review",
    ApplicationStatus.AWARDED: "Awarded",
    ApplicationStatus.DECLINED: "Declined",
    ApplicationStatus.WITHDRAWN: "Withdrawn",
    ApplicationStatus.OFFER_ACCEPTED: "Offer accepted",
    ApplicationStatus.PAID: "Paid",
    ApplicationStatus.MONITORING_DUE: "Monitoring due",
    ApplicationStatus.CLOSED: "Closed",
}
LISTED_STATUSES = [status for status in ApplicationStatus if status is not ApplicationStatus.DRAFT]

# Sort keys staff can choose, each with its column; ties fall back to the application's id.
SORT_LABELS = {
    "reference": "Reference",
    "organisation": "Organisation",
    "amount": "Amount requested",
    "submitted": "Submitted",
}
DEFAULT_SORT = "reference"


def _sort_column(sort: str) -> Any:
    return {
        "reference": Application.sequence,
        "organisation": func.lower(Organisation.name),
        "amount": Application.amount_requested_pence,
        "submitted": Application.submitted_at,
    }[sort]


def _int_or_none(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _enum_or_none(kind: type, value: Any) -> Any:
    return next((member for member in kind if member.value == value), None)


@dataclass(frozen=True)
class ApplicationFilters:
    """What staff asked the list for, read leniently from the query string: anything not
    understood is ignored rather than refused."""

    status: ApplicationStatus | None = None
    priority_id: int | None = None
    local_authority_id: int | None = None
    county_id: int | None = None
    organisation_type: OrganisationType | None = None
    search: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> "ApplicationFilters":
        status = _enum_or_none(ApplicationStatus, args.get("status"))
        sort = args.get("sort") if args.get("sort") in SORT_LABELS else DEFAULT_SORT
        return cls(
            status=status if status is not ApplicationStatus.DRAFT else None,
            priority_id=_int_or_none(args.get("priority")),
            local_authority_id=_int_or_none(args.get("local_authority")),
            county_id=_int_or_none(args.get("county")),
            organisation_type=_enum_or_none(OrganisationType, args.get("organisation_type")),
            search=str(args.get("q") or "").strip()[:MAX_SEARCH_LENGTH],
            sort=sort,
            descending=args.get("direction") == "desc",
            page=page_number(args.get("page")),
        )

    def query_args(self, **changes: Any) -> dict[str, Any]:
        """The query string for these filters (with `changes`), leaving out the defaults."""
        chosen = replace(self, **changes) if changes else self
        args = {
            "status": chosen.status.value if chosen.status else None,
            "priority": chosen.priority_id,
            "local_authority": chosen.local_authority_id,
            "county": chosen.county_id,
            "organisation_type": (chosen.organisation_type.value
                                  if chosen.organisation_type else None),
            "q": chosen.search or None,
            "sort": chosen.sort if chosen.sort != DEFAULT_SORT else None,
            "direction": "desc" if chosen.descending else None,
            "page": chosen.page if chosen.page > 1 else None,
        }
        return {name: value for name, value in args.items() if value is not None}

    def filter_args(self) -> dict[str, Any]:
        """The filters and sort without the page: for the CSV link and after bulk actions."""
        return self.query_args(page=1)

    @property
    def about_organisations(self) -> bool:
        """Whether a filter asks about the applying organisation or where it is."""
        return bool(self.local_authority_id is not None or self.county_id is not None
                    or self.organisation_type is not None or self.search)

    @property
    def is_filtered(self) -> bool:
        return any([self.status, self.priority_id, self.local_authority_id, self.county_id,
                    self.organisation_type, self.search])

    def sort_args(self, sort: str) -> dict[str, Any]:
        """The query string that sorts by `sort`: ascending first, descending when it is the
        current ascending sort."""
        descending = sort == self.sort and not self.descending
        return self.query_args(sort=sort, descending=descending, page=1)


@dataclass(frozen=True)
class FilterChoices:
    """Each filter's options as (value, words) pairs; local authorities grouped by county."""

    statuses: list[tuple[str, str]]
    priorities: list[tuple[int, str]]
    local_authorities: list[tuple[str, list[tuple[int, str]]]]
    counties: list[tuple[int, str]]
    organisation_types: list[tuple[str, str]]


def get_round(session: Session, round_id: int) -> Round:
    """The round with its priorities (the list's priority filter), or NotFound."""
    round_ = session.get(Round, round_id, options=[selectinload(Round.priorities),
                                                   joinedload(Round.fund)])
    return or_not_found(round_, "Round not found")


def filter_choices(session: Session, round_: Round) -> FilterChoices:
    """The values each filter offers: the round's priorities (loaded with it), and the places,
    kept until the data changes (`grants.core.data_version`)."""
    local_authorities, counties = data_version.kept(session, "application list places",
                                                    lambda: _places(session))
    return FilterChoices(
        statuses=[(status.value, STATUS_LABELS[status]) for status in LISTED_STATUSES],
        priorities=[(priority.id, f"{priority.code}: {priority.title}")
                    for priority in round_.priorities],
        local_authorities=list(local_authorities),
        counties=list(counties),
        organisation_types=[(kind.value, kind.label) for kind in OrganisationType],
    )


def _places(session: Session) -> tuple[tuple[tuple[str, tuple[tuple[int, str], ...]], ...],
                                       tuple[tuple[int, str], ...]]:
    """Local authorities by county name, and counties, as (id, name) pairs: two queries."""
    local_authorities = session.scalars(
        select(LocalAuthority).join(LocalAuthority.county)
        .options(contains_eager(LocalAuthority.county))
        .order_by(County.name, LocalAuthority.name)
    )
    grouped: dict[str, list[tuple[int, str]]] = {}
    for local_authority in local_authorities:
        grouped.setdefault(local_authority.county.name, []).append(
            (local_authority.id, local_authority.name))
    counties = session.scalars(select(County).order_by(County.name))
    return (tuple((county, tuple(places)) for county, places in grouped.items()),
            tuple((county.id, county.name) for county in counties))


def _filtered(query: Select, round_id: int, filters: ApplicationFilters, *,
              joined: bool = True) -> Select:
    """The query on the round's sent applications that match the filters; with `joined`
    False, the organisation and its local authority are joined only when a filter asks about
    them (every application has one organisation, so a count is the same either way)."""
    query = query.where(Application.round_id == round_id,
                        Application.status != ApplicationStatus.DRAFT)
    if joined or filters.about_organisations:
        query = (query.join(Application.organisation)
                 .outerjoin(LocalAuthority, Organisation.local_authority_id == LocalAuthority.id))
    if filters.status is not None:
        query = query.where(Application.status == filters.status)
    if filters.priority_id is not None:
        query = query.where(Application.primary_priority_id == filters.priority_id)
    if filters.local_authority_id is not None:
        query = query.where(Organisation.local_authority_id == filters.local_authority_id)
    if filters.county_id is not None:
        query = query.where(LocalAuthority.county_id == filters.county_id)
    if filters.organisation_type is not None:
        query = query.where(Organisation.organisation_type == filters.organisation_type)
    if filters.search:
        words = filters.search.lower()
        query = query.where(or_(
            func.lower(Application.reference).contains(words, autoescape=True),
            func.lower(Organisation.name).contains(words, autoescape=True),
        ))
    return query


def _ordered(query: Select, filters: ApplicationFilters) -> Select:
    column = _sort_column(filters.sort)
    if filters.descending:
        return query.order_by(column.desc().nulls_last(), Application.id.desc())
    return query.order_by(column.asc().nulls_last(), Application.id)


def list_applications(session: Session, round_: Round,
                      filters: ApplicationFilters) -> Page[Application]:
    """One page of the round's sent applications that match the filters (a page past the last
    is the last). Two queries."""
    query = _ordered(
        _filtered(select(Application), round_.id, filters)
        .outerjoin(County, LocalAuthority.county_id == County.id)
        .options(
            # Only what the list shows: an application's row also holds its long answers.
            load_only(Application.reference, Application.status, Application.submitted_at,
                      Application.amount_requested_pence, Application.organisation_id,
                      Application.primary_priority_id),
            contains_eager(Application.organisation)
            .load_only(Organisation.name, Organisation.organisation_type,
                       Organisation.local_authority_id)
            .contains_eager(Organisation.local_authority)
            .load_only(LocalAuthority.name, LocalAuthority.county_id)
            .contains_eager(LocalAuthority.county),
            joinedload(Application.primary_priority),
        ),
        filters,
    )
    counted = _filtered(select(func.count(Application.id)), round_.id, filters, joined=False)
    return page_of(session, query, filters.page, PAGE_SIZE, within=True, counted=counted)


# --- CSV ----------------------------------------------------------------------------------

CSV_HEADER = [
    "Reference",
    "Organisation",
    "Organisation type",
    "Primary priority",
    "Local authority",
    "County",
    "Amount requested (£)",
    "Status",
    "Submitted (UK time)",
]

def _asked(session: Session, round_: Round) -> tuple[list, dict[tuple[int, int], Any]]:
    """The round's own questions, and every sent application's answers to them by
    (application, question): two queries."""
    sections = session.scalars(
        select(QuestionSection).where(QuestionSection.round_id == round_.id)
        .order_by(QuestionSection.position)
        .options(selectinload(QuestionSection.questions))).all()
    questions = [question for section in sections for question in section.questions]
    if not questions:
        return [], {}
    by_id = {question.id: question for question in questions}
    answers = session.scalars(
        select(QuestionAnswer).join(Application)
        .where(Application.round_id == round_.id, Application.reference.is_not(None)))
    return questions, {
        (answer.application_id, answer.question_id):
            round_questions.csv_value(by_id[answer.question_id],
                                      round_questions.value_of(by_id[answer.question_id],
                                                               answer))
        for answer in answers if answer.question_id in by_id}


def csv_rows(session: Session, round_: Round, filters: ApplicationFilters,
             asked: tuple[list, dict] = ([], {})) -> Iterable[list]:
    """Every application matching the filters (not just one page), as CSV rows: one query,
    with a column for each of the round's own `asked` questions."""
    questions, answers = asked
    query = _ordered(
        _filtered(
            select(
                Application.id,
                Application.reference,
                Organisation.name,
                Organisation.organisation_type,
                Priority.code,
                Priority.title,
                LocalAuthority.name,
                County.name,
                Application.amount_requested_pence,
                Application.status,
                Application.submitted_at,
            ),
            round_.id, filters,
        )
        .outerjoin(County, LocalAuthority.county_id == County.id)
        .outerjoin(Priority, Application.primary_priority_id == Priority.id),
        filters,
    )
    for (application_id, reference, organisation, organisation_type, priority_code,
         priority_title, local_authority, county, amount, status,
         submitted_at) in session.execute(query):
        yield [
            reference,
            organisation,
            organisation_type.label,
            f"{priority_code}: {priority_title}" if priority_code else "",
            local_authority or "",
            county or "",
            pounds_decimal(amount),
            STATUS_LABELS[status],
            (clock.to_london(submitted_at).strftime("%Y-%m-%d %H:%M")
             if submitted_at else ""),
            *(answers.get((application_id, question.id), "") for question in questions),
        ]


def applications_csv(session: Session, round_: Round, filters: ApplicationFilters) -> str:
    """The CSV of every matching application, with a header row; the round's own questions
    follow the columns every round has."""
    asked = _asked(session, round_)
    header = [*CSV_HEADER, *(question.wording for question in asked[0])]
    return csv_text(chain([header], csv_rows(session, round_, filters, asked)))
