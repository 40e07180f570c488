"""What the staff pages read: the rounds dashboard and the list of people."""
