"""A citizen's rating of a dossier: its event type and the three levels (no ORM, for the dossier's history)."""

RATED = "rated"
LEVELS = {3: "Rất hài lòng", 2: "Hài lòng", 1: "Không hài lòng"}
