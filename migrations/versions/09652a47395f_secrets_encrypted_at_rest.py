"""Secrets at rest: bank details and second-factor secrets encrypted; the last code step kept

Bank details (name on the account, sort code, account number) and the TOTP secrets of
authenticator apps were stored in clear text, so anyone with a copy of the database (a backup,
a replica, a support dump) could read them. They are now Fernet tokens (grants.core.encryption);
the columns become TEXT, as a token is longer than the value. Every existing row is encrypted
here, under the newest key of the running configuration.

How to run it: set ENCRYPTION_KEYS (in production: `flask keys new` makes a key; keep it
with the other secrets, outside the database and its backups) in the environment of
`flask --app grants db upgrade`, exactly as the app will have it. Without ENCRYPTION_KEYS
(development and tests only) the key is derived from SECRET_KEY, so changing SECRET_KEY
afterwards makes these rows unreadable.

Also adds user_account.totp_last_step: the 30-second step of the last sign-in code accepted,
so a code cannot be used twice even on two servers. Existing rows start empty (no code used).

Downgrading decrypts the rows back into the old clear-text columns (with the same keys).

Revision ID: 09652a47395f
Revises: 3c1f0a9d7b21
Create Date: 2026-12-06 19:36:09.209514

"""
import sqlalchemy as sa
from alembic import op

from grants.core.encryption import key_ring

# revision identifiers, used by Alembic.
revision = '09652a47395f'
down_revision = '3c1f0a9d7b21'
branch_labels = None
depends_on = None

# (table, column, clear-text length, nullable)
SECRETS = [
    ("bank_details", "account_name", 200, False),
    ("bank_details", "sort_code", 6, False),
    ("bank_details", "account_number", 8, False),
    ("user_account", "totp_secret", 64, True),
]


def _convert(table: str, columns: list[str], change) -> None:
    """Rewrite every non-empty value of the columns through `change`."""
    bind = op.get_bind()
    selected = sa.table(table, sa.column("id"), *(sa.column(name, sa.Text) for name in columns))
    rows = bind.execute(sa.select(selected)).all()
    for row in rows:
        values = {name: change(getattr(row, name)) for name in columns
                  if getattr(row, name) is not None}
        if values:
            bind.execute(sa.update(selected).where(selected.c.id == row.id).values(values))


def _columns_of(table: str) -> list[str]:
    return [column for name, column, _, _ in SECRETS if name == table]


def upgrade():
    for table in ("bank_details", "user_account"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == "user_account":
                batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
            for name, column, length, nullable in SECRETS:
                if name == table:
                    batch_op.alter_column(column, existing_type=sa.VARCHAR(length=length),
                                          type_=sa.Text(), existing_nullable=nullable)
    keys = key_ring()
    for table in ("bank_details", "user_account"):
        _convert(table, _columns_of(table),
                 lambda value: keys.encrypt(value.encode()).decode())


def downgrade():
    keys = key_ring()
    for table in ("bank_details", "user_account"):
        _convert(table, _columns_of(table),
                 lambda value: keys.decrypt(value.encode()).decode())
    for table in ("user_account", "bank_details"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, column, length, nullable in SECRETS:
                if name == table:
                    batch_op.alter_column(column, existing_type=sa.Text(),
                                          type_=sa.VARCHAR(length=length),
                                          existing_nullable=nullable)
            if table == "user_account":
                batch_op.drop_column('totp_last_step')
