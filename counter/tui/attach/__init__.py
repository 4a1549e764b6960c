"""Attaching scanned papers and linking earlier ones, on the form and dossier screens."""
