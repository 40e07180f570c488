"""Offices: each Police and Crime Commissioner's office that runs its grant funds here."""
