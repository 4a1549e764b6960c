"""Text folding and plain-text checks shared by every layer (below the store)."""
