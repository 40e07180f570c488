"""The Police and Crime Plan's priorities, the funds and their bidding rounds."""
