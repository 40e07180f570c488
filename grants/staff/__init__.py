"""The staff area: an overview of the funds and rounds, and (for admins) the people."""
