"""Print dialog: print, save as PDF and reprint a dossier's receipt, form and slips."""
