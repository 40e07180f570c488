"""What is wrong with typed answers, for operations that check every field before they refuse,
so a page shows all of a form's problems at once."""

from grants.core.errors import ValidationFailed


def text_problem(text: str, missing: str, limit: int, what: str) -> str | None:
    """Why the trimmed text will not do (`missing` when empty, or too long), or None.

    The same rule as `grants.core.errors.required_text`, which refuses at the first.
    """
    if not text:
        return missing
    if len(text) > limit:
        return f"{what} must be {limit:,} characters or fewer"
    return None


def amount_problem(amount_pence: int | None, missing: str) -> str | None:
    """Why the amount will not do (`missing` when there is none, or not above £0), or None."""
    if amount_pence is None:
        return missing
    if amount_pence <= 0:
        return "Enter an amount of more than £0"
    return None


def refuse_any(problems: dict[str, str | None]) -> None:
    """Refuse with every field's problem at once (None: the field is fine), if there is any."""
    errors = {field: message for field, message in problems.items() if message}
    if errors:
        raise ValidationFailed(errors)
