"""Monitoring a grant: the reports its recipient owes, variations and repayments."""
