"""The law as data: form definitions, their rules and cases, working days, the lifecycle of a dossier."""
