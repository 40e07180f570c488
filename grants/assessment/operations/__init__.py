"""Assessment's use cases, one module each, and the read queries its pages need."""
