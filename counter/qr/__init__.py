"""QR codes: reading them from images with pluggable decoders, and drawing them."""
