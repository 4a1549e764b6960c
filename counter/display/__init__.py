"""The citizen display: a local web page facing the citizen (number called, dossier summary, rating buttons)."""
