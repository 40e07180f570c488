"""Security and data protection: rate limits, retention, data export and backups."""
