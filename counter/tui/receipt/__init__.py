"""The receipt handed to the citizen after saving (on screen; printing comes later)."""
