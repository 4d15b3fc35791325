"""Staff management in the browser: accounts (administrators), rights per event (managers),
and API tokens (every staff member, for their own devices)."""
