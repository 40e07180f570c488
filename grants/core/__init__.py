"""Pages and plumbing every part of the service shares: layout, errors, filters, health."""
