"""Documents: checking uploaded files, storing them, and handing them back for download."""
