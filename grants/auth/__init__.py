"""Who may do what: every permission is decided in `permissions`."""
