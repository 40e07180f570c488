"""Demo data for development: a believable office to click around in."""
