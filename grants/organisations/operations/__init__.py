"""What can be done with organisations: one module per use case."""
