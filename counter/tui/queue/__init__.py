"""Today's dossiers at this counter."""
