"""What a session carries across signing in: the eligibility check's answers, for the last few
rounds checked, and nothing else."""

from grants.core import carried


def test_signing_in_empties_the_session_but_for_the_checks_answers():
    store = {"_user_id": "7", "csrf_token": "x"}
    carried.keep_check_answers(store, "PPAF-2026-1", {"amount_pence": 250_000})

    carried.clear_keeping_check_answers(store)

    assert store == {carried.CHECK_ANSWERS: {"PPAF-2026-1": {"amount_pence": 250_000}}}


def test_only_the_last_rounds_checked_are_kept():
    store: dict = {}
    for number in range(1, carried.KEPT_ROUNDS + 2):
        carried.keep_check_answers(store, f"R-{number}", {"n": number})
    carried.keep_check_answers(store, "R-2", {"n": 22})  # checked again: the newest

    kept = store[carried.CHECK_ANSWERS]
    assert len(kept) == carried.KEPT_ROUNDS
    assert "R-1" not in kept
    assert list(kept)[-1] == "R-2" and kept["R-2"] == {"n": 22}


def test_answers_in_a_tampered_session_read_as_none():
    store = {carried.CHECK_ANSWERS: ["not", "a", "dict"]}

    assert carried.check_answers(store, "R-1") == {}
    carried.clear_keeping_check_answers(store)
    assert store == {}


def test_a_round_s_answers_are_forgotten_once_used():
    store: dict = {}
    carried.keep_check_answers(store, "R-1", {"n": 1})
    carried.keep_check_answers(store, "R-2", {"n": 2})

    carried.forget_check_answers(store, "R-1")

    assert carried.check_answers(store, "R-1") == {}
    assert carried.check_answers(store, "R-2") == {"n": 2}
