"""Update actions."""
