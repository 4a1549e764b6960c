"""The receipt handed to the citizen after saving (on screen; F12 prints it)."""
