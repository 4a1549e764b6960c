"""Dossiers as records: codes, events, hybrid-clock stamps and the projection of events into rows."""
