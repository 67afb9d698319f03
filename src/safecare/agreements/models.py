"""Models of the agreements app."""
