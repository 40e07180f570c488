"""What staff do to funds and rounds, one module per use case, and what the pages read."""
