"""Finding dossiers by code, ID number or name."""
