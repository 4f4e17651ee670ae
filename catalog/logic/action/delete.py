"""Delete actions."""
