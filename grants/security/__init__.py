"""Data protection: retention, a person's data on request, and backups."""
