"""The columns every stored upload has, whatever record it belongs to; the kinds of document
applications ask for; and the documents an organisation keeps for its applications."""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from grants.core.clock import created_now
from grants.core.translatable import N_
from grants.db import LabelledEnum, str_enum
from grants.extensions import db


class StoredFile:
    """A file someone uploaded, stored outside the web root under a random key."""

    original_filename: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=created_now)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class DocumentKind(LabelledEnum):
    """What an application asks for; what each kind needs (its date, how long it stays good,
    whether one or several) is `grants.documents.operations.kinds`."""

    # Labels marked for the catalogue: a page says them in its language with `_(kind.label)`.
    SAFEGUARDING_POLICY = "safeguarding_policy", N_("Safeguarding policy")
    LATEST_ACCOUNTS = "latest_accounts", N_("Latest accounts")
    GOVERNING_DOCUMENT = "governing_document", N_("Governing document")
    SUPPORTING_DOCUMENT = "supporting_document", N_("Supporting document")


class OrganisationDocument(StoredFile, db.Model):
    """A document an organisation keeps, to use in its applications without uploading it again.

    An application that uses one takes its own copy of the file, so replacing or removing the
    organisation's document never changes an application already made with it.
    """

    __tablename__ = "organisation_document"
    __table_args__ = (
        CheckConstraint("size_bytes > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind, 30))
    # When the policy was last reviewed, the accounts' year end, the governing document's
    # adoption or last change; none for a supporting document.
    document_date: Mapped[date | None]

    def __repr__(self) -> str:
        return f"<OrganisationDocument {self.id} {self.kind.value}>"
