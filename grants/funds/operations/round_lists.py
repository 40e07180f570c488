"""A round's ordered lists (eligibility questions, scoring criteria): finding an item, adding
to a list, changing an item and removing it work alike, so they are written once here."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from grants.core.errors import NotFound, ValidationFailed
from grants.funds.models import Round
from grants.funds.operations.rounds import locked_reason, next_position
from grants.records.operations.audit import record_changes, record_event


@dataclass(frozen=True)
class RoundList:
    """How one of a round's lists finds, checks, saves and audits its items."""

    attribute: str  # the round's relationship, e.g. "eligibility_questions"
    item: str  # what an item is called: "question" (audit action round.question_added)
    locked: str  # what can no longer change once applications are in
    field: str  # the form field a refusal shows on
    errors: Callable[[Any], dict[str, str]]  # the details' rule breaks, by field
    create: Callable[..., Any]  # the model, called with position=
    apply: Callable[[Any, Any], None]  # copies the details onto an item
    snapshot: Callable[[Any], dict[str, Any]]  # an item as the audit log keeps it
    # Why the list can no longer change, or None while it can: by default once the round has
    # applications (`rounds.locked_reason`).
    lock: Callable[[Session, Round, str], str | None] = locked_reason

    def locked_reason(self, session: Session, round_: Round) -> str | None:
        return self.lock(session, round_, self.locked)

    def check(self, session: Session, round_: Round, details: Any | None) -> None:
        reason = self.locked_reason(session, round_)
        if reason is not None:
            raise ValidationFailed({self.field: reason})
        errors = self.errors(details) if details is not None else {}
        if errors:
            raise ValidationFailed(errors)

    def find(self, round_: Round, item_id: int) -> Any:
        """The round's item with this id, or NotFound."""
        for item in getattr(round_, self.attribute):
            if item.id == item_id:
                return item
        raise NotFound(f"There is no such {self.item} in this round")

    def add(self, session: Session, round_: Round, details: Any, *,
            actor_id: int | None) -> Any:
        """A new item at the end of the round's list."""
        self.check(session, round_, details)
        items = getattr(round_, self.attribute)
        item = self.create(position=next_position(items))
        self.apply(item, details)
        items.append(item)
        session.flush()
        record_event(session, actor_id=actor_id, action=f"round.{self.item}_added",
                     entity_type="round", entity_id=round_.id, after=self.snapshot(item))
        return item

    def update(self, session: Session, item: Any, details: Any, *,
               actor_id: int | None) -> Any:
        self.check(session, item.round, details)
        before = self.snapshot(item)
        self.apply(item, details)
        session.flush()
        record_changes(session, f"round.{self.item}_changed", "round", item.round_id, before,
                       self.snapshot(item), actor_id)
        return item

    def remove(self, session: Session, item: Any, *, actor_id: int | None) -> None:
        round_ = item.round
        self.check(session, round_, None)
        before = self.snapshot(item)
        getattr(round_, self.attribute).remove(item)
        session.flush()
        record_event(session, actor_id=actor_id, action=f"round.{self.item}_removed",
                     entity_type="round", entity_id=round_.id, before=before)
