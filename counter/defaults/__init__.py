"""The standard forms (forms/*.toml) and the documented default counter.toml, read with importlib.resources.

In a built wheel the build step (setup.py) copies them into this package. In a source checkout and the
editable install `make` uses they stay at the repository's top level, where `files()` finds them.
"""

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def files() -> Traversable:
    """The folder holding counter.toml and forms/: this package when installed, else the checkout's top."""
    packaged = resources.files(__name__)
    if (packaged / "counter.toml").is_file():
        return packaged
    return Path(__file__).resolve().parent.parent.parent
