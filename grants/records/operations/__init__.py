"""What the record does: write audit events, queue and send emails, read the audit log."""
