"""`counter address normalize|search` through the installed command."""

from __future__ import annotations

import json

from tests.conftest import run_cli

ISSUE_CARD = "Khu 6, Thị trấn Hùng Sơn, Huyện Lâm Thao, Tỉnh Phú Thọ"
KEYS = ["input", "detail", "status", "legacy", "current", "candidates", "formatted", "data_version"]


def test_normalize_stdin_gives_one_json_object_per_line_in_order() -> None:
    """Exact, ambiguous, blank and unknown lines, each answered in order with every key."""
    lines = [ISSUE_CARD, "Thôn 2, Yên Viên, Gia Lâm, Hà Nội", "", "không phải địa chỉ",
             "Tổ 5, Phường Hải Châu, Đà Nẵng"]
    result = run_cli("address", "normalize", "--json", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["input"] for o in objects] == lines
    assert all(list(o) == KEYS for o in objects)
    exact, ambiguous, blank, junk, new_format = objects
    assert exact["status"] == "exact" and exact["formatted"] == "Khu 6, Xã Lâm Thao, Tỉnh Phú Thọ"
    assert exact["legacy"] == {"ward": "Thị trấn Hùng Sơn", "ward_code": 8498, "district": "Huyện Lâm Thao",
                               "district_code": 237, "province": "Tỉnh Phú Thọ", "province_code": 25}
    assert exact["current"] == {"ward": "Xã Lâm Thao", "ward_code": 8494, "province": "Tỉnh Phú Thọ",
                                "province_code": 25}
    assert ambiguous["status"] == "ambiguous" and ambiguous["current"] is None and ambiguous["formatted"] == ""
    assert len(ambiguous["candidates"]) == 2 and all(isinstance(c["ward_code"], int) for c in ambiguous["candidates"])
    assert blank["status"] == junk["status"] == "unknown" and junk["legacy"] is None and junk["candidates"] == []
    assert new_format["status"] == "exact" and new_format["legacy"] is None
    assert new_format["formatted"] == "Tổ 5, Phường Hải Châu, Thành phố Đà Nẵng"
    assert exact["data_version"].startswith("vietnam-provinces ")


def test_normalize_argument_prints_a_readable_line() -> None:
    """Without --json: the status and today's address, with the old units for reference."""
    result = run_cli("address", "normalize", ISSUE_CARD)
    assert result.returncode == 0
    assert result.stdout.startswith("exact\tKhu 6, Xã Lâm Thao, Tỉnh Phú Thọ")
    assert "Thị trấn Hùng Sơn" in result.stdout


def test_empty_input_is_refused_with_one_line() -> None:
    """Only empty input exits 1."""
    for args, stdin in ((("address", "normalize", "  "), None), (("address", "normalize"), "\n\n")):
        result = run_cli(*args, stdin=stdin)
        assert result.returncode == 1 and result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1 and "trống" in result.stderr


def test_search_lists_current_wards_without_diacritics() -> None:
    """`counter address search phu xuyen --json`: current wards with their province and codes."""
    result = run_cli("address", "search", "phu xuyen", "--json")
    assert result.returncode == 0
    found = json.loads(result.stdout)
    assert {(u["ward"], u["province"]) for u in found[:2]} == {
        ("Xã Phú Xuyên", "Thành phố Hà Nội"), ("Xã Phú Xuyên", "Tỉnh Thái Nguyên")}
    assert all(set(u) == {"ward", "ward_code", "province", "province_code"} for u in found)
    plain = run_cli("address", "search", "xa lam thao phu tho")
    assert plain.stdout == "8494\tXã Lâm Thao, Tỉnh Phú Thọ\n"
