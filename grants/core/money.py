"""Money typed by people, in pounds, to integer pence; and back.

The service stores pence only. People type pounds: "£5,000", "5000", "5000.50". Anything that
is not plainly an amount of money is refused, never guessed at: "£1,00.5", "-5", "1e6".
"""

import re

# Pounds with optional thousands separators (in groups of three), then optional pence.
_AMOUNT = re.compile(r"^(?P<pounds>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<pence>[0-9]{1,2}))?$")
# Far above any grant or budget, and well inside a 64-bit integer of pence.
MAX_PENCE = 1_000_000_000_00


class MoneyError(ValueError):
    """The text is not an amount of money; the message says why, for the person."""


def parse_pounds(text: str | None, *, allow_zero: bool = True) -> int:
    """Pence from an amount typed in pounds. Raises MoneyError with a message for people."""
    value = (text or "").strip().replace(" ", "")
    if value.startswith("£"):
        value = value[1:]
    if not value:
        raise MoneyError("Enter an amount in pounds, like 5000 or £5,000.50")
    if value.startswith("-"):
        raise MoneyError("Enter an amount of £0 or more" if allow_zero
                         else "Enter an amount of more than £0")
    match = _AMOUNT.match(value)
    if match is None:
        raise MoneyError("Enter an amount in pounds and pence only, like 5000 or £5,000.50")
    pounds = int(match["pounds"].replace(",", ""))
    pence = int((match["pence"] or "0").ljust(2, "0"))
    total = pounds * 100 + pence
    if total > MAX_PENCE:
        raise MoneyError("Enter an amount of £1,000,000,000 or less")
    if total == 0 and not allow_zero:
        raise MoneyError("Enter an amount of more than £0")
    return total


def pounds_text(pence: int | None) -> str:
    """Pence as pounds for a form field: 500000 -> "5000", 500050 -> "5000.50"."""
    if pence is None:
        return ""
    pounds, rest = divmod(pence, 100)
    return f"{pounds}" if rest == 0 else f"{pounds}.{rest:02d}"
