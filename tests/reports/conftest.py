"""Fixtures for the reports: the hand-built 2019/20 data set and a signed-in member of staff."""

import pytest

from grants.accounts.models import Role
from tests.reports.report_data import build_report_data


@pytest.fixture
def report_data(db_session):
    data = build_report_data()
    db_session.commit()
    return data


@pytest.fixture
def staff(user_factory):
    return user_factory(roles=[Role.STAFF])


@pytest.fixture
def staff_client(staff, sign_in_as):
    return sign_in_as(staff)
