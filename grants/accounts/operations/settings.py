"""The settings accounts' operations need, read once from the app's configuration by the caller."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AccountSettings:
    """Passwords' cost and strength, emailed links' key and age, and the second factor's rules."""

    secret_key: str
    argon2_time_cost: int
    argon2_memory_cost: int
    argon2_parallelism: int
    password_min_length: int
    password_min_strength: int
    verification_max_age_hours: int
    reset_max_age_minutes: int
    totp_required_for_staff: bool
    totp_issuer: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "AccountSettings":
        """The settings in an app's configuration (views and commands pass `current_app.config`)."""
        return cls(
            secret_key=config["SECRET_KEY"],
            argon2_time_cost=config["ARGON2_TIME_COST"],
            argon2_memory_cost=config["ARGON2_MEMORY_COST"],
            argon2_parallelism=config["ARGON2_PARALLELISM"],
            password_min_length=config["PASSWORD_MIN_LENGTH"],
            password_min_strength=config["PASSWORD_MIN_STRENGTH"],
            verification_max_age_hours=config["EMAIL_VERIFICATION_MAX_AGE_HOURS"],
            reset_max_age_minutes=config["PASSWORD_RESET_MAX_AGE_MINUTES"],
            totp_required_for_staff=bool(config["REQUIRE_TOTP_FOR_STAFF"]),
            totp_issuer=config["TOTP_ISSUER"],
        )
