"""The fund's money: what is paid into each fund, and its ledger per financial year."""
