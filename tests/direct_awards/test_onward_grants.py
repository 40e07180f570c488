"""Community Foundation allocations: a direct award of the kind delegated to an intermediary,
and the onward grants it made from it, typed or read from its 360Giving file, never adding up
to more than the allocation."""

import io
import json
from datetime import date

import pytest
from sqlalchemy import select

from grants.core.errors import ValidationFailed
from grants.direct_awards.models import DirectAwardKind, OnwardGrant
from grants.direct_awards.operations.onward import (
    OnwardGrantEntry,
    OnwardGrantsRefused,
    add_onward_grant,
    onward_total_pence,
    remove_onward_grant,
    served_priorities,
)
from grants.direct_awards.operations.onward_figures import onward_summaries
from grants.direct_awards.operations.onward_import import import_onward_grants
from grants.opendata.operations.reading import ImportRefused
from grants.organisations.models import CharityRegulator, OrganisationType

pytestmark = pytest.mark.usefixtures("now")  # 1 June 2026: 2026/27

HEADER = ("Identifier,Title,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,"
          "Recipient Org:Name,Funding Org:Identifier,Funding Org:Name,"
          "Beneficiary Location:0:Geographic Code,Classifications:0:Vocabulary,"
          "Classifications:0:Code")


@pytest.fixture
def foundation(organisation_factory):
    return organisation_factory(name="Berkshire Community Foundation",
                                organisation_type=OrganisationType.REGISTERED_CHARITY,
                                charity_regulator=CharityRegulator.CCEW,
                                charity_number="1111600", contact_email="grants@bcf.example")


@pytest.fixture
def reading(local_authority_factory):
    return local_authority_factory(name="Reading", gss_code="E06000038")


@pytest.fixture
def allocation(db_session, signed_off, pay_in, plan, foundation):
    """£20,000 allocated to the foundation, signed off, serving P2 (its priority) and P1
    (through a key aim of P1)."""
    pay_in(50_000)
    p1, p2 = plan.priorities
    return signed_off(organisation_id=foundation.id, amount_pence=20_000_00,
                      kind=DirectAwardKind.DELEGATED, title="Small grants for youth projects",
                      priority_id=p2.id, key_aim_ids=[p2.key_aims[0].id, p1.key_aims[1].id])


def grant(**changes) -> OnwardGrantEntry:
    values = {"recipient_name": "Reading Youth Club", "amount_pence": 5_000_00,
              "awarded_on": date(2026, 5, 28), "title": "Mentoring",
              "recipient_org_id": "GB-CHC-1000001"}
    values.update(changes)
    return OnwardGrantEntry(**values)


def csv_file(*rows: str) -> io.BytesIO:
    return io.BytesIO(("\n".join([HEADER, *rows]) + "\n").encode())


def test_a_delegated_award_serves_its_priority_and_those_of_its_key_aims(allocation, plan):
    assert allocation.delegated and allocation.award.source.value == "direct"
    assert [p.code for p in served_priorities(allocation)] == ["P1", "P2"]


def test_a_direct_award_still_takes_key_aims_of_its_own_priority_only(record, plan):
    p1, p2 = plan.priorities
    with pytest.raises(ValidationFailed) as refused:
        record(priority_id=p2.id, key_aim_ids=[p1.key_aims[0].id])
    assert refused.value.errors["key_aims"].startswith("Choose key aims of P2")


def test_onward_grants_wait_for_the_allocation_to_be_signed_off(
        db_session, record, recorder, pay_in, foundation):
    pay_in(50_000)
    direct = record(organisation_id=foundation.id, kind=DirectAwardKind.DELEGATED)

    with pytest.raises(OnwardGrantsRefused, match="not been signed off"):
        add_onward_grant(db_session, recorder, direct.award_id, grant())


def test_onward_grants_add_up_to_no_more_than_the_allocation_with_the_figures_named(
        db_session, allocation, recorder):
    add_onward_grant(db_session, recorder, allocation.award_id, grant(amount_pence=15_000_00))
    add_onward_grant(db_session, recorder, allocation.award_id, grant(amount_pence=4_000_00))

    with pytest.raises(ValidationFailed) as refused:
        add_onward_grant(db_session, recorder, allocation.award_id, grant(amount_pence=1_500_00))

    assert refused.value.errors["amount"] == (
        "This grant would take the onward grants of Berkshire Community Foundation to "
        "£20,500, more than the £20,000 allocated to it: £19,000 is recorded already, so "
        "£1,000 is left")
    assert onward_total_pence(db_session, allocation.award_id) == 19_000_00
    # exactly what is left fits
    add_onward_grant(db_session, recorder, allocation.award_id, grant(amount_pence=1_000_00))


def test_an_onward_grant_serves_only_a_priority_the_allocation_serves(
        db_session, allocation, recorder, priority_factory, plan):
    p1 = plan.priorities[0]
    other = priority_factory(plan=plan, number=3, code="P3", title="Reducing Reoffending")

    with pytest.raises(ValidationFailed) as refused:
        add_onward_grant(db_session, recorder, allocation.award_id,
                         grant(priority_id=other.id))
    assert refused.value.errors["priority"].startswith("Choose a priority the allocation serves")
    # a key aim of a priority it serves gives the grant that priority
    made = add_onward_grant(db_session, recorder, allocation.award_id,
                            grant(key_aim_id=p1.key_aims[0].id))
    assert made.priority_id == p1.id


def test_an_onward_grant_taken_out_leaves_its_amount_to_record_again(
        db_session, allocation, recorder):
    made = add_onward_grant(db_session, recorder, allocation.award_id, grant())

    remove_onward_grant(db_session, recorder, allocation.award_id, made.id)

    assert onward_total_pence(db_session, allocation.award_id) == 0


def test_the_foundations_360giving_csv_is_recorded_once_with_priorities_and_areas(
        db_session, allocation, recorder, reading, plan):
    p1 = plan.priorities[0]
    rows = ("360G-BCF-1,Mentoring,GBP,5000,2026-05-02,GB-CHC-1000001,Reading Youth Club,"
            f"GB-CHC-1111600,Berkshire Community Foundation,E06000038,{plan.code},P1.2",
            "360G-BCF-2,Food bank,GBP,2500.50,2026-05-09,GB-CHC-1000002,Slough Foodbank,,,,"
            "BCF-themes,Poverty")

    done = import_onward_grants(db_session, recorder, allocation.award_id, csv_file(*rows),
                                "bcf.csv")
    again = import_onward_grants(db_session, recorder, allocation.award_id, csv_file(*rows),
                                 "bcf.csv")

    assert (done.grants_in_file, len(done.recorded), done.amount_pence) == (2, 2, 7_500_50)
    assert (len(again.recorded), again.already_recorded) == (0, 2)
    first = db_session.scalars(select(OnwardGrant).where(
        OnwardGrant.identifier == "360G-BCF-1")).one()
    assert (first.priority_id, first.key_aim.code, [a.name for a in first.areas]) == (
        p1.id, "P1.2", ["Reading"])


def test_a_file_with_problems_records_nothing_and_names_each_row(
        db_session, allocation, recorder):
    rows = ("360G-BCF-1,Mentoring,GBP,lots,2026-05-02,GB-CHC-1000001,Reading Youth Club,,,,,",
            "360G-BCF-2,Food bank,GBP,250,2026-05-09,GB-CHC-1000002,Slough Foodbank,"
            "GB-CHC-9999999,Another Foundation,,,")

    with pytest.raises(ImportRefused) as refused:
        import_onward_grants(db_session, recorder, allocation.award_id, csv_file(*rows),
                             "bcf.csv")

    said = [str(problem) for problem in refused.value.problems]
    assert said[0].startswith("Row 1, Amount Awarded:")
    assert said[1] == ("Row 2, Funding Org:Identifier: is GB-CHC-9999999, not Berkshire "
                       "Community Foundation's GB-CHC-1111600: the file must hold the grants it "
                       "made")
    assert onward_total_pence(db_session, allocation.award_id) == 0


def test_a_file_whose_grants_add_up_to_more_than_the_allocation_is_refused_whole(
        db_session, allocation, recorder):
    package = {"grants": [
        {"id": f"360G-BCF-{n}", "title": "Grant", "currency": "GBP", "amountAwarded": 8000,
         "awardDate": "2026-05-02",
         "recipientOrganization": [{"id": f"GB-CHC-100000{n}", "name": f"Group {n}"}]}
        for n in range(1, 4)]}

    with pytest.raises(ValidationFailed) as refused:
        import_onward_grants(db_session, recorder, allocation.award_id,
                             io.BytesIO(json.dumps(package).encode()), "bcf.json")

    assert refused.value.errors["onward_file"].startswith(
        "These 3 grants, £24,000 in all, would take the onward grants of Berkshire Community "
        "Foundation to £24,000, more than the £20,000 allocated to it")


def test_onward_figures_add_up_by_priority_key_aim_and_area(
        db_session, allocation, recorder, reading, plan):
    p1, p2 = plan.priorities
    for amount, changes in [(5_000_00, {"key_aim_id": p1.key_aims[1].id,
                                        "area_ids": [reading.id]}),
                            (3_000_00, {"priority_id": p2.id,
                                        "serves_whole_thames_valley": True,
                                        "recipient_name": "Slough Foodbank",
                                        "recipient_org_id": ""}),
                            (2_000_00, {"recipient_name": "reading youth club"})]:
        add_onward_grant(db_session, recorder, allocation.award_id,
                         grant(amount_pence=amount, **changes))

    summary = onward_summaries(db_session, [allocation.award_id])[allocation.award_id]

    assert (summary.grants, summary.amount_pence, summary.left_pence) == (
        3, 10_000_00, 10_000_00)
    # Reading Youth Club twice, by its org-id
    assert summary.recipients == 2
    assert [(r.code, r.grants, r.amount_pence) for r in summary.by_priority] == [
        ("P1", 1, 5_000_00), ("P2", 1, 3_000_00), ("none", 1, 2_000_00)]
    assert [(r.code, r.amount_pence) for r in summary.by_key_aim] == [
        ("P1.2", 5_000_00), ("none", 5_000_00)]
    assert [(r.code, r.amount_pence) for r in summary.by_area] == [
        ("E06000038", 5_000_00), ("thames-valley", 3_000_00), ("none", 2_000_00)]
