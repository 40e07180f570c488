"""The presentation ceremony: staff invite a financial year's recipients to the awards event,
each invited organisation replies (who comes, access needs, photo consent), and each recipient
downloads a certificate of its award."""
