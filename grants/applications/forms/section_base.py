"""What every section form shares: the version it was opened at, its kept answers, and radios
whose choices carry hints."""

from collections.abc import Callable

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import HiddenField

from grants.applications.models import Application
from grants.core.widgets import RadioInput


class ItemHints:
    """Radios or checkboxes whose choices may carry a hint each: (value, label, {"hint": text})."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item, (_, _, _, render_kw) in zip(params["items"], field.iter_choices(),
                                              strict=False):
            hint = (render_kw or {}).get("hint")
            if hint:
                item.setdefault("hint", {"text": hint})
        return params


class HintedRadioInput(ItemHints, RadioInput):
    pass


class SectionForm(FlaskForm):
    """What every section form has: the version it was opened at, and which button.

    A form whose radios or checkboxes come from the application's round sets them in
    `offer`, from the application it is for.
    """

    version = HiddenField()

    def __init__(self, *args, application: Application, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.offer(application)

    def offer(self, application: Application) -> None:
        """Set the choices the application's round offers."""

    # The fields whose raw values are kept as the section's answers.
    def answers(self) -> dict[str, list[str]]:
        return {
            name: field.raw_data if field.raw_data is not None else []
            for name, field in self._fields.items()
            if name not in {"csrf_token", "version"}
        }

    @classmethod
    def initial_data(cls, application: Application) -> dict:
        """Field values from the application's checked answers, for a first visit."""
        return {}

    def add_another(self) -> str | None:
        """For a section with an "Add another" button: show one more item, and return the
        id of its first field; None when the section has none (or no room for more)."""
        return None

    def remove(self, number: int) -> str | None:
        """For a section with "Add another": take item `number` (from 1) out, move the ones
        after it up, and return the id of the place on the page to go back to; None when the
        section has no such item."""
        return None

    def apply(self) -> Callable[[Session, Application], None]:
        """A function that checks the round's rules and writes the answers."""
        raise TypeError(f"{type(self).__name__} must say how its answers are applied")
