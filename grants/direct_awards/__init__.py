"""Direct awards: awards staff make outside any round for an urgent need, decided by the
Commissioner or a named delegate and signed off by a second member of staff, paid from the
fund's available money."""
