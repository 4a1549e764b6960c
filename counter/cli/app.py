"""Start the Textual counter app (imported only when no subcommand is given)."""

from __future__ import annotations

import argparse


def run_app(args: argparse.Namespace) -> int:
    """Open the TUI on this counter's configuration."""
    from counter.tui.app import run

    return run(args.config)
