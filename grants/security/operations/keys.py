"""Key rotation: every encrypted column re-encrypted under the newest of ENCRYPTION_KEYS."""

import logging

from cryptography.fernet import MultiFernet
from sqlalchemy import Column, MetaData, Text, column, select, table, update
from sqlalchemy.orm import Session

from grants.core.encryption import Encrypted
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def encrypted_columns(metadata: MetaData) -> list[Column]:
    """Every column of the schema stored encrypted, in a steady order."""
    return [column for table_ in metadata.sorted_tables for column in table_.columns
            if isinstance(column.type, Encrypted)]


def rotate_keys(session: Session, metadata: MetaData, keys: MultiFernet) -> dict[str, int]:
    """Re-encrypt every value of every encrypted column under the newest key (the old keys
    must still be in the list); the number of values rewritten, by `table.column`."""
    rewritten: dict[str, int] = {}
    for encrypted in encrypted_columns(metadata):
        # A plain TEXT view of the column: the tokens as stored, not the values they hide.
        raw = table(encrypted.table.name, column("id"), column(encrypted.name, Text))
        value = raw.c[encrypted.name]
        count = 0
        for row_id, token in session.execute(
                select(raw.c.id, value).where(value.is_not(None)).order_by(raw.c.id)):
            session.execute(update(raw).where(raw.c.id == row_id)
                            .values({encrypted.name: keys.rotate(token.encode()).decode()}))
            count += 1
        rewritten[f"{encrypted.table.name}.{encrypted.name}"] = count
    record_event(session, actor_id=None, action="keys.rotated", entity_type="encryption_keys",
                 entity_id=None, after=rewritten)
    logger.info("encryption keys rotated: %s", rewritten)
    return rewritten
