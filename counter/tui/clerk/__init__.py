"""Who works at the counter: the ClerkChosen message (the PIN login lives in counter.tui.login)."""
