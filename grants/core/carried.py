"""What a browser's session carries across signing in: the answers someone gave to rounds'
"Check if you can apply" before they had an account, so the application they go on to start
begins with them. Nothing kept here grants access to anything.

The session is a plain mapping here (Flask's `session` in a request), so the rules stay
testable without one.
"""

from collections.abc import MutableMapping
from typing import Any

CHECK_ANSWERS = "eligibility_check"
# The session travels in a cookie: it keeps the answers for the rounds checked last.
KEPT_ROUNDS = 3


def check_answers(store: MutableMapping[str, Any], round_code: str) -> dict[str, Any]:
    """The answers kept for the round, or an empty dict."""
    kept = store.get(CHECK_ANSWERS)
    answers = kept.get(round_code) if isinstance(kept, dict) else None
    return dict(answers) if isinstance(answers, dict) else {}


def keep_check_answers(store: MutableMapping[str, Any], round_code: str,
                       answers: dict[str, Any]) -> None:
    """Keep the round's answers, as the newest; the oldest round's go past `KEPT_ROUNDS`."""
    kept = store.get(CHECK_ANSWERS)
    rounds = {code: value for code, value in kept.items()
              if code != round_code} if isinstance(kept, dict) else {}
    rounds[round_code] = answers
    store[CHECK_ANSWERS] = dict(list(rounds.items())[-KEPT_ROUNDS:])


def forget_check_answers(store: MutableMapping[str, Any], round_code: str) -> None:
    kept = store.get(CHECK_ANSWERS)
    if isinstance(kept, dict) and round_code in kept:
        store[CHECK_ANSWERS] = {code: value for code, value in kept.items()
                                if code != round_code}


def clear_keeping_check_answers(store: MutableMapping[str, Any]) -> None:
    """Empty the session (as signing in does, so nothing from before carries over) except
    for the eligibility check's answers."""
    kept = store.get(CHECK_ANSWERS)
    store.clear()
    if isinstance(kept, dict) and kept:
        store[CHECK_ANSWERS] = kept
