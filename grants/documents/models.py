"""The columns every stored upload has, whatever record it belongs to."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from grants.core.clock import created_now


class StoredFile:
    """A file someone uploaded, stored outside the web root under a random key."""

    original_filename: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=created_now)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
