"""The supervisor's screens: daily queue, figures with the on-time formula, stuck work, audit log."""
