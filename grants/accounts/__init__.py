"""People: registration, signing in and out, passwords, roles."""
