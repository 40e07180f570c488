"""Which office a record is: the one office whose own it is, found from the record's kind and id
through its model's `office_holds` (its own office column, or its parent's)."""

import re

from sqlalchemy import Integer, literal_column, select
from sqlalchemy.orm import Session, aliased

from grants.db import Base
from grants.offices.models import Office, OfficeOwned
from grants.offices.operations.scoping import EVERY_OFFICE


def kind_of(model: type) -> str:
    """A model's kind as records name it: `MonitoringReport` is "monitoring_report"."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def office_owned_model(kind: str) -> type[OfficeOwned] | None:
    """The office-owned model of a kind of record ("round", "user"); None for a kind every
    office shares (an organisation) or that names no model."""
    for mapper in Base.registry.mappers:
        model = mapper.class_
        if issubclass(model, OfficeOwned) and kind_of(model) == kind:
            return model
    return None


def office_of_record(session: Session, kind: str, record_id: int | None) -> int | None:
    """The one office whose own the record is; None when it is every office's or no office's
    (an applicant's account, an organisation), or is no longer there. Read across every office:
    a session scoped to one office may act on another's record only where that is the point
    (merging an organisation's records), and the record's office is then still its own."""
    model = office_owned_model(kind)
    if model is None or record_id is None:
        return None
    # The candidate office is named in SQL's words, not as a column SQLAlchemy knows: the
    # criteria nest it two selects down (a round's fund's office), where SQLAlchemy would not
    # correlate it to the outer select but add the office table to the inner one.
    owner = aliased(Office, name="candidate_office")
    candidate = literal_column("candidate_office.id", Integer)
    record = select(model.id).where(model.id == record_id, model.office_holds(candidate))
    offices = session.scalars(select(owner.id).where(record.exists()).limit(2)
                              .execution_options(**EVERY_OFFICE)).all()
    return offices[0] if len(offices) == 1 else None
