"""Each office's counties, local authorities and Community Safety Partnerships."""
