"""Sections of counter.toml owned by one feature ([queue], [display], [ratings]), parsed for counter.config."""
