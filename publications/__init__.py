"""Publications and the resource library (filled by the resource-library issue)."""
