"""What the internet monitoring procedure does by itself on a date (core.jobs). Filled by services."""
