"""The service's two kinds of error, never mixed.

A **refusal** is a business rule saying no. It carries the field it is about and a message for
the person; the view shows it on the form (or on the page the button was on) and nothing is
saved, because the request's end rolls back.

An **access error** says the record does not exist, or the person may not know it does, or may
not act on it. No view catches one: `grants.core.error_pages` answers 404 or 403 in the layout.
"""

from typing import TypeVar

T = TypeVar("T")


class Refusal(Exception):
    """A business rule said no. The message is safe to show to the person who asked."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # The form field the refusal belongs to, so a view can show it on that field.
        self.field = field

    @property
    def errors(self) -> dict[str | None, str]:
        """Each form field (None: no field) mapped to its message."""
        return {self.field: self.message}

    @classmethod
    def raise_if(cls, why: str | None) -> None:
        """Refuse with `why`, the answer of a `why_not_…` check, when it gave one."""
        if why:
            raise cls(why)


class ValidationFailed(Refusal):
    """Several rules said no at once; `errors` maps each form field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(next(iter(errors.values())) if errors else "Check your answers")
        self._errors = dict(errors)

    @property
    def errors(self) -> dict[str | None, str]:
        return dict(self._errors)


class Conflict(Refusal):
    """The record changed since the person opened it, or the request repeats a done action."""

    status_code = 409


def required_text(value: str | None, field: str, missing: str, limit: int, what: str) -> str:
    """The typed text, trimmed; refused on its field when empty or longer than `limit`."""
    text = (value or "").strip()
    if not text:
        raise ValidationFailed({field: missing})
    if len(text) > limit:
        raise ValidationFailed({field: f"{what} must be {limit:,} characters or fewer"})
    return text


def unanswered(**answers: tuple[object, str]) -> dict[str, str]:
    """For each field whose answer (`(answer, message)`) is not given yet, its message: text
    left empty, or a number or date left out (0 is an answer)."""
    return {field: message for field, (answer, message) in answers.items()
            if answer is None or answer == ""}


class AccessError(Exception):
    """The person may not reach this record: answered 404 or 403, never caught by a view."""

    status_code = 404

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(AccessError):
    """The record does not exist, or the person may not know it does."""

    status_code = 404


def or_not_found(record: T | None, message: str) -> T:
    """The record, or NotFound with the message when there is none."""
    if record is None:
        raise NotFound(message)
    return record


def only_if_visible(record: T, visible: bool, message: str) -> T:
    """The record, for someone who may know of it; to anyone else it does not exist (NotFound
    with the message, the same answer as for no record at all)."""
    if not visible:
        raise NotFound(message)
    return record


class Forbidden(AccessError):
    """The person knows the record but may not do this to it."""

    status_code = 403
