"""The receipt handed to the citizen after saving (on screen; F7 prints it)."""
