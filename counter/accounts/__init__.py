"""Accounts that serve at the counter: clerks, supervisors, PINs, lockouts and CLI sessions."""
