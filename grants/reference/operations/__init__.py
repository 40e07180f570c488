"""Loading the reference data shipped in the package."""
