"""Custody of personal data: the audit log and the encrypted backups."""
