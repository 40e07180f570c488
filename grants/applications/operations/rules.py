"""The round's rules for each section's answers. Each `apply_*` checks the answers against the
round and writes them to the application, or raises ValidationFailed naming each field."""

from datetime import date

from sqlalchemy.orm import Session

from grants.applications.models import Application, BudgetLine
from grants.areas.models import LocalAuthority
from grants.areas.operations.on_day import local_authorities_on, round_day
from grants.awards.operations.terms import SPENDING_MONTHS, add_months
from grants.core import clock
from grants.core.errors import ValidationFailed
from grants.core.formatting import format_london_date
from grants.core.money import MoneyError, format_pounds, parse_pounds
from grants.core.translatable import N_, Moment, Words
from grants.funds.models import Round
from grants.offices.operations.speaking import office_of_round
from grants.plans.models import KeyAim, Priority

# A project may run for at most this long: a grant is spent within its project's dates, and
# a grant without them within this many months (`grants.awards.operations.terms`).
MAX_PROJECT_MONTHS = SPENDING_MONTHS


def _write(application: Application, errors: dict[str, str], **answers) -> None:
    """Write a section's answers to the application, unless any of them was refused."""
    if errors:
        raise ValidationFailed(errors)
    for name, value in answers.items():
        setattr(application, name, value)


def earliest_project_start(application: Application) -> date:
    """Projects start no earlier than the day the round closes: grants are decided after."""
    return clock.to_london(application.round.closes_at).date()


def apply_project(session: Session, application: Application, *, title: str, summary: str,
                  description: str, planned_start: date, planned_end: date) -> None:
    errors: dict[str, str] = {}
    earliest = earliest_project_start(application)
    if planned_start < earliest:
        errors["planned_start"] = Words(
            N_("The project must start on or after %(day)s, when the round closes"),
            day=Moment(earliest, format_london_date))
    if planned_end < planned_start:
        errors["planned_end"] = N_("The project must end on or after the day it starts")
    elif planned_end > add_months(planned_start, MAX_PROJECT_MONTHS):
        errors["planned_end"] = Words(
            N_("The project must end within %(months)s months of its start"),
            months=MAX_PROJECT_MONTHS)
    _write(application, errors, title=title, summary=summary, description=description,
           planned_start=planned_start, planned_end=planned_end)


# --- Your organisation --------------------------------------------------------------------

DETAILS_CORRECT, DETAILS_TO_CHANGE = "yes", "no"

# What an organisation's record must hold before an application can rely on it.
_ORGANISATION_DETAILS = (
    ("address", "address"),
    ("postcode", "postcode"),
    ("contact_name", "main contact's name"),
    ("contact_email", "main contact's email address"),
)


def apply_organisation(session: Session, application: Application, *,
                       details_correct: str | None) -> None:
    """The applicant confirms the details held about their organisation; nothing is written
    but the section's status."""
    if details_correct == DETAILS_TO_CHANGE:
        raise ValidationFailed({"details_correct": N_(
            "Change your organisation's details first, then come back and select yes")})
    if details_correct != DETAILS_CORRECT:
        raise ValidationFailed({
            "details_correct": N_("Select yes if your organisation's details are correct")})
    organisation = application.organisation
    missing = [words for name, words in _ORGANISATION_DETAILS
               if not (getattr(organisation, name) or "").strip()]
    if missing:
        raise ValidationFailed({"details_correct": (
            f"Add your organisation's {_and(missing)} before you confirm its details")})


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# --- Priorities and key aims --------------------------------------------------------------

def priorities_on_offer(round_: Round) -> list[Priority]:
    """The round's priorities an application may choose: retired ones are not offered."""
    return [priority for priority in round_.priorities if priority.retired_at is None]


def key_aims_on_offer(round_: Round) -> list[KeyAim]:
    """The round's key aims under the priorities it offers, in plan order (P1.1, P1.2, P2.1)."""
    offered = {priority.id: priority for priority in priorities_on_offer(round_)}
    aims = [aim for aim in round_.key_aims
            if aim.retired_at is None and aim.priority_id in offered]
    return sorted(aims, key=lambda aim: (offered[aim.priority_id].number, aim.number))


def apply_priorities(session: Session, application: Application, *,
                     primary_priority_id: str | None, further_priority_ids: list[str],
                     key_aim_ids: list[str]) -> None:
    """One primary priority from the round, any further ones (choosing the primary again as
    a further priority is ignored), and key aims under the priorities chosen."""
    priorities = {str(priority.id): priority
                  for priority in priorities_on_offer(application.round)}
    aims = {str(aim.id): aim for aim in key_aims_on_offer(application.round)}
    errors: dict[str, str] = {}

    primary = priorities.get(primary_priority_id or "")
    if primary is None:
        errors["primary_priority"] = N_(
            "Select a primary priority from this round's priorities")
    if any(value not in priorities for value in further_priority_ids):
        errors["further_priorities"] = N_(
            "Select other priorities from this round's priorities")
    further = [priority for value, priority in priorities.items()
               if value in further_priority_ids and priority is not primary]
    chosen_aims = [aim for value, aim in aims.items() if value in key_aim_ids]

    if any(value not in aims for value in key_aim_ids):
        errors["key_aims"] = N_("Select key aims from this round's list")
    elif primary is not None:
        chosen = {primary.id} | {priority.id for priority in further}
        stray = [aim for aim in chosen_aims if aim.priority_id not in chosen]
        if stray:
            codes = _and([aim.code for aim in stray])
            errors["key_aims"] = (
                f"{codes} is not a key aim of your primary or other priorities. Select "
                f"{stray[0].priority.code} as another priority, or untick {codes}"
                if len(stray) == 1 else
                f"{codes} are not key aims of your primary or other priorities. Select their "
                f"priorities as other priorities, or untick them")
        elif not chosen_aims and any(aim.priority_id in chosen for aim in aims.values()):
            errors["key_aims"] = N_("Select at least one key aim your project supports")
    _write(application, errors, primary_priority=primary, further_priorities=further,
           key_aims=chosen_aims)


# --- Areas served -------------------------------------------------------------------------

WHOLE_THAMES_VALLEY, PARTICULAR_AREAS = "whole", "particular"


def areas_on_offer(session: Session, round_: Round) -> list[LocalAuthority]:
    """The local authorities that stand on the round's closing date, by county then name."""
    return local_authorities_on(session, round_day(round_))


def apply_areas(session: Session, application: Application, *, serves: str | None,
                area_ids: list[str]) -> None:
    """The whole of the office's area, or at least one of the round's local authorities."""
    if serves == WHOLE_THAMES_VALLEY:
        application.serves_whole_thames_valley = True
        application.areas = []
        return
    if serves != PARTICULAR_AREAS:
        office = office_of_round(session, application.round)
        raise ValidationFailed({"serves": Words(
            N_("Select whether your project serves the whole of %(area)s or particular areas"),
            area=office.short_name)})
    authorities = {str(authority.id): authority
                   for authority in areas_on_offer(session, application.round)}
    if any(value not in authorities for value in area_ids):
        raise ValidationFailed({"areas": N_("Select local authority areas from the list")})
    chosen = [authority for value, authority in authorities.items() if value in area_ids]
    if not chosen:
        raise ValidationFailed({"areas": N_("Select the local authority areas your project "
                                            "serves")})
    application.serves_whole_thames_valley = False
    application.areas = chosen


# --- Budget -------------------------------------------------------------------------------

MAX_BUDGET_LINES = 10
# A budget page starts with this many lines; "Add another line" shows one more.
FIRST_BUDGET_LINES = 3


def line_field(number: int, part: str) -> str:
    """The form field of a budget line's part ("description" or "amount"), numbered from 1."""
    return f"line_{number}_{part}"


def award_range_message(round_: Round) -> Words | None:
    """What the round allows an application to ask for, as the error message says it."""
    return _award_range(round_, between=N_("Enter an amount from %(low)s to %(high)s"),
                        up_to=N_("Enter an amount of %(high)s or less"),
                        at_least=N_("Enter an amount of %(low)s or more"))


def award_range_text(round_: Round) -> Words | None:
    """What the round allows an application to ask for, as a hint says it."""
    return _award_range(round_, between=N_("This round gives grants from %(low)s to %(high)s"),
                        up_to=N_("This round gives grants of up to %(high)s"),
                        at_least=N_("This round gives grants of %(low)s or more"))


def _award_range(round_: Round, *, between: str, up_to: str, at_least: str) -> Words | None:
    """The wording for the round's range (a minimum of 0 is no minimum), or None without one."""
    low, high = round_.min_award_pence, round_.max_award_pence
    if low and high is not None:
        wording = between
    elif high is not None:
        wording = up_to
    elif low:
        wording = at_least
    else:
        return None
    amounts = {"low": format_pounds(low), "high": format_pounds(high)}
    return Words(wording, **{name: value for name, value in amounts.items()
                             if f"%({name})s" in wording})


def lines_total(amounts: list[str | None]) -> int:
    """What budget lines typed in pounds add up to, in pence; an amount that is not money
    (yet) counts for nothing."""
    total = 0
    for text in amounts:
        try:
            total += parse_pounds(text) if text else 0
        except MoneyError:
            continue
    return total


def apply_budget(session: Session, application: Application, *,
                 amount_requested_pence: int | None, total_cost_pence: int,
                 other_funding: str, lines: list[tuple[str, int | None]]) -> None:
    """The lines of what the project spends the money on; the amount asked for, which is what
    the lines add up to unless the person gives a smaller amount, within the round's range;
    the project's total cost at least what the lines add up to, and the rest of the money
    accounted for.

    `lines` are the form's rows in order, blank rows included: (description, pence or None).
    """
    errors: dict[str, str] = {}
    kept = _budget_lines(lines, errors)
    lines_pence = sum(pence for _, pence in kept)
    if amount_requested_pence is None:
        amount_requested_pence = lines_pence
    amount_error = None
    if kept and "amount_requested" not in errors:
        amount_error = (_more_than_the_lines(lines_pence, amount_requested_pence)
                        or _outside_award_range(application.round, amount_requested_pence,
                                                lines_pence))
    if amount_error:
        errors["amount_requested"] = amount_error
    if total_cost_pence < lines_pence:
        errors["total_cost"] = Words(
            N_("The total cost of the project must be at least what your budget lines add up "
               "to (%(total)s)"), total=format_pounds(lines_pence))
    elif (kept and total_cost_pence > amount_requested_pence
          and not other_funding.strip() and not amount_error):
        errors["other_funding"] = Words(
            N_("Tell us where the rest of the money (%(rest)s) will come from"),
            rest=format_pounds(total_cost_pence - amount_requested_pence))
    _write(application, errors, amount_requested_pence=amount_requested_pence,
           total_cost_pence=total_cost_pence, other_funding=other_funding)
    # The old lines go before the new ones take their positions (one line per position).
    application.budget_lines.clear()
    session.flush()
    application.budget_lines.extend(
        BudgetLine(position=position, description=description, amount_pence=pence)
        for position, (description, pence) in enumerate(kept, 1))


def _budget_lines(lines: list[tuple[str, int | None]],
                  errors: dict[str, str]) -> list[tuple[str, int]]:
    """The rows that are filled in, noting rows with only half of a line in `errors`."""
    kept: list[tuple[str, int]] = []
    for number, (description, pence) in enumerate(lines, 1):
        if description and pence is None:
            errors[line_field(number, "amount")] = Words(
                N_("Enter the amount for budget line %(number)s"), number=number)
        elif pence is not None and not description:
            errors[line_field(number, "description")] = Words(
                N_("Enter what budget line %(number)s is for"), number=number)
        elif description and pence is not None:
            kept.append((description, pence))
    if not kept and not errors:
        errors[line_field(1, "description")] = N_(
            "Enter at least one budget line: what you will spend the grant on and how much")
    return kept


def _outside_award_range(round_: Round, pence: int, lines_pence: int) -> str | None:
    if pence <= 0:
        return N_("Enter an amount of more than £0")
    low, high = round_.min_award_pence, round_.max_award_pence
    if (low is not None and pence < low) or (high is not None and pence > high):
        if pence == lines_pence:
            # Nothing typed, or the total typed: say what the lines come to, and what to do.
            return Words(N_("Your budget lines add up to %(total)s. %(allowed)s, or change "
                            "the lines"),
                         total=format_pounds(lines_pence), allowed=award_range_message(round_))
        return award_range_message(round_)
    return None


def _more_than_the_lines(lines_pence: int, amount_requested_pence: int) -> str | None:
    if amount_requested_pence <= lines_pence:
        return None
    return Words(N_("Enter an amount of %(total)s or less: you cannot ask for more than your "
                    "budget lines add up to. Or add a line for what the rest is for"),
                 total=format_pounds(lines_pence))


# --- Outcomes and beneficiaries -----------------------------------------------------------

MAX_BENEFICIARIES = 10_000_000


def apply_outcomes(session: Session, application: Application, *, outcomes: str,
                   beneficiaries_count: int, beneficiary_groups: str) -> None:
    if not 1 <= beneficiaries_count <= MAX_BENEFICIARIES:
        raise ValidationFailed({"beneficiaries_count": Words(
            N_("Enter a number from 1 to %(most)s"), most=f"{MAX_BENEFICIARIES:,}")})
    application.outcomes = outcomes
    application.beneficiaries_count = beneficiaries_count
    application.beneficiary_groups = beneficiary_groups


# --- Declaration --------------------------------------------------------------------------

# Marked for the catalogue: the form says them in the page's language.
DECLARATION_STATEMENTS = {
    "true_and_complete": N_("The information in this application is true and complete"),
    "spend_as_described": N_("We will spend any grant only on the project described, within "
                             "12 months"),
    "safeguarding": N_("We have a safeguarding policy and will follow it"),
    "use_and_publish": N_("We agree that the Office of the Police and Crime Commissioner may "
                          "use this information to decide on the application and, if we get a "
                          "grant, may publish the details of the grant for anyone to see and "
                          "use (open data)"),
}


def apply_declarations(session: Session, application: Application, *, statements: list[str],
                       name: str, position: str) -> None:
    """Every statement confirmed, by a named person; the declaration is made now."""
    if any(value not in DECLARATION_STATEMENTS for value in statements):
        raise ValidationFailed({"statements": N_("Tick only the statements shown")})
    if set(statements) != set(DECLARATION_STATEMENTS):
        raise ValidationFailed({
            "statements": N_("Tick every statement to make the declaration")})
    application.declared_by_name = name
    application.declared_by_position = position
    application.declared_at = clock.utcnow()
