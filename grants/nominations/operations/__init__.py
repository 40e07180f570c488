"""Nominations' use cases: the county guard, nominating, changing, and staff's decisions."""
