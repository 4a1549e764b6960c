"""The hub's HTTP layer (Starlette): protocol v1 over any ProvincialSystem; refusals store nothing."""

from __future__ import annotations

import json
import zlib
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sync.adapter import CounterIdentity, EnrolmentRefused, ProvincialSystem
from sync.protocol import (
    API_PREFIX,
    MAX_BATCH_EVENTS,
    MAX_BODY_BYTES,
    MAX_PULL_EVENTS,
    MAX_RAW_BYTES,
    PROTOCOL_VERSION,
    EnrolRequest,
    EnrolResponse,
    ErrorResponse,
    HelloResponse,
    PullResponse,
    PushRequest,
    PushResponse,
)


class Refusal(Exception):
    """A request the hub refuses as a whole, with an HTTP status, an error code and a reason."""

    def __init__(self, status: int, error: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.error, self.reason = status, error, reason


def _json(message: BaseModel, status: int = 200) -> JSONResponse:
    return JSONResponse(message.model_dump(exclude_none=True), status_code=status)


def _refusal_response(refusal: Refusal) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if refusal.status == 401 else None
    return JSONResponse(
        ErrorResponse(error=refusal.error, reason=refusal.reason).model_dump(),
        status_code=refusal.status,
        headers=headers,
    )


async def read_body(request: Request) -> bytes:
    """The request body, decompressed when gzip, refused when too large or corrupt."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise Refusal(413, "too_large", f"Gói tin vượt quá {MAX_BODY_BYTES} byte.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise Refusal(413, "too_large", f"Gói tin vượt quá {MAX_BODY_BYTES} byte.")
        chunks.append(chunk)
    body = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        if len(body) > MAX_RAW_BYTES:
            raise Refusal(413, "too_large", f"Gói tin vượt quá {MAX_RAW_BYTES} byte.")
        return body
    if encoding != "gzip":
        raise Refusal(415, "unsupported_encoding", f"Không hỗ trợ mã hoá nội dung “{encoding}”; dùng gzip.")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        raw = inflater.decompress(body, MAX_RAW_BYTES + 1)
    except zlib.error:
        raise Refusal(400, "malformed", "Nội dung nén gzip bị hỏng.") from None
    if len(raw) > MAX_RAW_BYTES:
        raise Refusal(413, "too_large", f"Gói tin sau khi giải nén vượt quá {MAX_RAW_BYTES} byte.")
    if not inflater.eof:
        raise Refusal(400, "malformed", "Nội dung nén gzip bị cắt cụt.")
    return raw


def _parse_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refusal(400, "malformed", "Nội dung không phải JSON hợp lệ.") from None


def _check_protocol(document: Any) -> None:
    if not isinstance(document, dict):
        raise Refusal(400, "malformed", "Nội dung phải là một đối tượng JSON.")
    if document.get("protocol") != PROTOCOL_VERSION:
        raise Refusal(
            400,
            "unsupported_protocol",
            f"Phiên bản giao thức {document.get('protocol')!r} không được hỗ trợ; cần {PROTOCOL_VERSION}.",
        )


def create_app(system: ProvincialSystem) -> Starlette:
    """The ASGI application serving protocol v1 on top of `system`."""

    async def authenticate(request: Request) -> CounterIdentity:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Refusal(
                401, "unauthorized", "Thiếu mã xác thực của quầy; hãy đăng ký quầy với hệ thống tỉnh."
            )
        counter = await run_in_threadpool(system.authenticate, token.strip())
        if counter is None:
            raise Refusal(401, "unauthorized", "Mã xác thực của quầy không hợp lệ hoặc đã bị thu hồi.")
        return counter

    async def server_time(request: Request) -> Response:
        return JSONResponse({"protocol": PROTOCOL_VERSION, "server_time_ms": system.server_time_ms()})

    async def enrol(request: Request) -> Response:
        document = _parse_json(await read_body(request))
        _check_protocol(document)
        try:
            message = EnrolRequest.model_validate(document)
        except ValidationError:
            raise Refusal(400, "malformed", "Yêu cầu đăng ký thiếu hoặc sai trường.") from None
        try:
            token = await run_in_threadpool(system.enrol, message.code, message.unit_code, message.counter_id)
        except EnrolmentRefused as exc:
            raise Refusal(403, exc.error, exc.reason) from None
        return _json(
            EnrolResponse(
                token=token,
                unit_code=message.unit_code,
                counter_id=message.counter_id,
                server_time_ms=system.server_time_ms(),
            )
        )

    async def hello(request: Request) -> Response:
        counter = await authenticate(request)
        return _json(
            HelloResponse(
                unit_code=counter.unit_code,
                counter_id=counter.counter_id,
                server_time_ms=system.server_time_ms(),
            )
        )

    async def push(request: Request) -> Response:
        counter = await authenticate(request)
        document = _parse_json(await read_body(request))
        _check_protocol(document)
        events = document.get("events")
        if isinstance(events, list) and len(events) > MAX_BATCH_EVENTS:
            raise Refusal(413, "too_large", f"Một lần gửi tối đa {MAX_BATCH_EVENTS} sự kiện.")
        try:
            batch = PushRequest.model_validate(document)
        except ValidationError:
            raise Refusal(400, "malformed", "Gói sự kiện thiếu hoặc sai trường.") from None
        if batch.unit_code != counter.unit_code:
            raise Refusal(
                403,
                "wrong_unit",
                f"Quầy được đăng ký cho đơn vị {counter.unit_code}, không được gửi cho {batch.unit_code}.",
            )
        if any(not isinstance(e, dict) or not isinstance(e.get("id"), str) for e in batch.events):
            raise Refusal(400, "malformed", "Mỗi sự kiện phải là một đối tượng có mã “id”.")
        results = await run_in_threadpool(system.store_events, counter, batch.events)
        return _json(PushResponse(server_time_ms=system.server_time_ms(), results=results))

    async def pull(request: Request) -> Response:
        counter = await authenticate(request)
        try:
            after = int(request.query_params.get("after", "0"))
            limit = int(request.query_params.get("limit", "500"))
        except ValueError:
            raise Refusal(400, "malformed", "Tham số after và limit phải là số nguyên.") from None
        if after < 0 or not 1 <= limit <= MAX_PULL_EVENTS:
            raise Refusal(400, "malformed", f"Cần after ≥ 0 và limit từ 1 đến {MAX_PULL_EVENTS}.")
        include_own = request.query_params.get("include_own", "0") == "1"
        events, next_after, more = await run_in_threadpool(
            system.events_after, counter, after, limit, include_own
        )
        return _json(
            PullResponse(
                server_time_ms=system.server_time_ms(), events=events, next_after=next_after, more=more
            )
        )

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            try:
                response: Response = await handler(request)
            except Refusal as refusal:
                return _refusal_response(refusal)
            except ClientDisconnect:
                return Response(status_code=499)
            return response

        return endpoint

    routes = [
        Route(f"{API_PREFIX}/time", guarded(server_time), methods=["GET"]),
        Route(f"{API_PREFIX}/enrol", guarded(enrol), methods=["POST"]),
        Route(f"{API_PREFIX}/hello", guarded(hello), methods=["GET"]),
        Route(f"{API_PREFIX}/events", guarded(push), methods=["POST"]),
        Route(f"{API_PREFIX}/events", guarded(pull), methods=["GET"]),
    ]
    return Starlette(routes=routes, middleware=[Middleware(GZipMiddleware, minimum_size=512)])
