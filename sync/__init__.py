"""Sync with the provincial system: protocol schemas, counter-side client and the reference hub."""
