"""What staff do to plans, their priorities and key aims, and what pages read of them."""
