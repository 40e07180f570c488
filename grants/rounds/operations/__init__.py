"""What the public rounds pages work out: a round's eligibility check."""
