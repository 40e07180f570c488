"""Reference data shipped inside the package: the Police and Crime Plan and Thames Valley's areas.

The JSON files are copies of the project's shared reference data; the app reads only these.
"""
