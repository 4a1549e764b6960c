"""`python -m counter` runs the same command as the console script."""

import sys

from counter.cli import main

sys.exit(main())
