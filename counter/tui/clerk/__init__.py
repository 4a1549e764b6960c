"""Choosing who works at the counter (to be replaced by PIN login)."""
