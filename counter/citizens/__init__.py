"""Citizens from their ID cards: the card QR parsed and checked, ID numbers, repaired mojibake."""
