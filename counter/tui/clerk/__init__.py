"""Who works at the counter: the ClerkChosen message (sign-in itself is in counter.tui.login)."""
