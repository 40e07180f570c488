"""The Police and Crime Plan's strategic priorities and key aims, which rounds fund."""
