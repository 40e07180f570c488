"""What can be done with documents: one module per use case."""
