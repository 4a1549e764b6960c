"""Print address figures: share right and confident mistakes beside underthesea, time per address, start-up.

One seeded, varied mix is built from the national table itself: old three-level card addresses (full,
abbreviated, capitals, no diacritics, no "Tỉnh", messy commas), wards split between several current
ones (the right answer is to ask), today's two-level addresses, big-city short names and junk. Both
resolvers get the same inputs. A single answer for a split ward, or any answer for junk, is a
confident mistake. Figures only, never pass/fail. Usage: python bench/bench_addresses.py [--mix N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from counter import addresses
from counter.addresses import table
from counter.addresses.text import fold

ABBREVIATIONS = [("Thị trấn ", "TT. "), ("Phường ", "P. "), ("Xã ", "X. "), ("Huyện ", "H. "), ("Quận ", "Q."),
                 ("Thị xã ", "TX. "), ("Thành phố ", "TP. "), ("Tỉnh ", "T. ")]
CITY_SHORT = {79: ["TP. HCM", "TP.HCM", "Tp Hồ Chí Minh", "TPHCM"], 1: ["Hà Nội", "TP. Hà Nội", "Ha Noi"]}
JUNK = ["không có", "12345", "Hà Nội", "abc, def, ghi", "Số 5 Lê Lợi", "Thôn 3, Xã Không Tồn Tại, Huyện Ảo, Tỉnh Mơ",
        "N/A", "Tổ 7, khu phố 2", "???", "Phường, Quận, Tỉnh"]
DETAILS = ["Thôn 2", "Xóm 5", "Tổ 12", "Số 18 Trần Phú", "Khu 6", "Ấp Bình Hòa", "Số 7 ngõ 45"]


@dataclass(frozen=True)
class Case:
    """One input and what a careful resolver answers: one ward code, ask (the candidates), or nothing."""

    text: str
    kind: str
    expected: int | None
    candidates: frozenset[int] = frozenset()


def plain(text: str) -> str:
    """The text without diacritics (đ → d), as typed on a keyboard without Vietnamese input."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def styled(rng: random.Random, text: str) -> str:
    """The same address as people really write it: abbreviated, capitals, no marks, no "Tỉnh", messy."""
    style = rng.randrange(6)
    if style == 1:
        for long, short in ABBREVIATIONS:
            text = text.replace(long, short)
    elif style == 2:
        text = plain(text)
    elif style == 3:
        text = text.upper()
    elif style == 4:
        text = text.replace(", Tỉnh ", ", ")
    elif style == 5:
        text = text.replace(", ", " ,  ") + ","
    return text


def build_mix(size: int, seed: int = 11) -> list[Case]:
    """A varied, seeded mix of inputs with their expected answers, from the table itself."""
    rng = random.Random(seed)
    old, new = table.legacy(), table.current()
    full_texts: dict[str, int] = {}
    legacy_text = {}
    for code, ward in old.wards.items():
        district = old.districts[ward.parent]
        text = f"{ward.name}, {district.name}, {old.provinces[district.parent]}"
        legacy_text[code] = text
        full_texts[text] = full_texts.get(text, 0) + 1
    single = [c for c, went in old.to_current.items() if len(went) == 1 and full_texts[legacy_text[c]] == 1]
    split = [c for c, went in old.to_current.items() if len(went) > 1]
    cities = [c for c in single if old.districts[old.wards[c].parent].parent in CITY_SHORT]
    cases: list[Case] = []
    while len(cases) < size:
        draw = rng.random()
        detail = rng.choice(DETAILS)
        if draw < 0.45:
            code = rng.choice(single)
            cases.append(Case(styled(rng, f"{detail}, {legacy_text[code]}"), "old", old.to_current[code][0]))
        elif draw < 0.55:
            code = rng.choice(split)
            cases.append(Case(styled(rng, f"{detail}, {legacy_text[code]}"), "split", None,
                              frozenset(old.to_current[code])))
        elif draw < 0.85:
            ward = rng.choice(list(new.wards.values()))
            cases.append(Case(styled(rng, f"{detail}, {ward.name}, {new.provinces[ward.parent]}"), "new", ward.code))
        elif draw < 0.95:
            code = rng.choice(cities)
            ward, district = old.wards[code], old.districts[old.wards[code].parent]
            short = rng.choice(CITY_SHORT[district.parent])
            cases.append(Case(f"{detail}, {ward.name}, {district.name}, {short}", "city", old.to_current[code][0]))
        else:
            cases.append(Case(rng.choice(JUNK), "junk", None))
    return cases


def judge_ours(case: Case, result: addresses.Resolution) -> str:
    """right, asked (a question where an answer was possible) or mistake (a confident wrong answer)."""
    if case.expected is not None:
        if result.status == addresses.EXACT:
            return "right" if result.current and result.current.ward_code == case.expected else "mistake"
        return "asked"
    if case.candidates:
        got = frozenset(c.ward_code for c in result.candidates)
        if result.status == addresses.EXACT:
            return "mistake"
        return "right" if result.status == addresses.AMBIGUOUS and got == case.candidates else "asked"
    return "mistake" if result.status == addresses.EXACT else "right"


def judge_underthesea(case: Case, result: object) -> str:
    """The same judgement for underthesea's convert_address (it answers with names: compared folded)."""
    status = str(getattr(result, "status", ""))
    answered = status.endswith("success") or status == "ConversionStatus.SUCCESS"
    if case.expected is None:
        return "mistake" if answered else ("right" if not case.candidates else "asked")
    if not answered:
        return "asked"
    new = table.current()
    ward = new.wards[case.expected]
    got = getattr(result, "new", None)
    same_ward = fold(getattr(got, "ward", "")) == fold(ward.name)
    same_province = fold(table.split_type(new.provinces[ward.parent])[1]) in fold(getattr(got, "province", ""))
    return "right" if same_ward and same_province else "mistake"


def score(label: str, verdicts: list[str], seconds: list[float]) -> None:
    """Print one resolver's line."""
    total = len(verdicts)
    right, asked, wrong = (verdicts.count(v) for v in ("right", "asked", "mistake"))
    print(f"{label:<28} right {right / total:6.1%}  asked {asked / total:6.1%}  confident mistakes {wrong:5d}"
          f"  median {statistics.median(seconds) * 1e6:8.1f} µs/address  (n={total})")


def by_kind(cases: list[Case], verdicts: list[str]) -> str:
    """Share right per kind of input."""
    parts = []
    for kind in ("old", "split", "new", "city", "junk"):
        mine = [v for c, v in zip(cases, verdicts, strict=True) if c.kind == kind]
        if mine:
            parts.append(f"{kind} {mine.count('right') / len(mine):.0%}")
    return ", ".join(parts)


def timed(function: object, text: str) -> tuple[object, float]:
    started = time.perf_counter()
    result = function(text)  # type: ignore[operator]
    return result, time.perf_counter() - started


LOAD_CHILD = """
import time
started = time.perf_counter()
from counter.addresses import table
table.current()
current = time.perf_counter()
table.legacy()
done = time.perf_counter()
print((current - started) * 1000, (done - current) * 1000)
"""


def table_load() -> tuple[list[float], list[float]]:
    """Milliseconds to load today's table and the legacy table with the mapping, in fresh interpreters."""
    current, legacy = [], []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", LOAD_CHILD], capture_output=True, text=True, check=True)
        first, second = (float(x) for x in out.stdout.split())
        current.append(first)
        legacy.append(second)
    return current, legacy


def first_frames() -> tuple[list[float], list[float]]:
    """Process start → first frame of the counter app, without and with [unit].ward_code (the table)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_tui import start_times

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for ward_code in (0, 8494):
            folder = Path(tmp) / str(ward_code)
            folder.mkdir()
            path = folder / "counter.toml"
            path.write_text(f'[unit]\ncode = "000.00.36.H40"\nward_code = {ward_code}\n\n[counter]\nid = "Q1"\n\n'
                            f'[storage]\ndata_dir = "{folder / "data"}"\n', encoding="utf-8")
            results.append(start_times(path, "frame"))
    return results[0], results[1]


def main() -> None:
    """Build the mix, run both resolvers, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--mix", type=int, default=2000, help="inputs in the comparison mix (default 2000)")
    parser.add_argument("--timing", type=int, default=10000, help="inputs timed for the median (default 10000)")
    args = parser.parse_args()
    current, legacy = table_load()
    print(f"{'table load: today (JSON)':<40} median {statistics.median(current):7.1f} ms")
    print(f"{'table load: legacy + mapping':<40} median {statistics.median(legacy):7.1f} ms")
    addresses.warm()
    cases = build_mix(args.mix)
    ours = [timed(addresses.normalize, c.text) for c in cases]
    verdicts = [judge_ours(c, r) for c, (r, _) in zip(cases, ours, strict=True)]  # type: ignore[arg-type]
    score("counter.addresses", verdicts, [s for _, s in ours])
    print(f"{'':<28} by kind: {by_kind(cases, verdicts)}")
    try:
        from underthesea.address import convert_address  # type: ignore[import-not-found]
    except ImportError:
        print("underthesea is not installed (pip install -e '.[bench]'), so its column is left out.")
    else:
        convert_address("Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội")  # load its data before timing
        theirs = [timed(convert_address, c.text) for c in cases]
        their_verdicts = [judge_underthesea(c, r) for c, (r, _) in zip(cases, theirs, strict=True)]
        score("underthesea convert_address", their_verdicts, [s for _, s in theirs])
        print(f"{'':<28} by kind: {by_kind(cases, their_verdicts)}")
    timing = build_mix(args.timing, seed=12)
    spent = [timed(addresses.normalize, c.text)[1] for c in timing]
    print(f"{'normalize, median over varied inputs':<40} {statistics.median(spent) * 1000:7.3f} ms "
          f"(p95 {sorted(spent)[int(len(spent) * 0.95)] * 1000:.3f} ms, n={len(spent)}; goal ≤ 1 ms)")
    without, with_table = first_frames()
    ratio = statistics.median(with_table) / statistics.median(without)
    print(f"{'first frame, no [unit].ward_code':<40} median {statistics.median(without):7.1f} ms")
    print(f"{'first frame, [unit].ward_code = 8494':<40} median {statistics.median(with_table):7.1f} ms"
          f"  (ratio {ratio:.2f}; the legacy table loads in a thread after the frame)")


if __name__ == "__main__":
    main()
