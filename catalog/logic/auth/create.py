"""Who may run each create action (same names as catalog.logic.action.create)."""
