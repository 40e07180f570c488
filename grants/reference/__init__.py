"""Reference data shipped in the package: the first office, its Police and Crime Plan and its
areas."""
