"""Awards' use cases: offers and their answers, bank details, payments and the finance download."""
