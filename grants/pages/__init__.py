"""The service's own pages (home, accessibility, privacy, health) and every page's layout."""
