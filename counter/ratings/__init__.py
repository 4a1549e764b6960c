"""Citizen satisfaction: one rating per dossier through a one-time token, and the monthly figures."""
