"""Scanned papers on dossiers: intake checks and image→PDF, the encrypted blob store, attachment records."""
