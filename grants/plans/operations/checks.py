"""Rules and audit helpers the plan, priority and key aim operations share."""

from typing import Any

from grants.core.errors import ValidationFailed
from grants.plans.models import MAX_TEXT_LENGTH


def check_text(value: str, field_name: str, name: str) -> None:
    if len(value) > MAX_TEXT_LENGTH:
        raise ValidationFailed(
            {field_name: f"{name} must be {MAX_TEXT_LENGTH} characters or fewer"}
        )


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that changed, before and after."""
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}
