"""Rules the plan, priority and key aim operations share."""

from grants.core.errors import ValidationFailed
from grants.plans.models import MAX_TEXT_LENGTH


def check_text(value: str, field_name: str, name: str) -> None:
    if len(value) > MAX_TEXT_LENGTH:
        raise ValidationFailed(
            {field_name: f"{name} must be {MAX_TEXT_LENGTH:,} characters or fewer"}
        )

