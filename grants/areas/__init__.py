"""Thames Valley's counties, local authorities and Community Safety Partnerships."""
