"""`counter display serve`: the citizen display as a small Starlette app over the counter's services.

The state is read from the store every POLL_SECONDS in a worker thread; a change is pushed at once to every
page through server-sent events (`/events`), and `/state` answers the same JSON for tests and other devices.
Bound to loopback no token is needed; bound to any other address every request must carry the access
token printed at start (`?token=…`). A rating is a POST of `level` to the URL in `rating.url`.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import logging
import secrets
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from counter.context import CounterContext
from counter.ratings.tokens import LEVELS, RatingRefused
from counter.services import display, ratings
from counter.web.page import PAGE

log = logging.getLogger("counter.display")
POLL_SECONDS = 0.2
KEEPALIVE_SECONDS = 15.0
MAX_BODY = 4096


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1, localhost and the rest of the loopback range."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def access_token(host: str) -> str | None:
    """A fresh access token when the display listens beyond this PC, None on loopback."""
    return None if is_loopback(host) else secrets.token_urlsafe(18)


class DisplayFeed:
    """The latest state, its version, and the rating links this server has issued (raw tokens, in memory)."""

    def __init__(self, ctx: CounterContext, viewer: str) -> None:
        self.ctx, self.viewer = ctx, viewer
        self.state: dict[str, Any] = {}
        self.version = 0
        self.changed = asyncio.Condition()
        self.links: dict[str, str] = {}
        self.failure = ""

    def _rating(self, dossier: dict[str, Any] | None) -> dict[str, Any] | None:
        """The rating offer of the shown dossier (issuing its one-time token once), or None."""
        if dossier is None or dossier["rated"]:
            return None
        code = dossier["code"]
        if code not in self.links:
            try:
                self.links[code] = ratings.issue(self.ctx, code, self.viewer)
            except RatingRefused:
                return None
        return {"url": f"/rate/{code}/{self.links[code]}",
                "levels": [{"level": k, "label": v} for k, v in LEVELS.items()],
                "reasons": list(self.ctx.config.ratings.reasons)}

    def read(self) -> dict[str, Any]:
        """The state now (runs in a worker thread)."""
        called, dossier = display.state(self.ctx)
        return {"unit": self.ctx.config.unit.name, "counter": self.ctx.config.counter.id, "called": called,
                "dossier": dossier, "rating": self._rating(dossier)}

    async def refresh(self) -> dict[str, Any]:
        """Read the state; wake every open page when it changed."""
        state = await run_in_threadpool(self.read)
        if state != self.state:
            async with self.changed:
                self.state, self.version = state, self.version + 1
                self.changed.notify_all()
        return self.state

    async def run(self) -> None:
        """Poll the store until cancelled; a failure is said once on stderr and retried."""
        while True:
            try:
                await self.refresh()
                if self.failure:
                    print("counter display: đã đọc lại được dữ liệu.", file=sys.stderr, flush=True)
                    self.failure = ""
            except Exception as exc:  # the display keeps serving the last state and says what failed
                if str(exc) != self.failure:
                    print(f"counter display: không đọc được dữ liệu của quầy: {exc}", file=sys.stderr, flush=True)
                    self.failure = str(exc)
            await asyncio.sleep(POLL_SECONDS)


def _refusal(status: int, error: str, reason: str) -> JSONResponse:
    return JSONResponse({"error": error, "reason": reason}, status_code=status)


async def _rating_body(request: Request) -> dict[str, Any]:
    """The POSTed rating as JSON or form fields (`level`, optional `reasons`), or RatingRefused."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise RatingRefused("Nội dung gửi lên quá dài.", 413)
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            document = json.loads(body or b"{}")
        except ValueError:
            raise RatingRefused("Nội dung gửi lên không phải JSON hợp lệ.", 400) from None
        if not isinstance(document, dict):
            raise RatingRefused("Nội dung gửi lên phải là một đối tượng JSON.", 400)
        return document
    fields = parse_qs(body.decode("utf-8", "replace"))
    return {"level": fields.get("level", [None])[0], "reasons": fields.get("reasons")}


def create_display_app(ctx: CounterContext, viewer: str, token: str | None) -> Starlette:
    """The display's ASGI app for this counter, acting for `viewer`; `token` guards every request when set."""
    feed = DisplayFeed(ctx, viewer)

    def guarded(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            given = request.query_params.get("token", "")
            if token is not None and not hmac.compare_digest(given.encode(), token.encode()):
                return _refusal(403, "forbidden", "Cần mã truy cập màn hình trong địa chỉ (…?token=…) "
                                "được in khi khởi động màn hình.")
            try:
                response: Response = await handler(request)
            except RatingRefused as exc:
                return _refusal(exc.status, "refused", exc.message)
            return response

        return endpoint

    async def page(request: Request) -> Response:
        return HTMLResponse(PAGE, headers={"Cache-Control": "no-store"})

    async def state(request: Request) -> Response:
        return JSONResponse(await feed.refresh(), headers={"Cache-Control": "no-store"})

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            seen = -1
            while not await request.is_disconnected():
                if feed.version != seen:
                    seen = feed.version
                    yield f"data: {json.dumps(feed.state, ensure_ascii=False)}\n\n"
                    continue
                async with feed.changed:
                    try:
                        await asyncio.wait_for(feed.changed.wait(), KEEPALIVE_SECONDS)
                    except TimeoutError:
                        yield ": ping\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    async def rate(request: Request) -> Response:
        code, link = request.path_params["code"], request.path_params["token"]
        body = await _rating_body(request)
        await run_in_threadpool(ratings.rate, ctx, code, link, body.get("level"), body.get("reasons"),
                                "display", viewer)
        await feed.refresh()
        level = int(str(body.get("level")).strip())
        return JSONResponse({"ok": True, "level": level, "label": LEVELS[level]})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(feed.run())
        try:
            yield
        finally:
            task.cancel()

    routes = [Route("/", guarded(page)), Route("/state", guarded(state)), Route("/events", guarded(events)),
              Route("/rate/{code}/{token}", guarded(rate), methods=["POST"])]
    return Starlette(routes=routes, lifespan=lifespan)


def serve(ctx: CounterContext, viewer: str, host: str, port: int) -> None:
    """Serve the display until interrupted, printing the address (with its token beyond loopback)."""
    import uvicorn

    token = access_token(host)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    print(f"Màn hình công dân của quầy {ctx.config.counter.id}: {url} — Ctrl+C để dừng.", flush=True)
    if token:
        print("Màn hình nghe trên mạng: thiết bị khác phải mở đúng địa chỉ có mã truy cập ở trên.", flush=True)
    uvicorn.run(create_display_app(ctx, viewer, token), host=host, port=port, log_level="warning",
                access_log=False, timeout_graceful_shutdown=1, server_header=False)
