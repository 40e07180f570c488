"""The reports' use cases: what a report covers, its figures, the progress report, downloads."""
