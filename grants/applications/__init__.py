"""Applications to open rounds, from first draft to outcome."""
