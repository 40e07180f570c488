"""Welsh (issue 25, point 5) for a Community Foundation's onward grants on its award's page:
the figures, the breakdowns and the grants, as the foundation's members read them. The
recipients, titles, priorities and areas are as recorded."""

from datetime import date

import pytest

from grants.accounts.models import Role
from grants.awards.models import Award
from grants.direct_awards.models import DirectAwardKind
from grants.direct_awards.operations.onward import OnwardGrantEntry, add_onward_grant
from tests.core.test_welsh import (  # noqa: F401  (fixtures)
    _assert_welsh,
    _both,
    _office_data,
    _said,
    compiled_welsh,
    welsh_office,
)

pytestmark = pytest.mark.usefixtures("now")  # 1 June 2026: 2026/27


def test_a_foundations_onward_grants_are_in_welsh(
        client, welsh_office, db_session, signed_off, pay_in,  # noqa: F811
        recorder, organisation_factory, plan, user_factory, membership_factory, sign_in_as):
    pay_in(50_000)
    foundation = organisation_factory(name="Heart of Bucks")
    direct = signed_off(organisation_id=foundation.id, amount_pence=1_000_000,
                        kind=DirectAwardKind.DELEGATED, title="Small grants")
    add_onward_grant(db_session, recorder, direct.award_id, OnwardGrantEntry(
        recipient_name="Wycombe Youth Action", amount_pence=400_000,
        awarded_on=date(2026, 5, 20), title="Youth nights",
        key_aim_id=plan.priorities[1].key_aims[1].id))
    user = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=user, organisation=foundation)
    sign_in_as(user)
    path = f"/awards/{direct.award_id}/offer"

    english, welsh = _both(client, path)

    # The plan's priorities and key aims, and the grant, as recorded.
    table = english.split('id="onward-grants"', 1)[1]
    recorded = {text for text in _said(table) if not text.startswith(("By ", "No "))} - {
        "Priority", "Key aim", "Area", "Grants", "Amount", "Made", "Organisation",
        "What it is for", "Serves", "Grants recorded", "Allocated",
        "Not yet recorded as granted", "The grants, the latest made first"}
    award = db_session.get(Award, direct.award_id)
    _assert_welsh(english, welsh, _office_data(welsh_office) | recorded | {
        user.name, "Heart of Bucks", "Small grants", "(PDF)",
        f"Heart of Bucks · {award.round.title}"}, path)
    assert "1 grant, £4,000, i 1 sefydliad" in welsh
    assert "Grantiau a wnaed o’r dyraniad hwn" in welsh
