"""High Sheriff nominations: awards from the Police Property Act Fund within each county's
allocation of a nomination round."""
