"""The hub's HTTP layer (Starlette): protocol v1 and v2 over any ProvincialSystem; refusals store nothing.

Every malformed request is a 400 `malformed` with one sentence; nothing a client sends reaches a 500.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
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

from sync.adapter import CounterIdentity, EnrolmentRefused, NotSupported, ProvincialSystem
from sync.audithead import PATH as AUDIT_HEAD_PATH
from sync.audithead import AuditHeadRequest, AuditHeadResponse
from sync.blobproto import DEFAULT_MAX_BLOB_MB
from sync.hub.blobroutes import BlobRefusal, blob_routes
from sync.hub.blobstore import BlobStorage
from sync.protocol import (
    API_PREFIX,
    ENROL_VERSION,
    MAX_BATCH_EVENTS,
    MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    MAX_JSON_INTEGER_DIGITS,
    MAX_JSON_STRING,
    MAX_PULL_EVENTS,
    MAX_RAW_BYTES,
    PROTOCOL_VERSION,
    SUPPORTED_VERSIONS,
    EnrolRequest,
    EnrolResponse,
    ErrorResponse,
    HelloResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    printable,
)

log = logging.getLogger("sync.hub")

BODY_TIMEOUT_SECONDS = 60.0
"""A request body not received in full within this time is refused (a slow sender holds no worker)."""
DIGITS = re.compile(r"^[0-9]{1,18}$")
"""A query parameter that is a non-negative integer: ASCII digits only, fits 64 bits."""
PULL_PARAMS = frozenset({"after", "limit", "include_own"})


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


async def _receive(request: Request) -> bytes:
    """The raw body as sent, refused as soon as it grows past MAX_BODY_BYTES."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise Refusal(413, "too_large", f"Gói tin vượt quá {MAX_BODY_BYTES} byte.")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_body(request: Request, timeout: float = BODY_TIMEOUT_SECONDS) -> bytes:
    """The request body, decompressed when gzip, refused when too large, corrupt or too slow."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared[:12]) > MAX_BODY_BYTES:
        raise Refusal(413, "too_large", f"Gói tin vượt quá {MAX_BODY_BYTES} byte.")
    try:
        body = await asyncio.wait_for(_receive(request), timeout)
    except TimeoutError:
        raise Refusal(408, "timeout", f"Gói tin không đến đủ trong {timeout:.0f} giây.") from None
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


def _malformed(reason: str) -> Refusal:
    return Refusal(400, "malformed", reason)


def _constant(name: str) -> Any:
    raise _malformed(f"Nội dung chứa giá trị {name}, không phải JSON chuẩn.")


LARGEST_INTEGER = 10**MAX_JSON_INTEGER_DIGITS
SURROGATE = re.compile("[\ud800-\udfff]")


def _check_shape(document: Any) -> None:
    """Refuse deep nesting, long strings or numbers, infinities and unpaired surrogates (iteratively)."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if len(item) > MAX_JSON_STRING:
                raise _malformed(f"Một chuỗi trong nội dung dài quá {MAX_JSON_STRING} ký tự.")
            if not item.isascii() and SURROGATE.search(item):
                raise _malformed("Một chuỗi trong nội dung chứa ký tự thay thế lẻ (unpaired surrogate).")
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise _malformed(f"Nội dung lồng nhau quá {MAX_JSON_DEPTH} cấp.")
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((value, depth + 1) for value in item.values())
            else:
                stack.extend((value, depth + 1) for value in item)
        elif isinstance(item, int) and not -LARGEST_INTEGER < item < LARGEST_INTEGER:
            raise _malformed(f"Số nguyên trong nội dung dài quá {MAX_JSON_INTEGER_DIGITS} chữ số.")
        elif isinstance(item, float) and not math.isfinite(item):
            raise _malformed("Số thực trong nội dung quá lớn.")


def _parse_json(body: bytes) -> Any:
    """A request body as JSON within the protocol's limits, or a 400 `malformed` saying which one."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _malformed("Nội dung không phải văn bản UTF-8.") from None
    try:
        document = json.loads(text, parse_constant=_constant)
    except RecursionError:
        raise _malformed(f"Nội dung lồng nhau quá {MAX_JSON_DEPTH} cấp.") from None
    except ValueError as exc:
        if "digits" in str(exc):  # Python's own limit on int() (4300 digits)
            raise _malformed(f"Số nguyên trong nội dung dài quá {MAX_JSON_INTEGER_DIGITS} chữ số.") from None
        raise _malformed("Nội dung không phải JSON hợp lệ.") from None
    _check_shape(document)
    return document


def _check_protocol(document: Any, accepted: frozenset[int] = SUPPORTED_VERSIONS) -> int:
    """The message's protocol version, refused unless it is one the hub speaks here."""
    if not isinstance(document, dict):
        raise _malformed("Nội dung phải là một đối tượng JSON.")
    version = document.get("protocol")
    if type(version) is not int or version not in accepted:
        raise Refusal(
            400,
            "unsupported_protocol",
            f"Phiên bản giao thức không được hỗ trợ; hệ thống tỉnh dùng {', '.join(map(str, sorted(accepted)))}.",
        )
    return version


def _query(request: Request, allowed: frozenset[str] = frozenset()) -> dict[str, str]:
    """The query parameters, each known and given once, or a 400 `malformed`."""
    pairs = request.query_params.multi_items()
    names = [name for name, _ in pairs]
    if set(names) - allowed:
        known = ", ".join(sorted(allowed)) or "không có tham số nào"
        raise _malformed(f"Yêu cầu có tham số không được hỗ trợ (chỉ dùng: {known}).")
    if len(names) != len(set(names)):
        raise _malformed("Mỗi tham số chỉ được nêu một lần.")
    return dict(pairs)


def _pull_params(request: Request) -> tuple[int, int, bool]:
    """after, limit and include_own of a pull, strictly: ASCII digits, within bounds."""
    params = _query(request, PULL_PARAMS)
    after, limit = params.get("after", "0"), params.get("limit", "500")
    if not DIGITS.match(after) or not DIGITS.match(limit):
        raise _malformed("Tham số after và limit phải là số nguyên không âm, tối đa 18 chữ số.")
    if not 1 <= int(limit) <= MAX_PULL_EVENTS:
        raise _malformed(f"Cần limit từ 1 đến {MAX_PULL_EVENTS}.")
    include_own = params.get("include_own", "0")
    if include_own not in ("0", "1"):
        raise _malformed("Tham số include_own phải là 0 hoặc 1.")
    return int(after), int(limit), include_own == "1"


def create_app(system: ProvincialSystem, body_timeout: float = BODY_TIMEOUT_SECONDS,
               blobs: BlobStorage | None = None, max_blob_bytes: int = DEFAULT_MAX_BLOB_MB * 1_048_576) -> Starlette:
    """The ASGI application serving protocol v1 and v2 on top of `system` (and attachment blobs on `blobs`)."""

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
        _query(request)
        return JSONResponse({"protocol": PROTOCOL_VERSION, "server_time_ms": system.server_time_ms()})

    async def enrol(request: Request) -> Response:
        _query(request)
        document = _parse_json(await read_body(request, body_timeout))
        if isinstance(document, dict) and document.get("protocol") == 1 and type(document["protocol"]) is int:
            raise Refusal(
                400,
                "unsupported_protocol",
                "Phần mềm quầy còn dùng giao thức 1, không gửi dãy số thứ tự của quầy; hãy cập nhật "
                "Một Cửa Counter lên bản dùng giao thức 2 rồi chạy lại `counter enroll`.",
            )
        _check_protocol(document, frozenset({ENROL_VERSION}))
        try:
            message = EnrolRequest.model_validate(document)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or first["msg"]
            raise _malformed(f"Yêu cầu đăng ký thiếu hoặc sai trường {printable(where, 60)}.") from None
        try:
            token = await run_in_threadpool(
                system.enrol,
                message.code,
                message.unit_code,
                message.counter_id,
                message.sequence_first,
                message.sequence_last,
            )
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
        _query(request)
        counter = await authenticate(request)
        return _json(
            HelloResponse(
                unit_code=counter.unit_code,
                counter_id=counter.counter_id,
                server_time_ms=system.server_time_ms(),
            )
        )

    async def push(request: Request) -> Response:
        _query(request)
        counter = await authenticate(request)
        document = _parse_json(await read_body(request, body_timeout))
        _check_protocol(document)
        events = document.get("events")
        if isinstance(events, list) and len(events) > MAX_BATCH_EVENTS:
            raise Refusal(413, "too_large", f"Một lần gửi tối đa {MAX_BATCH_EVENTS} sự kiện.")
        try:
            batch = PushRequest.model_validate(document)
        except ValidationError as exc:
            where = ".".join(str(part) for part in exc.errors()[0]["loc"]) or "?"
            raise _malformed(f"Gói sự kiện thiếu hoặc sai trường {printable(where, 40)}.") from None
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
        after, limit, include_own = _pull_params(request)
        events, next_after, more = await run_in_threadpool(
            system.events_after, counter, after, limit, include_own
        )
        return _json(
            PullResponse(
                server_time_ms=system.server_time_ms(), events=events, next_after=next_after, more=more
            )
        )

    async def audit_head(request: Request) -> Response:
        _query(request)
        counter = await authenticate(request)
        document = _parse_json(await read_body(request, body_timeout))
        _check_protocol(document)
        try:
            message = AuditHeadRequest.model_validate(document)
        except ValidationError:
            raise _malformed("Đầu chuỗi nhật ký thiếu hoặc sai trường.") from None
        try:
            answer = await run_in_threadpool(
                system.record_audit_head, counter, message.count, message.head, message.prior_count,
                message.prior_hash,
            )
        except NotSupported:
            raise Refusal(404, "not_supported", "Hệ thống tỉnh này không lưu đầu chuỗi nhật ký.") from None
        return _json(AuditHeadResponse(protocol=PROTOCOL_VERSION, status=answer.status, count=answer.count,
                                       head=answer.head, flagged=list(answer.flagged)))

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            try:
                response: Response = await handler(request)
            except Refusal as refusal:
                return _refusal_response(refusal)
            except ClientDisconnect:
                return Response(status_code=499)
            except Exception:
                log.exception("hub: %s %s failed", request.method, request.url.path)
                failure = ErrorResponse(error="internal_error", reason="Hệ thống tỉnh gặp lỗi; hãy thử lại sau.")
                return JSONResponse(failure.model_dump(), status_code=500)
            return response

        return endpoint

    routes = [
        Route(f"{API_PREFIX}/time", guarded(server_time), methods=["GET"]),
        Route(f"{API_PREFIX}/enrol", guarded(enrol), methods=["POST"]),
        Route(f"{API_PREFIX}/hello", guarded(hello), methods=["GET"]),
        Route(f"{API_PREFIX}/events", guarded(push), methods=["POST"]),
        Route(f"{API_PREFIX}/events", guarded(pull), methods=["GET"]),
        Route(f"{API_PREFIX}{AUDIT_HEAD_PATH}", guarded(audit_head), methods=["POST"]),
    ]
    if blobs is not None:
        routes += blob_routes(blobs, _blob_auth(authenticate), max_blob_bytes)
    return Starlette(
        routes=routes,
        middleware=[Middleware(GZipMiddleware, minimum_size=512)],
        exception_handlers={404: _not_found, 405: _not_allowed},
    )


def _blob_auth(authenticate: Any) -> Any:
    """The hub's bearer check, refusing in the blob routes' own shape."""

    async def check(request: Request) -> CounterIdentity:
        try:
            counter: CounterIdentity = await authenticate(request)
        except Refusal as refusal:
            raise BlobRefusal(refusal.status, refusal.error, refusal.reason) from None
        return counter

    return check


async def _not_found(request: Request, exc: Exception) -> Response:
    """An unknown path, answered in the protocol's shape."""
    return _refusal_response(Refusal(404, "not_found", "Đường dẫn không có trong giao thức đồng bộ."))


async def _not_allowed(request: Request, exc: Exception) -> Response:
    """A known path with the wrong method, answered in the protocol's shape."""
    return _refusal_response(Refusal(405, "method_not_allowed", "Phương thức không dùng được cho đường dẫn này."))
