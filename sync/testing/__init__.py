"""Test and benchmark helpers for sync (the fault-injecting proxy); not used by the app."""
