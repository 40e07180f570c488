"""The record of what happened: audit events and the email outbox."""
