"""The Textual counter app: the only package that imports textual.

The app redraws at up to 120 frames a second instead of Textual's default 60 (the TEXTUAL_FPS knob,
read when textual is first imported, so it is set here): a scanner's Enter arrives in the same frame
as the payload's last keys, and at 60 fps the prefilled form then often waits a whole extra frame
(bench/bench_tui.py, scan with Enter: 54–67 ms at 60 fps; at 120 fps 46 ms with keys 2 ms apart and
51–56 ms when the whole burst is queued at once, against a 50 ms target). Textual only redraws what
changed, so an idle counter costs nothing more. An explicit TEXTUAL_FPS in the environment wins.
"""

import os

APP_FPS = "120"
os.environ.setdefault("TEXTUAL_FPS", APP_FPS)
