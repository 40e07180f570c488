"""What monitoring does: one module per use case, and the read queries its pages need."""
