"""Lifecycle actions on the dossier view: change status, reschedule once, hand over the result."""
