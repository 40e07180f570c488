"""Domain errors. Services raise these; `grants.core.errors` turns them into pages."""


class GrantsError(Exception):
    """A business rule said no. The message is safe to show to the person who asked."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # The form field the error belongs to, so a view can show it on that field.
        self.field = field


class NotFound(GrantsError):
    """The record does not exist, or the person may not know it does."""

    status_code = 404


class Forbidden(GrantsError):
    status_code = 403


class Conflict(GrantsError):
    """The record changed since the person opened it, or the request repeats a done action."""

    status_code = 409


class ValidationFailed(GrantsError):
    """Several rules said no at once; `errors` maps each form field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(next(iter(errors.values())) if errors else "Check your answers")
        self.errors = errors
