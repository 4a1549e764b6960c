"""Capabilities that the CLI and the app both call: one function each, with its audit record."""
