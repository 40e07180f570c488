"""Charities, community groups and councils, and the people who belong to them."""
