"""Money at the service's edges: pence to pounds and back, in one place.

The service stores integer pence only. Each way pounds are written or read is here once:

- `format_pounds`: pages, emails and messages ("£1,234", "£1,234.50", "-£5").
- `pounds_text`: a form field's value ("1234", "1234.50").
- `pounds_decimal`: a spreadsheet cell, CSV ("1234.50") or XLSX (a number).
- `pounds_number`: a JSON number (1234 or 1234.5).
- `parse_pounds`: what a person typed; refuses anything not plainly money ("£1,00.5", "-5",
  "1e6") with a message for them.
- `parse_file_pounds`: an amount in a data file (a 360Giving grant), number or text.
"""

import re
from decimal import Decimal, InvalidOperation

from grants.core.translatable import N_

# Pounds with optional thousands separators (in groups of three), then optional pence.
_AMOUNT = re.compile(r"^(?P<pounds>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<pence>[0-9]{1,2}))?$")
# Far above any grant or budget, and well inside a 64-bit integer of pence.
MAX_PENCE = 1_000_000_000_00


# --- Writing pounds ---------------------------------------------------------------------------

def format_pounds(pence: int | None) -> str:
    """Integer pence as pounds: "£1,234" when whole, "£1,234.50" otherwise; None as ""."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pounds, remainder = divmod(abs(pence), 100)
    if remainder:
        return f"{sign}£{pounds:,}.{remainder:02d}"
    return f"{sign}£{pounds:,}"


def pounds_text(pence: int | None) -> str:
    """Pence as pounds for a form field: 500000 -> "5000", 500050 -> "5000.50"."""
    if pence is None:
        return ""
    pounds, rest = divmod(pence, 100)
    return f"{pounds}" if rest == 0 else f"{pounds}.{rest:02d}"


def pounds_decimal(pence: int | None) -> Decimal | None:
    """Pence as an exact number of pounds with two places, for a spreadsheet cell: a CSV
    writes it as "1234.50" (or "-5.00"), an XLSX cell holds the number."""
    if pence is None:
        return None
    return Decimal(pence).scaleb(-2)


def pounds_number(pence: int) -> int | float:
    """Pence as a JSON number of pounds: whole pounds as an integer, else two decimals.

    A float's shortest representation of a two-decimal amount is that amount, so the JSON text
    reads exactly as the pence say.
    """
    if pence % 100 == 0:
        return pence // 100
    return float(Decimal(pence) / 100)


# --- Reading pounds ---------------------------------------------------------------------------

class MoneyError(ValueError):
    """The text is not an amount of money; the message says why, for the person."""


def parse_pounds(text: str | None, *, allow_zero: bool = True) -> int:
    """Pence from an amount typed in pounds. Raises MoneyError with a message for people."""
    value = (text or "").strip().replace(" ", "")
    if value.startswith("£"):
        value = value[1:]
    if not value:
        raise MoneyError(N_("Enter an amount in pounds, like 5000 or £5,000.50"))
    if value.startswith("-"):
        raise MoneyError(N_("Enter an amount of £0 or more") if allow_zero
                         else N_("Enter an amount of more than £0"))
    match = _AMOUNT.match(value)
    if match is None:
        raise MoneyError(
            N_("Enter an amount in pounds and pence only, like 5000 or £5,000.50"))
    pounds = int(match["pounds"].replace(",", ""))
    pence = int((match["pence"] or "0").ljust(2, "0"))
    total = pounds * 100 + pence
    if total > MAX_PENCE:
        raise MoneyError(N_("Enter an amount of £1,000,000,000 or less"))
    if total == 0 and not allow_zero:
        raise MoneyError(N_("Enter an amount of more than £0"))
    return total


class AmountError(ValueError):
    """An amount in a data file that is not one the service can hold; the message names the
    value, for the problem list of an import."""


def parse_file_pounds(value: object) -> int:
    """Pence from an amount in pounds in a data file (a number or text, at most 2 decimal
    places, above 0 and no more than £1,000,000,000). Laxer than `parse_pounds` on form
    ("1500.5", "1,500"), as files are."""
    if isinstance(value, bool) or value is None:
        raise AmountError("Enter an amount in pounds")
    text = str(value).strip().replace(",", "").removeprefix("£")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise AmountError(f"{value!r} is not an amount in pounds") from None
    if not amount.is_finite():
        raise AmountError(f"{value!r} is not an amount in pounds")
    if amount <= 0:
        raise AmountError("The amount must be more than 0")
    # Before quantizing, which cannot hold more digits than the context's precision.
    if amount * 100 > MAX_PENCE:
        raise AmountError("The amount must be £1,000,000,000 or less")
    if amount != amount.quantize(Decimal("0.01")):
        raise AmountError(f"{value!r} has more than 2 decimal places")
    return int(amount * 100)
