"""360Giving use cases: the standard's mapping, export, import and the public register."""
