"""Start-up figures: median wall time of CLI commands against `python -c pass`, same interpreter, same run.

Issue 25's targets: `dossier show` and `report daily` within 0.3 s of `python -c pass`; `forms list`,
`qr parse` and `--help` within 0.15 s. The counter is a demo store (encrypted, file key backend) whose
commands run signed in, as a clerk's would. Bytecode is compiled first, as after an install.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import select

from counter.context import open_context
from counter.store.models import Dossier
from tests.conftest import VALID_PAYLOAD, Cli, write_config

RUNS = 9
ROOT = Path(__file__).resolve().parent.parent
COUNTER = Path(sys.executable).parent / "counter"
TARGETS_S = {"forms list": 0.15, "qr parse": 0.15, "--help": 0.15, "dossier show": 0.3, "report daily": 0.3}


def median_s(argv: list[str], env: dict[str, str], stdin: str = "") -> float:
    """Median wall time of RUNS runs of `argv`, in seconds (each must succeed)."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.strip()}")
    return statistics.median(times)


def main() -> None:
    """Build a small demo counter, sign in, and print each command's median and its excess over Python."""
    compileall.compile_dir(ROOT / "counter", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "COUNTER_KEY_BACKEND": "file", "COUNTER_KEY_DIR": str(Path(folder) / "keys")}
        os.environ.update(env)
        config = write_config(Path(folder) / "c")
        env["COUNTER_CONFIG"] = str(config)
        demo = subprocess.run([str(COUNTER), "demo", "--dossiers", "20", "--days", "2"], env=env, check=True,
                              capture_output=True, text=True).stdout
        clerk = next(line for line in demo.splitlines() if "giám sát" in line and "PIN" in line)  # reports need one
        Cli(config).login(clerk.strip().split("   ")[0].strip(), clerk.rsplit("PIN", 1)[1].strip())
        ctx = open_context(config)
        try:
            with ctx.store.read() as session:
                code = session.exec(select(Dossier.code)).first()
        finally:
            ctx.close()
        assert code is not None, "the demo made no dossier"
        commands = {
            "forms list": ([str(COUNTER), "forms", "list"], ""),
            "qr parse": ([str(COUNTER), "qr", "parse"], VALID_PAYLOAD),
            "--help": ([str(COUNTER), "--help"], ""),
            "dossier show": ([str(COUNTER), "dossier", "show", code], ""),
            "report daily": ([str(COUNTER), "report", "daily"], ""),
        }
        baseline = median_s([sys.executable, "-c", "pass"], env)
        print(f"python -c pass: median {baseline * 1000:.0f} ms over {RUNS} runs")
        for name, (argv, stdin) in commands.items():
            figure = median_s(argv, env, stdin)
            excess = figure - baseline
            verdict = "ok" if excess <= TARGETS_S[name] else f"over the {TARGETS_S[name]:.2f} s target"
            print(f"{name}: median {figure * 1000:.0f} ms, +{excess * 1000:.0f} ms over python "
                  f"({figure / baseline:.1f}×): {verdict}")


if __name__ == "__main__":
    main()
