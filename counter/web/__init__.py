"""The counter's web face: the citizen display served over HTTP (a face like the TUI and the CLI: it calls
counter.services)."""
