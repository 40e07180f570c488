"""The background worker (`flask worker`): procrastinate, on the service's own PostgreSQL,
sends the email outbox and runs the daily jobs on a schedule, so no server needs cron."""
