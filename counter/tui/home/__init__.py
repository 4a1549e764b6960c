"""The counter's home screen: the scanned citizen and the procedure to start."""
