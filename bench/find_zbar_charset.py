"""Find generated Vietnamese ID payloads that zbar (without binary mode) decodes with the wrong charset.

Usage: .venv/bin/python bench/find_zbar_charset.py [COUNT]
Writes tests/data/zbar_wrong_charset.txt (one payload per line), the regression corpus that every decoder
must read back exactly (research/perf-reliability.md §1.3: zbar guesses Shift-JIS for ~3.5 % of them).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyzbar import pyzbar
from qrframes import random_payload

from counter.qr.qrdraw import qr_image

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "zbar_wrong_charset.txt"


def main() -> int:
    """Decode COUNT generated payloads with plain pyzbar and keep those that come back different."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    rng = random.Random(2026)
    garbled = []
    for _ in range(count):
        payload = random_payload(rng)
        symbols = pyzbar.decode(qr_image(payload, box_size=3), symbols=[pyzbar.ZBarSymbol.QRCODE])
        if symbols and symbols[0].data.decode("utf-8", "replace") != payload:
            garbled.append(payload)
    OUT.write_text("".join(p + "\n" for p in garbled), encoding="utf-8")
    print(f"{len(garbled)} of {count} payloads garbled by zbar's charset guess; written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
