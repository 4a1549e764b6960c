"""Queue tickets: take a number (and print it), call the next one, skip, recall; each one transaction, audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from counter.context import CounterContext
from counter.custody import audit
from counter.documents.escpos import job_bytes
from counter.documents.fonts import find_font
from counter.documents.pdf import render_pdf
from counter.documents.printing import Printed, send_escpos, send_to_spooler
from counter.documents.raster import render_image
from counter.documents.ticketdoc import ticket_document
from counter.platform import PrintError
from counter.queue import tickets
from counter.queue.tickets import TicketView
from counter.queue.waiting import WaitingReport, waiting_report


def take(ctx: CounterContext, clerk: str, group: str | None = None) -> TicketView:
    """The next number of the day in `group` (the default group when None)."""
    now = ctx.now()
    with ctx.store.write() as session:
        ticket = tickets.take(session, ctx.config.queue, group, now)
        shown = tickets.view(session, ctx.config.queue, ticket)
        audit.record(session, clerk, "ticket:take", "ticket", ticket.label, f"{shown.ahead} người chờ trước", at=now)
    return shown


def call_next(ctx: CounterContext, clerk: str, group: str | None = None) -> TicketView:
    """Call the longest-waiting ticket to this counter (ending the service of the one it was serving)."""
    now = ctx.now()
    counter_id = ctx.config.counter.id
    with ctx.store.write() as session:
        ticket = tickets.call_next(session, ctx.config.queue, counter_id, clerk, now, group)
        audit.record(session, clerk, "ticket:call", "ticket", ticket.label, f"quầy {counter_id}", at=now)
        return tickets.view(session, ctx.config.queue, ticket)


def skip(ctx: CounterContext, clerk: str, label: str | None = None) -> TicketView:
    """The called citizen did not come: skip the counter's current ticket (or `label`)."""
    now = ctx.now()
    with ctx.store.write() as session:
        ticket = tickets.skip(session, ctx.config.counter.id, now, label)
        audit.record(session, clerk, "ticket:skip", "ticket", ticket.label, "", at=now)
        return tickets.view(session, ctx.config.queue, ticket)


def recall(ctx: CounterContext, clerk: str, label: str | None = None) -> TicketView:
    """Call the current ticket again, or bring back a skipped one (`label`) to this counter."""
    now = ctx.now()
    with ctx.store.write() as session:
        ticket = tickets.recall(session, ctx.config.counter.id, clerk, now, label)
        audit.record(session, clerk, "ticket:recall", "ticket", ticket.label, f"lần {ticket.recalls}", at=now)
        return tickets.view(session, ctx.config.queue, ticket)


def serving(ctx: CounterContext) -> TicketView | None:
    """The ticket this counter is serving now, if any (no personal data: not audited)."""
    with ctx.store.read() as session:
        ticket = tickets.current(session, ctx.config.counter.id, ctx.now().date())
        return tickets.view(session, ctx.config.queue, ticket) if ticket else None


def print_ticket(ctx: CounterContext, ticket: TicketView, clerk: str, pdf: Path | None = None) -> Printed:
    """Print the ticket on the configured printer (a thermal roll as an image), or save it as a PDF."""
    printer = ctx.config.printer
    doc = ticket_document(ctx.config.unit, ticket)
    font = find_font(printer.font)
    if pdf is not None or printer.kind == "pdf":
        folder = Path(printer.pdf_dir or ctx.config.storage.data_dir / "prints")
        target = pdf or folder / f"ticket-{ticket.taken_at:%Y%m%d}-{ticket.label}.pdf"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(render_pdf(doc, font, "80mm"))
        except OSError as exc:
            raise PrintError(f"Không lưu được tệp PDF {target} ({exc.strerror or exc}).") from None
        where = str(target)
    elif printer.kind == "escpos":
        where = send_escpos(job_bytes(render_image(doc, font)), printer.device)
    else:
        where = send_to_spooler(render_pdf(doc, font, "80mm"), doc.title, printer)
    with ctx.store.write() as session:
        audit.record(session, clerk, "print", "ticket", ticket.label, where, at=ctx.now())
    return Printed(where, f"Đã in số thứ tự {ticket.label} ({where}).")


def report(ctx: CounterContext, day: date, viewer: str, form: str) -> WaitingReport:
    """The day's waiting figures; viewing or exporting them is audited."""
    with ctx.store.write() as session:
        found = waiting_report(session, day)
        audit.record(session, viewer, "view" if form in ("text", "tui") else "export", "report",
                     f"waiting {day.isoformat()}", form, at=ctx.now())
    return found
