"""Looking at one dossier (other features add their actions here)."""
