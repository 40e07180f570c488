"""The registry of every email the service sends: its kind, its template and its subject.

Each area's `notifications.py` declares its emails with `email(...)` and queues them with
`rendered(...)`; operations call those notifications and never render a template themselves.
The kind names the template: `"<area>.<name>"` renders `templates/<area>/emails/<name>.txt`.
"""

from dataclasses import dataclass
from typing import Any

from flask import render_template

REGISTRY: dict[str, "Email"] = {}


@dataclass(frozen=True)
class Email:
    """One kind of email: `subject` is formatted with the same values as the template."""

    kind: str
    template: str
    subject: str


def email(kind: str, subject: str) -> Email:
    """Declare a kind of email (once: a second declaration of a kind is a mistake)."""
    if kind in REGISTRY:
        raise ValueError(f"the email {kind!r} is declared twice")
    area, name = kind.split(".")
    REGISTRY[kind] = declared = Email(kind, f"{area}/emails/{name}.txt", subject)
    return declared


def rendered(declared: Email, **values: Any) -> dict[str, str]:
    """The subject and plain-text body of an email, ready for `queue_email(**...)`."""
    return {
        "subject": declared.subject.format(**values),
        "body_text": render_template(declared.template, **values),
    }
