"""Một Cửa Counter: offline-first commune one-stop counter (core package, no UI imports)."""

__version__ = "0.1.0"
