"""The staff area: the rounds dashboard, and (for admins) the people."""
