"""Reference data shipped in the package: the Police and Crime Plan and Thames Valley's areas."""
