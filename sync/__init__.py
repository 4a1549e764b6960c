"""Sync between a counter and the provincial hub: protocol, client and reference hub."""
