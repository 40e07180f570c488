"""Whether an organisation of a type may apply to a round is decided in one place
(`grants.funds.operations.who_may_apply.may_apply_as`): the application's start page and the
round's public eligibility check call it, and no other module tests a type against a round's
types of its own accord."""

from grants.funds.models import RoundOrganisationType
from grants.funds.operations.who_may_apply import may_apply_as, types_that_may_apply
from grants.organisations.models import OrganisationType
from tests.fixtures import source

RULE = "funds/operations/who_may_apply.py"
# Setting a round's types compares the types staff chose with those it has: not a judgement
# on anyone who applies.
SETTING_TYPES = "funds/operations/setup.py"


def test_only_the_rule_tests_a_type_against_a_rounds_types():
    # "kind in round_.organisation_types", not "for kind in round_.organisation_types".
    testing = source.modules_matching(r"(?m)^(?!.*\bfor \w+ in [\w.]*\.organisation_types\b)"
                                      r".*\bin [\w.]*\.organisation_types\b")
    assert testing == {RULE, SETTING_TYPES}


def test_the_start_page_and_the_check_call_the_rule():
    calling = source.modules_matching(r"\bmay_apply_as\(")

    assert {"applications/operations/starting.py", "rounds/operations/checking.py"} <= calling


def test_a_type_may_apply_only_when_the_round_names_it(round_factory):
    round_ = round_factory()
    round_.organisation_type_rows = [
        RoundOrganisationType(organisation_type=kind)
        for kind in (OrganisationType.COMMUNITY_GROUP, OrganisationType.REGISTERED_CHARITY)]

    assert may_apply_as(round_, OrganisationType.COMMUNITY_GROUP)
    assert not may_apply_as(round_, OrganisationType.LOCAL_AUTHORITY)
    assert types_that_may_apply(round_) == [OrganisationType.REGISTERED_CHARITY,
                                            OrganisationType.COMMUNITY_GROUP]
