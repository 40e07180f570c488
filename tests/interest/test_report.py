"""A round's report counts its expressions of interest (received, invited, declined) beside
the full applications it counts as ever."""

from grants.extensions import db
from grants.interest.operations import deciding
from tests.interest.making import sent_interest


def test_the_round_report_counts_both_stages(
        sign_in_as, staff, member, organisation, staged_round, organisation_factory,
        membership_factory, user_factory):
    sent_interest(staged_round, organisation, member)
    for name in ("Oxford Night Shelter", "Slough Youth Club"):
        other = organisation_factory(name=name, organisation_type=organisation.organisation_type)
        someone = user_factory()
        membership_factory(user=someone, organisation=other)
        interest = sent_interest(staged_round, other, someone)
        if name.startswith("Oxford"):
            deciding.invite(db.session, staff, interest)
        else:
            deciding.decline(db.session, staff, interest, "Outside the round's priorities")
    db.session.commit()

    page = sign_in_as(staff).get(f"/staff/reports/rounds/{staged_round.id}")

    text = " ".join(page.get_data(as_text=True).split())
    for label, figure in (("Expressions of interest received", 3), ("Invited to apply", 1),
                          ("Declined", 1), ("Waiting for an answer", 1),
                          ("Applications received", 0)):
        assert f'{label}</dt> <dd class="govuk-summary-list__value">{figure}</dd>' in text, label
