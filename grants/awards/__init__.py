"""Awards: money committed from a round to an organisation."""
