"""`flask retention run`, `flask backup`, `flask keys` and `flask personal-data export`."""

import logging
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from grants.accounts.operations.users import find_user_by_email
from grants.core.encryption import key_ring, new_key
from grants.documents.operations.storage import storage_for
from grants.extensions import db
from grants.security.operations.backup import BackupError, backup_database, decrypt_backup
from grants.security.operations.export import export_json
from grants.security.operations.keys import rotate_keys
from grants.security.operations.restore_check import restore_check
from grants.security.operations.retention import run_retention

logger = logging.getLogger(__name__)

retention_cli = AppGroup("retention", help="Anonymise old personal data.")
personal_data_cli = AppGroup("personal-data", help="A person's data, on request.")
keys_cli = AppGroup("keys", help="The keys that encrypt secrets at rest (ENCRYPTION_KEYS).")


def _plural(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only count what is due; change nothing.")
@click.option("--years", type=click.IntRange(min=1),
              help="Override RETENTION_YEARS for this run.")
def retention_run_command(dry_run: bool, years: int | None) -> None:
    """Anonymise unsuccessful applications and unused accounts older than RETENTION_YEARS."""
    storage = storage_for(current_app.config)
    if years is None:
        years = current_app.config["RETENTION_YEARS"]
    report = run_retention(db.session, storage, years=years, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "Would anonymise" if dry_run else "Anonymised"
    click.echo(f"Cut-off: {report.cutoff:%Y-%m-%d %H:%M} UTC")
    click.echo(f"{verb} {_plural(len(report.application_ids), 'application')} "
               f"({_plural(report.documents_removed, 'document')} removed) and "
               f"{_plural(len(report.user_ids), 'account')} "
               f"({_plural(report.emails_redacted, 'email')} redacted).")
    click.echo(f"{verb} {_plural(len(report.interest_ids), 'expression')} of interest "
               "(words and answers removed).")
    replies = len(report.ceremony_reply_ids)
    click.echo(f"{verb} {replies} ceremony {'reply' if replies == 1 else 'replies'} (names, "
               "access needs and photo consent removed).")
    if dry_run:
        click.echo("Dry run: nothing was changed.")


@click.group("backup", invoke_without_command=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: a dated file in instance/backups).")
@click.pass_context
def backup_command(context: click.Context, output: Path | None) -> None:
    """Write a consistent backup of the database (SQLite file copy, or pg_dump custom format),
    encrypted with ENCRYPTION_KEYS. `backup restore-check FILE` proves one restores."""
    if context.invoked_subcommand is not None:
        return
    try:
        path = backup_database(
            current_app.config["SQLALCHEMY_DATABASE_URI"], output, keys=key_ring(),
            folder=Path(current_app.instance_path) / "backups",
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Encrypted backup written to {path} ({path.stat().st_size} bytes)")


@backup_command.command("restore-check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_check_command(file: Path) -> None:
    """Decrypt a backup, restore it into a scratch database and count each table's rows."""
    try:
        report = restore_check(file, key_ring(),
                               database_url=current_app.config["SQLALCHEMY_DATABASE_URI"])
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    for name, count in report.row_counts.items():
        click.echo(f"{name}: {_plural(count, 'row')}")
    click.echo(f"The {report.kind} backup decrypts and restores: "
               f"{_plural(len(report.row_counts), 'table')}, "
               f"{_plural(sum(report.row_counts.values()), 'row')}.")


@keys_cli.command("new")
def new_key_command() -> None:
    """Print a new random key, to put at the front of ENCRYPTION_KEYS."""
    click.echo(new_key())


@keys_cli.command("rotate")
def rotate_command() -> None:
    """Re-encrypt every encrypted value under the newest key of ENCRYPTION_KEYS.

    Put the new key first and keep the old ones after it, restart the app, run this, then
    drop the old keys (keep them as long as backups made under them are kept).
    """
    rewritten = rotate_keys(db.session, db.metadata, key_ring())
    db.session.commit()
    for name, count in rewritten.items():
        click.echo(f"{name}: {_plural(count, 'value')} re-encrypted")
    click.echo("Every encrypted value is now under the newest key.")


@backup_command.command("decrypt")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the clear copy (a SQLite file, or a dump for pg_restore).")
def decrypt_command(file: Path, output: Path) -> None:
    """Decrypt a backup to restore it. The clear copy holds bank details: delete it after."""
    try:
        kind = decrypt_backup(file, output, key_ring())
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"The {kind} backup decrypted to {output}; delete it once restored.")


@personal_data_cli.command("export")
@click.argument("email")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: print the JSON).")
def export_command(email: str, output: Path | None) -> None:
    """Export everything held about the person with this email address, as JSON."""
    user = find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException("There is no user with that email address")
    text = export_json(db.session, user, actor_id=None)
    db.session.commit()
    if output is None:
        click.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote the data of user {user.id} to {output}")
