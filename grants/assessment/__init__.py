"""Assessment: eligibility screening, reviewers, conflicts of interest, scoring and ranking."""
