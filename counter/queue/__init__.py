"""The citizen's queue at the counter: numbered tickets by group, called to a counter, and waiting figures."""
