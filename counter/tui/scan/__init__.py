"""Scan sources (keyboard-wedge bursts, paste, image files) that all end in a ScanReceived message."""
