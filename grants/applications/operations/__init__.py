"""What can be done with applications: one module per use case."""
