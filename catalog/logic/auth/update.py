"""Who may run each update action (same names as catalog.logic.action.update)."""
