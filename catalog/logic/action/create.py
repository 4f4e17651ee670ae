"""Create actions."""
