"""A direct awards round's budget is what its awards commit, set in one place
(`grants.awards.operations.committed.settle_direct_budget`): every operation that could release
a direct award (declined or withdrawn) settles it there, and nothing else sets a round's budget
but staff's round settings."""

from tests.fixtures import source

# The modules that release an award, and whether a direct award can be among those they release.
RELEASING = {
    "awards/operations/offers.py": True,  # any offer, declined or withdrawn
    "direct_awards/operations/signing_off.py": True,  # a direct award before sign-off
    "decisions/operations/guard.py": False,  # an award on an application
    "applications/operations/withdrawal.py": False,  # an award on an application
}
SETTING_BUDGETS = {"funds/operations/settings.py", "awards/operations/committed.py"}


def test_only_the_named_modules_release_awards():
    releasing = source.modules_matching(r"\.status = AwardStatus\.(WITHDRAWN|DECLINED)\b")
    assert releasing == set(RELEASING)


def test_each_that_may_release_a_direct_award_settles_its_rounds_budget():
    settling = source.modules_matching(r"\bsettle_direct_budget\(session")

    assert {module for module, direct in RELEASING.items() if direct} <= settling


def test_only_round_settings_and_the_rule_set_a_rounds_budget():
    # Round settings write every column, the budget among them, through setattr over
    # RoundSettings.columns(); the rule for direct awards assigns it by name.
    assert source.modules_matching(r"\.budget_pence = |in settings\.columns\(\)") == SETTING_BUDGETS
