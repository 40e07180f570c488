"""What must hold after every step of the year: each check reads what the service shows (the
public register, the 360Giving export, the reports, the ranking, the guards) and holds it
against the rows themselves, so that a rule broken in one place disagrees with the others."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from grants.awards.models import MADE_STATUSES, RELEASED_STATUSES, Award
from grants.awards.operations.publicity import is_public
from grants.decisions.operations.remaining import remaining_pence
from grants.funds.models import CountyAllocation, Round
from grants.nominations.models import PENDING_NOMINATION_STATUSES, Nomination
from grants.nominations.operations.guard import county_positions
from grants.opendata.operations.export import Selection as ExportSelection
from grants.opendata.operations.export import iter_grants
from grants.opendata.operations.register import register_page
from grants.opendata.operations.threesixty import Publisher
from grants.reports.operations.figures import report_figures
from grants.reports.operations.selection import round_selection, year_selection

PUBLISHER = Publisher(prefix="360G-tvopcc", funder_org_id="GB-GOR-PC000117",
                      funder_name="Office of the Police and Crime Commissioner for Thames Valley",
                      area_name="Thames Valley")
# The breakdowns in which every counted award falls in exactly one row.
PARTITIONS = ("by_round", "by_priority", "by_organisation_type")


@dataclass(frozen=True)
class Held:
    """What the rows say of one award."""

    id: int
    round_id: int
    organisation: str
    amount_pence: int
    status: object
    public: bool


def _committed_by_round(session) -> dict[int, int]:
    rows = session.execute(
        select(Award.round_id, func.sum(Award.amount_pence))
        .where(Award.status.not_in(RELEASED_STATUSES)).group_by(Award.round_id))
    return {round_id: int(total) for round_id, total in rows}


def check_budgets(session, rounds: list[Round]) -> None:
    """Committed money never goes over a round's budget, nor over a county's allocation; and
    the remaining figure the ranking, the reports and the guards show is budget − committed."""
    committed = _committed_by_round(session)
    for round_ in rounds:
        held = committed.get(round_.id, 0)
        assert held <= round_.budget_pence, (
            f"{round_.code} commits {held} pence of a budget of {round_.budget_pence}")
        assert remaining_pence(session, round_) == round_.budget_pence - held, round_.code


def check_counties(session, round_: Round) -> None:
    """Each county's pending nominations and awards never go over its allocation, and the
    guard's position says so."""
    pending = dict(session.execute(
        select(Nomination.county_id, func.sum(Nomination.amount_pence))
        .where(Nomination.round_id == round_.id,
               Nomination.status.in_(PENDING_NOMINATION_STATUSES))
        .group_by(Nomination.county_id)).all())
    awarded = dict(session.execute(
        select(Award.nominating_county_id, func.sum(Award.amount_pence))
        .where(Award.round_id == round_.id, Award.nominating_county_id.is_not(None),
               Award.status.not_in(RELEASED_STATUSES))
        .group_by(Award.nominating_county_id)).all())
    allocations = session.scalars(select(CountyAllocation).where(
        CountyAllocation.round_id == round_.id)).all()
    positions = {p.county.id: p for p in county_positions(session, round_.id)}
    for allocation in allocations:
        held = int(pending.get(allocation.county_id, 0)) + int(
            awarded.get(allocation.county_id, 0))
        assert held <= allocation.amount_pence, (
            f"county {allocation.county_id} holds {held} pence of its "
            f"{allocation.amount_pence} in {round_.code}")
        position = positions[allocation.county_id]
        assert position.committed_pence == held
        assert position.remaining_pence == allocation.amount_pence - held


def held_awards(session, year: str) -> list[Held]:
    awards = session.scalars(
        select(Award).join(Award.round).where(Round.financial_year == year)
        .options(joinedload(Award.round), joinedload(Award.organisation))
        .order_by(Award.id)).all()
    return [Held(a.id, a.round_id, a.organisation.name, a.amount_pence, a.status, is_public(a))
            for a in awards]


def county_left(session, round_: Round, county_name: str) -> int:
    """What the guard says is left of a county's allocation in a nomination round."""
    return next(p.remaining_pence for p in county_positions(session, round_.id)
                if p.county.name == county_name)


def check_publication(held: list[Held], published_round_ids: set[int]) -> None:
    """Only made awards of rounds whose decisions were published (as the steps did it) are
    public, by the one publicity rule."""
    for award in held:
        expected = award.round_id in published_round_ids and award.status in MADE_STATUSES
        assert award.public == expected, (
            f"award {award.id} of round {award.round_id} is "
            f"{'public' if award.public else 'not public'}; its status is "
            f"{award.status}, its round's decisions "
            f"{'were' if award.round_id in published_round_ids else 'were not'} published")


def _register(session, year: str) -> Counter:
    rows, page = [], 1
    while True:
        found = register_page(session, ExportSelection(year=year), page)
        rows += [(row.recipient, row.amount_pence) for row in found.items]
        if page * found.size >= found.total:
            return Counter(rows)
        page += 1


def check_outsiders_agree(session, held: list[Held], year: str) -> None:
    """The register, the 360Giving export and the year's report show the same public awards
    with the same money."""
    public = [award for award in held if award.public]
    register = _register(session, year)
    assert register == Counter((a.organisation, a.amount_pence) for a in public), (
        f"the register shows {sorted(register.elements())}, the public awards are "
        f"{[(a.id, a.organisation, a.amount_pence) for a in public]}")
    grants = list(iter_grants(session, ExportSelection(year=year), PUBLISHER))
    exported = Counter((g["recipientOrganization"][0]["name"],
                        round(g["amountAwarded"] * 100)) for g in grants)
    assert exported == register, f"the export shows {sorted(exported.elements())}"
    figures = report_figures(session, year_selection(session, year))
    assert (figures.awards, figures.amount_awarded_pence) == (
        len(public), sum(a.amount_pence for a in public)), (
        f"the year's report counts {figures.awards} awards of {figures.amount_awarded_pence} "
        f"pence; {len(public)} are public")
    check_report_adds_up(figures, f"the report of {year}")


def check_report_adds_up(figures, name: str) -> None:
    """Every breakdown in which each award has one row adds up to the report's totals, and no
    row of the others is more than them."""
    for breakdown in PARTITIONS:
        rows = getattr(figures, breakdown)
        total = (sum(r.awards for r in rows), sum(r.amount_awarded_pence for r in rows))
        assert total == (figures.awards, figures.amount_awarded_pence), (
            f"{name}: {breakdown} adds up to {total}, its totals are "
            f"{(figures.awards, figures.amount_awarded_pence)}")
    for breakdown in ("by_county", "by_local_authority", "by_key_aim",
                      "by_high_sheriff_county"):
        for row in getattr(figures, breakdown):
            assert row.awards <= figures.awards, f"{name}: {breakdown} {row.code}"
            assert row.amount_awarded_pence <= figures.amount_awarded_pence, (
                f"{name}: {breakdown} {row.code}")
            assert row.organisations_funded <= figures.organisations_funded


def check_round_report(session, round_: Round, held: list[Held]) -> None:
    """A round's report counts its public awards, adds up, and shows the guard's remaining."""
    figures = report_figures(session, round_selection(session, round_.code))
    public = [a for a in held if a.public and a.round_id == round_.id]
    assert (figures.awards, figures.amount_awarded_pence) == (
        len(public), sum(a.amount_pence for a in public)), f"the report of {round_.code}"
    assert figures.remaining_pence == remaining_pence(session, round_), round_.code
    check_report_adds_up(figures, f"the report of {round_.code}")
