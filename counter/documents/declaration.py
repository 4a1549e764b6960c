"""A form's declaration (tờ khai) laid out from its definition, so a new form file prints without new code."""

from __future__ import annotations

from counter.documents.common import motto
from counter.documents.model import SMALL, TITLE, Block, Document, Field, Page, Qr, Signature, Signatures, Space, Text
from counter.documents.sources import Sources, addressee_line, dated, place_name
from counter.law.forms import FieldDef, FormDef, display_value

PLEDGE = ("Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật "
          "về cam đoan của mình.")


def _field(field_def: FieldDef, values: dict[str, str], indent: float) -> Field:
    value = display_value(field_def, values.get(field_def.id, ""))
    return Field(field_def.label, value, 3 if field_def.type == "longtext" else 1, indent)


def signers(form: FormDef, src: Sources) -> tuple[Signature, ...]:
    """Who signs the declaration: the requester role if the form has one, else every scanned role."""
    roles = [r for r in form.roles if r.id == "requester"] or list(form.scan_roles) or list(form.roles[:1])
    note = "(Ký, ghi rõ họ, chữ đệm, tên)"
    if not roles:
        return (Signature("NGƯỜI YÊU CẦU", note),)
    return tuple(Signature(r.label.upper(), note, src.people[r.id].full_name if r.id in src.people else "")
                 for r in roles)


def declaration_page(src: Sources) -> Page:
    """Title, legal code, addressee, every field grouped by role, pledge, date and signatures."""
    form = src.form
    blocks: list[Block] = [
        Qr(src.code, 18, beside=(Text(f"Mã hồ sơ: {src.code}", size=SMALL), Text(form.form_code, "I", size=SMALL))),
        motto(),
        Space(4),
        Text(form.title.upper(), "B", "C", TITLE),
        Space(2),
        Text(f"Kính gửi: {addressee_line(form.addressee, src.unit.name)}", align="C"),
        Space(3),
    ]
    general = form.fields_of("")
    for role in form.roles:
        role_fields = form.fields_of(role.id)
        if not role_fields:
            continue
        blocks.append(Text(f"{role.label}:", "B"))
        blocks += [_field(f, src.values, 5) for f in role_fields]
    if general:
        if len(general) < len(form.fields):
            blocks.append(Text("Nội dung khác:", "B"))
        blocks += [_field(f, src.values, 5 if len(general) < len(form.fields) else 0) for f in general]
    blocks += [
        Space(2),
        Text(PLEDGE, "I"),
        Space(2),
        Signatures(signers(form, src), dated=dated(place_name(src.unit.name), src.received_at)),
    ]
    return Page(tuple(blocks))


def build_declaration(src: Sources, paper: str) -> Document:
    """The declaration form of the dossier, prefilled with its values (paper does not change content)."""
    return Document("form", src.code, f"{src.form.title} {src.code}", (declaration_page(src),))
