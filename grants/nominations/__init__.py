"""High Sheriff nominations: awards within each county's allocation of a nomination round."""
