"""The declaration form generated from a form definition, filled by scans and typing."""
