"""Structured addresses on dossiers: prefilled in today's format, kept in events, settled or refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from counter import addresses
from counter.addresses.fields import CARD_TEXT, RESOLVED, UNRESOLVED, kept_as_card, resolved
from counter.citizens import identity
from counter.config import load_config
from counter.context import CounterContext
from counter.errors import ConfigError, NotFoundError
from counter.records.dossiers import DossierDraft, DossierInvalid, get_dossier
from counter.records.ids import uuid7
from counter.records.projection import project
from counter.records.views import detail_json
from counter.services.dossiers import create_dossier
from counter.store import DossierEvent
from counter.store.db import connect
from counter.store.migrations import migrate
from counter.store.rows import driver
from tests.conftest import MOTHER_PAYLOAD, VALID_PAYLOAD, Cli

FORM = "xac-nhan-tinh-trang-hon-nhan"
VALUES = {"subject_ethnicity": "Kinh", "subject_nationality": "Việt Nam",
          "marital_status": "Chưa đăng ký kết hôn", "purpose": "Để đăng ký kết hôn"}
ISSUE_PAYLOAD = "025090001234||Hà Văn Khu|01021990|Nam|Khu 6, Thị trấn Hùng Sơn, Huyện Lâm Thao, Tỉnh Phú Thọ|01012021"


def draft(payload: str, settled: dict[str, addresses.fields.AddressValue] | None = None) -> DossierDraft:
    return DossierDraft(FORM, {"subject": identity.parse(payload)}, dict(VALUES), settled or {})


def stored(ctx: CounterContext, code: str) -> tuple[dict[str, str], dict[str, dict[str, object]], int | None]:
    with ctx.store.read() as session:
        row = get_dossier(session, code)
        event = session.exec(select(DossierEvent).where(DossierEvent.dossier_uuid == row.uuid)).one()
        assert json.loads(event.payload_json).get("addresses") == json.loads(row.addresses_json) or \
            json.loads(row.addresses_json) == {}
        return json.loads(row.values_json), json.loads(row.addresses_json), row.residence_ward_code


def test_an_old_card_address_is_printed_in_todays_format_and_the_card_text_kept(ctx: CounterContext) -> None:
    """Exact: today's line in the values; detail, codes, card text and dataset version in the structure."""
    code = create_dossier(ctx, draft(VALID_PAYLOAD), "Lan").code
    values, structured, residence = stored(ctx, code)
    assert values["subject_residence"] == "Xóm 3, Xã Hải Anh, Tỉnh Ninh Bình"
    address = structured["subject_residence"]
    assert address["state"] == RESOLVED and address["ward_code"] == 14236 and address["province_code"] == 37
    assert address["original"] == "Xóm 3, Xã Hải Minh, Huyện Hải Hậu, Tỉnh Nam Định" and address["detail"] == "Xóm 3"
    assert address["data_version"] == addresses.data_version() and address["legacy_ward_code"]
    assert residence == 14236


def test_a_split_ward_is_saved_as_the_card_text_unresolved_or_refused_when_strict(ctx: CounterContext) -> None:
    """Ambiguous: the card's text is printed, marked unresolved; strict refuses with what to do."""
    code = create_dossier(ctx, draft(MOTHER_PAYLOAD), "Lan").code
    values, structured, residence = stored(ctx, code)
    card = identity.parse(MOTHER_PAYLOAD).address
    assert values["subject_residence"] == card and structured["subject_residence"]["state"] == UNRESOLVED
    assert structured["subject_residence"]["ward_code"] is None and residence is None
    with pytest.raises(DossierInvalid) as refused:
        create_dossier(ctx, draft(MOTHER_PAYLOAD), "Lan", strict_addresses=True)
    assert "chọn xã/phường" in refused.value.errors["subject_residence"]


def test_a_clerks_choice_and_a_kept_card_text_are_recorded(ctx: CounterContext) -> None:
    """The candidate the clerk chose is stored resolved; keeping the card's text is stored as such."""
    card = identity.parse(MOTHER_PAYLOAD).address
    result = addresses.normalize(card)
    chosen = result.candidates[1]
    code = create_dossier(ctx, draft(MOTHER_PAYLOAD, {"subject_residence": resolved(result, chosen)}), "Lan",
                          strict_addresses=True).code
    values, structured, residence = stored(ctx, code)
    assert values["subject_residence"] == f"{result.detail}, {chosen.ward}, {chosen.province}"
    assert structured["subject_residence"]["state"] == RESOLVED and residence == chosen.ward_code
    kept = create_dossier(ctx, draft(MOTHER_PAYLOAD, {"subject_residence": kept_as_card(card, result.data_version)}),
                          "Lan", strict_addresses=True).code
    values, structured, residence = stored(ctx, kept)
    assert values["subject_residence"] == card and structured["subject_residence"]["state"] == CARD_TEXT
    assert residence is None


def test_events_stored_before_addresses_were_structured_still_project(ctx: CounterContext) -> None:
    """A `received` payload without `addresses` (older counters, pulled events) gives an empty structure."""
    template = create_dossier(ctx, draft(VALID_PAYLOAD), "Lan")
    with ctx.store.write() as session:
        mine = session.exec(select(DossierEvent).where(DossierEvent.dossier_uuid == template.uuid)).one()
        payload = json.loads(mine.payload_json)
        del payload["addresses"]
        payload["values"]["subject_residence"] = "Xóm 3, Xã Hải Minh, Huyện Hải Hậu, Tỉnh Nam Định"
        payload["sequence"] = 9000
        code = template.code[:-4] + "9000"
        session.add(DossierEvent(
            id=uuid7(), dossier_uuid=uuid7(), dossier_code=code, unit_code=mine.unit_code, type=mine.type,
            payload_json=json.dumps(payload, ensure_ascii=False), hlc=ctx.clock.now(), occurred_at=mine.occurred_at,
            clerk="Hoa", counter_id="Q2"))
        session.flush()
        project(session, session.exec(select(DossierEvent).where(DossierEvent.dossier_code == code)).one().dossier_uuid)
    values, structured, residence = stored(ctx, code)
    assert structured == {} and residence is None
    assert values["subject_residence"] == "Xóm 3, Xã Hải Minh, Huyện Hải Hậu, Tỉnh Nam Định"
    with ctx.store.read() as session:
        assert detail_json(driver(session), get_dossier(session, code))["addresses"] == {}


def test_migration_9_gives_older_dossiers_an_empty_structure(ctx: CounterContext, tmp_path: Path) -> None:
    """A database at v8 upgrades in place; its dossiers read as having no structured address."""
    code = create_dossier(ctx, draft(VALID_PAYLOAD), "Lan").code
    old = connect(tmp_path / "old.db", None)
    migrate(old, target=8)
    assert ctx.store.key is not None
    old.execute(f"ATTACH DATABASE ? AS new KEY \"x'{ctx.store.key.hex()}'\"", (str(ctx.config.database_path),))
    columns = ", ".join(r[1] for r in old.execute("PRAGMA main.table_info(dossier)"))
    old.execute(f"INSERT INTO main.dossier ({columns}) SELECT {columns} FROM new.dossier")
    old.execute("DETACH DATABASE new")
    assert 9 in migrate(old)
    rows = old.execute("SELECT code, addresses_json, residence_ward_code FROM dossier").fetchall()
    assert rows == [(code, "{}", None)]
    old.close()


def test_cli_prints_todays_address_and_warns_once_about_an_unresolved_one(cli: Cli) -> None:
    """The issue's card: "Khu 6, Xã Lâm Thao, Tỉnh Phú Thọ"; a split ward: one warning line; strict: refused."""
    sets = [arg for key, value in VALUES.items() for arg in ("--set", f"{key}={value}")]
    result = cli("dossier", "new", "--form", FORM, "--qr", ISSUE_PAYLOAD, *sets, "--json")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    data = json.loads(result.stdout)
    assert data["values"]["subject_residence"] == "Khu 6, Xã Lâm Thao, Tỉnh Phú Thọ"
    assert data["addresses"]["subject_residence"]["original"] == identity.parse(ISSUE_PAYLOAD).address
    split = cli("dossier", "new", "--form", FORM, "--qr", MOTHER_PAYLOAD, *sets)
    assert split.returncode == 0 and len(split.stderr.strip().splitlines()) == 1
    assert "cảnh báo" in split.stderr and "subject_residence" in split.stderr
    code = split.stdout.split()[4]
    shown = cli("dossier", "show", code)
    assert "địa chỉ chưa xác định" in shown.stdout
    strict = cli("dossier", "new", "--form", FORM, "--qr", MOTHER_PAYLOAD, *sets, "--strict-address")
    assert strict.returncode == 1 and strict.stdout == "" and "subject_residence" in strict.stderr


def test_unit_names_come_from_the_table_and_an_unknown_code_is_refused(tmp_path: Path) -> None:
    """[unit].ward_code names the unit on receipts; explicit names override; a code not in the table is refused."""
    path = tmp_path / "c.toml"
    path.write_text("[unit]\nward_code = 8494\n", encoding="utf-8")
    unit = load_config(path).unit
    assert (unit.name, unit.province, unit.ward_code) == ("UBND xã Lâm Thao", "Tỉnh Phú Thọ", 8494)
    path.write_text("[unit]\nward_code = 27154\nname = \"UBND phường Bàn Cờ (TP.HCM)\"\n", encoding="utf-8")
    unit = load_config(path).unit
    assert (unit.name, unit.province) == ("UBND phường Bàn Cờ (TP.HCM)", "Thành phố Hồ Chí Minh")
    path.write_text("[unit]\nward_code = 8495\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert "[unit].ward_code" in refused.value.message and str(path) in refused.value.message


def test_reports_count_dossiers_from_citizens_living_outside_the_unit(supervisor_cli: Cli) -> None:
    """Daily and monthly figures (JSON and CSV): resolved addresses outside [unit].ward_code count; unresolved not."""
    sets = [arg for key, value in VALUES.items() for arg in ("--set", f"{key}={value}")]
    for payload in (VALID_PAYLOAD, ISSUE_PAYLOAD, MOTHER_PAYLOAD):
        created = supervisor_cli("dossier", "new", "--form", FORM, "--qr", payload, *sets)
        assert created.returncode == 0, created.stderr
    daily = json.loads(supervisor_cli("report", "daily", "--json").stdout)
    assert daily["received"] == 3 and daily["outside_unit"] == 1
    assert daily["by_procedure"][0]["outside_unit"] == 1
    monthly = supervisor_cli("report", "monthly", "--csv").stdout.splitlines()
    header, total = monthly[0].split(","), monthly[1].split(",")
    assert total[header.index("outside_unit")] == "1"


def test_an_unresolved_address_is_settled_later_by_one_correction_event(ctx: CounterContext) -> None:
    """The clerk settles a saved dossier's split-ward address: values, structure and residence follow; audited."""
    from counter.services.dossiers import settle_address

    code = create_dossier(ctx, draft(MOTHER_PAYLOAD), "Lan").code
    result = addresses.normalize(identity.parse(MOTHER_PAYLOAD).address)
    settle_address(ctx, code, "subject_residence", resolved(result, result.candidates[0]), "Hoa")
    with ctx.store.read() as session:
        row = get_dossier(session, code)
        types = [e.type for e in session.exec(select(DossierEvent).where(DossierEvent.dossier_uuid == row.uuid))]
    assert types == ["received", "field_corrected"]
    assert json.loads(row.addresses_json)["subject_residence"]["state"] == RESOLVED
    assert row.residence_ward_code == result.candidates[0].ward_code
    assert json.loads(row.values_json)["subject_residence"].endswith(result.candidates[0].label)
    with pytest.raises(NotFoundError):
        settle_address(ctx, code, "purpose", resolved(result, result.candidates[0]), "Hoa")
