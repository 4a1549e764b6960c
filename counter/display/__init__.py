"""The citizen display's state: the number called, the dossier summary and the rating link (served by
counter.web)."""
