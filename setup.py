"""Build step: ship the top-level forms/*.toml and counter.toml inside the package (counter/defaults/)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithDefaults(build_py):
    """build_py that also copies every forms/*.toml and counter.toml into counter/defaults/."""

    def run(self) -> None:
        """Build the packages, then add the default configuration and forms (no list to keep up to date)."""
        super().run()
        target = Path(self.build_lib, "counter", "defaults")
        shutil.rmtree(target / "forms", ignore_errors=True)  # a form deleted since the last build must go
        for source in [Path("counter.toml"), *sorted(Path("forms").glob("*.toml"))]:
            self.mkpath(str(target / source.parent))
            self.copy_file(str(source), str(target / source))


setup(cmdclass={"build_py": BuildWithDefaults})
