"""Who may run each delete action (same names as catalog.logic.action.delete)."""
