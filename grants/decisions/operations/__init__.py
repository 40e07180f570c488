"""What staff do with decisions, one module per use case, and the reads their pages need."""
