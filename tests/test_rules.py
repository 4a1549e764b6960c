"""Legal rules declared in the form files: each kind refuses with one sentence; no accepted dossier breaks one."""

from __future__ import annotations

import json
import random
import re
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from counter.citizens.identity import Identity
from counter.context import CounterContext
from counter.errors import FormDefinitionError
from counter.law import cases, rules
from counter.law.forms import load_forms, parse_form
from counter.records.dossiers import DossierDraft, DossierInvalid, check_draft
from counter.services.dossiers import create_dossier
from tests.conftest import REPO, Cli

FORMS = load_forms(REPO / "forms")
DAY = date(2026, 11, 25)
AT = datetime(2026, 11, 25, 9, 30)
BRIDE_QR = "036310001234||Nguyễn Thị Lan|02112010|Nữ|Xóm 3, Xã Hải Minh, Tỉnh Ninh Bình|10082024"
GROOM_QR = "036090000123|163000123|Trần Văn Bình|15041990|Nam|Xóm 3, Xã Hải Minh, Tỉnh Ninh Bình|20052021"


def person(id_number: str, name: str, born: date, sex: str) -> Identity:
    """A scanned citizen (the card's checks are not what these tests are about)."""
    return Identity(id_number, "", name, born, sex, "Xóm 3, Xã Hải Minh", date(2022, 1, 5), "cccd")


ADULT_WOMAN = person("036190001111", "Nguyễn Thị Lan", date(1995, 3, 4), "Nữ")
ADULT_MAN = person("036090002222", "Trần Văn Bình", date(1990, 4, 15), "Nam")
MARRIAGE_VALUES = {"bride_ethnicity": "Kinh", "bride_nationality": "Việt Nam", "bride_marriage_count": "1",
                   "groom_ethnicity": "Kinh", "groom_nationality": "Việt Nam", "groom_marriage_count": "1"}
BIRTH_VALUES = {"requester_relationship": "Mẹ", "child_name": "Trần Minh An", "child_sex": "Nam",
                "child_ethnicity": "Kinh", "child_nationality": "Việt Nam", "child_birthplace": "Trạm y tế xã",
                "child_hometown": "Ninh Bình"}


def refused(ctx: CounterContext, draft: DossierDraft) -> dict[str, str]:
    """The reasons the core gives for refusing `draft` (fails when it is accepted)."""
    with pytest.raises(DossierInvalid) as caught:
        check_draft(ctx, draft, on=DAY)
    return caught.value.errors


def marriage(bride: Identity, groom: Identity) -> DossierDraft:
    return DossierDraft("ket-hon", {"bride": bride, "groom": groom}, dict(MARRIAGE_VALUES))


def birth(child_born: date, mother: Identity | None = None, father: Identity | None = None) -> DossierDraft:
    people = {"requester": ADULT_WOMAN, **({"mother": mother} if mother else {}),
              **({"father": father} if father else {})}
    return DossierDraft("khai-sinh", people, {**BIRTH_VALUES, "child_birth_date": child_born.isoformat()})


def test_min_age_names_the_bride_and_the_law(ctx: CounterContext) -> None:
    """A 16-year-old bride: refused beside her birth date, naming her, her age and Điều 8."""
    young = person("036308001234", "Lê Thị Hoa", date(2010, 2, 1), "Nữ")
    errors = refused(ctx, marriage(young, ADULT_MAN))
    assert list(errors) == ["bride_birth_date"]
    assert errors["bride_birth_date"] == (
        "Bên nữ Lê Thị Hoa sinh 01/02/2010, đến ngày đăng ký 25/11/2026 mới 16 tuổi; bên nữ phải từ đủ 18 tuổi "
        "(Luật Hôn nhân và gia đình 2014, Điều 8).")


def test_min_age_counts_the_birthday_itself(ctx: CounterContext) -> None:
    """A groom who turns 20 on the registration day may marry; one day younger may not."""
    exactly = person("036006001234", "Phạm Văn Nam", date(2006, 11, 25), "Nam")
    check_draft(ctx, marriage(ADULT_WOMAN, exactly), on=DAY)
    a_day_short = person("036006001235", "Phạm Văn Nam", date(2006, 11, 26), "Nam")
    assert "mới 19 tuổi" in refused(ctx, marriage(ADULT_WOMAN, a_day_short))["groom_birth_date"]


def test_sex_per_role(ctx: CounterContext) -> None:
    """A man as the bride and a woman as the groom: both refused, each naming the person."""
    errors = refused(ctx, marriage(ADULT_MAN, ADULT_WOMAN))
    assert errors["bride_name"].startswith("Bên nữ Trần Văn Bình có giới tính Nam; người ở vai trò “Bên nữ” phải là Nữ")
    assert errors["groom_name"].startswith("Bên nam Nguyễn Thị Lan có giới tính Nữ;")
    mother_is_a_man = refused(ctx, birth(DAY - timedelta(days=3), mother=ADULT_MAN))
    assert mother_is_a_man == {"mother_name": "Mẹ Trần Văn Bình có giới tính Nam; người ở vai trò “Mẹ” phải là Nữ."}


def test_one_person_in_one_role(ctx: CounterContext) -> None:
    """The same man scanned as bride and groom: refused with his masked ID number."""
    errors = refused(ctx, marriage(ADULT_MAN, ADULT_MAN))
    assert errors["groom_name"].startswith(
        "“Bên nữ” và “Bên nam” là cùng một người (Trần Văn Bình, số định danh 036******222)")


def test_dates_in_order(ctx: CounterContext) -> None:
    """A death before the birth is refused beside the birth date, naming the deceased."""
    draft = DossierDraft("khai-tu", {"requester": ADULT_WOMAN, "deceased": ADULT_MAN}, {
        "requester_relationship": "Vợ", "deceased_ethnicity": "Kinh", "deceased_nationality": "Việt Nam",
        "death_date": "1985-01-01", "death_place": "Tại nhà", "death_cause": "Bệnh", "death_notice": "Số 1",
        "death_time": "08:00"})
    errors = refused(ctx, draft)
    assert errors["deceased_birth_date"] == ("Người đã chết Trần Văn Bình: ngày, tháng, năm sinh (15/04/1990) không "
                                             "được sau ngày chết (01/01/1985).")


def test_mother_older_than_child(ctx: CounterContext) -> None:
    """A mother born after the child (by the year on her card) is refused."""
    young_mother = person("036330001234", "Đỗ Thị Mai", date(2030 - 10, 1, 1), "Nữ")
    errors = refused(ctx, birth(date(2019, 6, 1), mother=young_mother))
    assert errors["mother_birth_year"] == ("Mẹ Đỗ Thị Mai (sinh năm 2020) phải lớn tuổi hơn Người được khai sinh "
                                           "Trần Minh An (sinh 01/06/2019).")


def test_late_birth_is_its_own_case(ctx: CounterContext) -> None:
    """Born in 1980: "Đăng ký khai sinh quá hạn", 3 working days, not free; on time stays same-day and free."""
    older_mother = person("036155001234", "Vũ Thị Hằng", date(1955, 7, 8), "Nữ")
    late = create_dossier(ctx, birth(date(1980, 5, 1), mother=older_mother), "Lan", received_at=AT)
    on_time = create_dossier(ctx, birth(DAY - timedelta(days=60), mother=ADULT_WOMAN), "Lan", received_at=AT)
    assert late.due_at == datetime(2026, 11, 30, 17, 0)
    assert on_time.due_at == datetime(2026, 11, 25, 17, 0)
    with ctx.store.read() as session:
        from counter.documents.sources import load_sources

        late_src = load_sources(session, ctx.config.unit, ctx.forms, late.code)
        on_time_src = load_sources(session, ctx.config.unit, ctx.forms, on_time.code)
    assert late_src.procedure.name == "Đăng ký khai sinh quá hạn"
    assert "Miễn" not in late_src.procedure.fee
    assert on_time_src.procedure.name == "Đăng ký khai sinh"
    assert on_time_src.procedure.fee == "Miễn lệ phí khi đăng ký đúng hạn"


def test_pulled_event_check_uses_the_same_rules() -> None:
    """check_received (for pulled events) refuses the payload a counter without rules would have sent."""
    payload = {"received_day": DAY.isoformat(), "values": {"bride_birth_date": "2010-02-01"},
               "people": {"bride": ADULT_MAN.to_json(), "groom": ADULT_MAN.to_json()}}
    problems = rules.check_received(FORMS["ket-hon"], json.loads(json.dumps(payload)))
    assert set(problems) == {"bride_birth_date", "bride_name", "groom_name"}


def test_cli_refuses_with_the_sentence(cli: Cli) -> None:
    """`counter dossier new` for a 16-year-old bride exits 1, writes nothing and names her age and the law."""
    result = cli("dossier", "new", "--form", "ket-hon", "--qr", BRIDE_QR, "--qr", GROOM_QR,
                 *[a for k, v in MARRIAGE_VALUES.items() for a in ("--set", f"{k}={v}")])
    assert result.returncode == 1
    assert "bên nữ Nguyễn Thị Lan sinh 02/11/2010" in result.stderr and "phải từ đủ 18 tuổi" in result.stderr
    listing = cli("dossier", "list", "--json")
    assert json.loads(listing.stdout) == []


def test_temporary_residence_has_three_working_days_and_permanent_seven(ctx: CounterContext) -> None:
    """CT01 asking "Đăng ký tạm trú" or "Gia hạn tạm trú" is due in 3 working days, "Đăng ký thường trú" in 7
    (Luật Cư trú 2020, Điều 22 and 28); the receipt names the procedure the request chose."""
    from counter.documents.sources import load_sources
    from counter.services.demo import demo_draft

    form = FORMS["thay-doi-cu-tru"]
    due: dict[str, datetime] = {}
    for request in ("Đăng ký thường trú", "Đăng ký tạm trú", "Gia hạn tạm trú"):
        draft = demo_draft(form, random.Random(3), DAY)
        draft.values["request"] = request
        dossier = create_dossier(ctx, draft, "Lan", received_at=AT)
        with ctx.store.read() as session:
            procedure = load_sources(session, ctx.config.unit, ctx.forms, dossier.code).procedure
        assert procedure.name == (form.procedure if request == "Đăng ký thường trú" else request)
        due[request] = dossier.due_at
    # Wednesday 25/11/2026: three working days is Monday 30/11, seven is Friday 4/12.
    assert due == {"Đăng ký thường trú": datetime(2026, 12, 4, 17, 0),
                   "Đăng ký tạm trú": datetime(2026, 11, 30, 17, 0), "Gia hạn tạm trú": datetime(2026, 11, 30, 17, 0)}


@pytest.mark.parametrize(("when", "problem"), [
    ({"kind": "choice_in", "field": "name", "values": ["x"]}, "when.field phải là id của một trường kiểu choice"),
    ({"kind": "choice_in", "field": "c", "values": ["Khác"]}, "when.values phải là danh sách khác rỗng"),
    ({"kind": "choice_in", "field": "c", "values": []}, "when.values phải là danh sách khác rỗng"),
    ({"kind": "choice_in", "field": "c", "values": ["Có"], "more_than": 1}, "when phải là bảng"),
    ({"kind": "days_after", "first": "@received", "then": "@received"}, "when phải là bảng"),
])
def test_a_malformed_case_condition_is_refused_at_load(when: dict[str, object], problem: str) -> None:
    """A case's condition names the file, the case's number and what is wrong."""
    raw = {"id": "x", "title": "T", "procedure": "P", "form_code": "", "legal_basis": "", "addressee": "",
           "processing_days": 0, "cutoff_applies": False, "fee": "", "documents": [],
           "roles": [{"id": "a", "label": "A"}],
           "fields": [{"id": "name", "role": "a", "label": "Tên", "type": "text"},
                      {"id": "c", "label": "Chọn", "type": "choice", "choices": ["Có", "Không"]}],
           "cases": [{"id": "k", "procedure": "K", "fee": "F", "processing_days": 3, "when": when}]}
    with pytest.raises(FormDefinitionError, match=problem) as caught:
        parse_form(raw, "x.toml")
    assert caught.value.message.startswith("x.toml: trường hợp thứ 1:")


@pytest.mark.parametrize(("rule", "problem"), [
    ({"kind": "age"}, "kind phải là một trong"),
    ({"kind": "min_age", "role": "a", "field": "d"}, "cần khoá “years”"),
    ({"kind": "sex", "role": "nobody", "sex": "Nữ"}, "vai trò “nobody” chưa được khai báo"),
    ({"kind": "date_order", "first": "name", "then": "@received"}, "phải là @received hoặc một trường kiểu date/year"),
    ({"kind": "distinct_people", "roles": ["a"]}, "cần ít nhất hai vai trò"),
])
def test_a_malformed_rule_is_refused_at_load(rule: dict[str, object], problem: str) -> None:
    """A bad rule names the file, the rule's number and the problem."""
    raw = {"id": "x", "title": "T", "procedure": "P", "form_code": "", "legal_basis": "", "addressee": "",
           "processing_days": 0, "cutoff_applies": False, "fee": "", "documents": [],
           "roles": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
           "fields": [{"id": "name", "role": "a", "label": "Tên", "type": "text"},
                      {"id": "d", "role": "a", "label": "Ngày", "type": "date"}],
           "rules": [rule]}
    with pytest.raises(FormDefinitionError, match=problem) as caught:
        parse_form(raw, "x.toml")
    assert caught.value.message.startswith("x.toml: quy tắc thứ 1:")


def test_case_switch_condition_is_strictly_more_than() -> None:
    """Day 60 after the birth is still on time; day 61 is late."""
    form = FORMS["khai-sinh"]
    facts = rules.Facts({"child_birth_date": "2026-09-26"}, {}, DAY)
    assert (DAY - date(2026, 9, 26)).days == 60 and cases.case_of(form, facts) == ""
    assert cases.case_of(form, rules.Facts({"child_birth_date": "2026-09-25"}, {}, DAY)) == "qua-han"


# -- property: no accepted dossier breaks a rule ---------------------------------------------------------

def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


people_st = st.builds(
    person,
    st.sampled_from(["036190001111", "036090002222", "001305000456"]),
    st.sampled_from(["Nguyễn Thị Lan", "Trần Văn Bình"]),
    st.dates(date(1940, 1, 1), date(2026, 11, 25)),
    st.sampled_from(["Nam", "Nữ"]),
)


# Births around the 60-day limit as often as any other day, so both cases are judged.
child_born_st = st.one_of(st.dates(DAY - timedelta(days=120), DAY), st.dates(date(1940, 1, 1), DAY))


def _accepted(ctx: CounterContext, draft: DossierDraft) -> dict[str, str] | None:
    try:
        return check_draft(ctx, draft, on=DAY)[1]
    except DossierInvalid:
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bride=people_st, groom=people_st)
def test_no_accepted_marriage_breaks_the_law(ctx: CounterContext, bride: Identity, groom: Identity) -> None:
    """Whatever pair is scanned, an accepted marriage has a bride ≥ 18 (Nữ), a groom ≥ 20 (Nam), two people."""
    values = _accepted(ctx, marriage(bride, groom))
    if values is None:
        return
    assert _age(bride.birth_date, DAY) >= 18 and _age(groom.birth_date, DAY) >= 20
    assert (bride.sex, groom.sex) == ("Nữ", "Nam")
    assert bride.id_number != groom.id_number


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mother=people_st, father=people_st, child_born=child_born_st)
def test_no_accepted_birth_breaks_the_law(ctx: CounterContext, mother: Identity, father: Identity,
                                          child_born: date) -> None:
    """An accepted birth registration has a woman as mother, a man as father, parents born before the child,
    and is "quá hạn" exactly when registered more than 60 days after the birth."""
    draft = birth(child_born, mother=mother, father=father)
    values = _accepted(ctx, draft)
    if values is None:
        return
    assert mother.sex == "Nữ" and father.sex == "Nam" and mother.id_number != father.id_number
    assert mother.birth_date.year < child_born.year and father.birth_date.year < child_born.year
    late = cases.case_of(FORMS["khai-sinh"], rules.facts_of(values, draft.people, DAY)) == "qua-han"
    assert late == ((DAY - child_born).days > 60)


def test_the_properties_reach_accepted_dossiers(ctx: CounterContext) -> None:
    """The two properties above judge something: their strategies do produce marriages and births that save
    (`find` raises when no example satisfies), including a late registration and an on-time one."""
    quick = settings(deadline=None, max_examples=2000, database=None)
    bride, groom = find(st.tuples(people_st, people_st), lambda pair: _accepted(ctx, marriage(*pair)) is not None,
                        settings=quick)
    assert (bride.sex, groom.sex) == ("Nữ", "Nam")
    for late in (True, False):
        find(st.tuples(people_st, people_st, child_born_st),
             lambda args, late=late: _accepted(ctx, birth(args[2], mother=args[0], father=args[1])) is not None
             and ((DAY - args[2]).days > 60) == late, settings=quick)


@pytest.mark.parametrize("form_id", ["nhan-cha-me-con", "trich-luc-ho-tich", "chung-thuc-chu-ky", "khai-sinh"])
def test_everyday_procedures_are_forms(ctx: CounterContext, form_id: str) -> None:
    """The procedures a commune handles every day exist, state their national catalogue code and save."""
    from counter.services.demo import demo_draft

    form = FORMS[form_id]
    assert form.procedure and re.fullmatch(r"[12]\.\d{6}", form.procedure_code) and len(form.sha256) == 64
    dossier = create_dossier(ctx, demo_draft(form, random.Random(7), DAY), "Lan", received_at=AT)
    assert dossier.form_id == form_id and dossier.form_sha256 == form.sha256
