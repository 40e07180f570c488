"""The public pages about funding rounds: the open and upcoming rounds, and each round's page."""
