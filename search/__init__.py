"""Network-wide search (filled by the search issue)."""
