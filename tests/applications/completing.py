"""Filling in a whole application without its section pages, for tests of what comes after.

The answers go straight into the application's columns and every section is marked completed,
so these tests do not depend on each section's form.
"""

import re
from datetime import date

from grants.applications.models import (
    Application,
    ApplicationSection,
    BudgetLine,
    SectionStatus,
)
from grants.applications.operations.sections import SECTIONS
from grants.extensions import db
from tests.fixtures.auth import csrf_token_from

TITLE = "Night shelter outreach"


def complete(application: Application, **answers) -> Application:
    """Answer every question and mark every section completed; committed (to the test's
    savepoint) so that a request that rolls back keeps it."""
    values = {
        "title": TITLE,
        "summary": "Volunteers meet people sleeping rough and link them to support.",
        "description": "We will run outreach three nights a week.\nAnd a drop-in on Sundays.",
        "planned_start": date(2027, 1, 1),
        "planned_end": date(2027, 12, 31),
        "amount_requested_pence": 500_000,
        "total_cost_pence": 750_000,
        "other_funding": "£2,500 from the parish council",
        "beneficiaries_count": 1200,
        "beneficiary_groups": "People sleeping rough in Reading",
        "outcomes": "Fewer people sleeping rough for more than one night.",
        "serves_whole_thames_valley": True,
        "declared_by_name": "Jo Member",
        "declared_by_position": "Chair of trustees",
    }
    values.update(answers)
    for name, value in values.items():
        setattr(application, name, value)
    if not application.budget_lines:
        application.budget_lines = [
            BudgetLine(position=1, description="Volunteer expenses", amount_pence=300_000),
            BudgetLine(position=2, description="Sleeping bags", amount_pence=200_000),
        ]
    done = {row.key for row in application.sections}
    for row in application.sections:
        row.status = SectionStatus.COMPLETED
    for section in SECTIONS:
        if section.key not in done:
            application.sections.append(ApplicationSection(
                key=section.key, status=SectionStatus.COMPLETED, answers={}, version=1))
    db.session.commit()
    return application


def check_answers_path(application: Application) -> str:
    return f"/applications/{application.id}/check"


def submit_path(application: Application) -> str:
    return f"/applications/{application.id}/submit"


def submit_form(client, application: Application) -> dict[str, str]:
    """The fields of the check your answers page's form, as the browser would send them."""
    response = client.get(check_answers_path(application))
    assert response.status_code == 200, f"check answers answered {response.status_code}"
    page = response.get_data(as_text=True)
    version = re.search(r'<input[^>]*name="version"[^>]*value="(\d+)"', page).group(1)
    return {"csrf_token": csrf_token_from(page), "version": version}


def submit(client, application: Application):
    """Open check your answers and press "Accept and send"."""
    return client.post(submit_path(application), data=submit_form(client, application))
