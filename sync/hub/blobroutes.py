"""The hub's blob endpoints (protocol in sync/blobproto.py) over any BlobStorage.

Every chunk is checked by its hash as it arrives and kept at once; the whole blob is checked against its
name before it is served. A blob is served only to counters of a unit that sent its bytes in full.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from sync.adapter import CounterIdentity
from sync.blobproto import DIGITS, SHA256_NAME, WIRE_CHUNK, FrameError, FrameReader, frames
from sync.hub.blobstore import BlobState, BlobStorage
from sync.protocol import API_PREFIX, PROTOCOL_VERSION

Authenticate = Callable[[Request], Awaitable[CounterIdentity]]


class BlobRefusal(Exception):
    """A blob request refused as a whole (nothing more stored)."""

    def __init__(self, status: int, error: str, reason: str, received: int | None = None) -> None:
        super().__init__(reason)
        self.status, self.error, self.reason, self.received = status, error, reason, received

    def response(self) -> JSONResponse:
        """The refusal in the protocol's shape (with what the hub holds, when known)."""
        body: dict[str, Any] = {"protocol": PROTOCOL_VERSION, "error": self.error, "reason": self.reason}
        if self.received is not None:
            body["received"] = self.received
        return JSONResponse(body, status_code=self.status)


def _name(request: Request) -> str:
    sha = str(request.path_params["sha256"])
    if not SHA256_NAME.match(sha):
        raise BlobRefusal(400, "malformed", "Tên tệp phải là mã SHA-256 (64 chữ số hex viết thường).")
    return sha


def _number(request: Request, name: str, default: str | None = None) -> int:
    value = request.query_params.get(name, default)
    if value is None or not DIGITS.match(value):
        raise BlobRefusal(400, "malformed", f"Tham số {name} phải là số nguyên không âm.")
    return int(value)


def _visible(held: BlobState | None, counter: CounterIdentity) -> BlobState | None:
    """What a counter may know of a blob: a complete blob of another unit is not shown."""
    if held is None or (held.complete and counter.unit_code not in held.units):
        return None
    return held


def blob_routes(storage: BlobStorage, authenticate: Authenticate, max_bytes: int) -> list[Route]:
    """The three blob routes, guarded: every refusal is one sentence in the protocol's shape."""

    async def status(request: Request) -> Response:
        counter = await authenticate(request)
        held = _visible(await run_in_threadpool(storage.state, _name(request)), counter)
        return JSONResponse({"protocol": PROTOCOL_VERSION, "size": held.size if held else None,
                             "received": held.received if held else 0, "complete": bool(held and held.complete)})

    async def upload(request: Request) -> Response:
        counter = await authenticate(request)
        sha, offset, size = _name(request), _number(request, "offset"), _number(request, "size")
        if size == 0 or size > max_bytes:
            raise BlobRefusal(413, "too_large", f"Tệp đính kèm vượt giới hạn {max_bytes // 1_048_576} MB "
                                                "của hệ thống tỉnh.")
        held = await run_in_threadpool(storage.state, sha)
        if held is not None and held.complete:
            return await _prove(request, storage, counter, sha, held, offset)
        held = await run_in_threadpool(storage.begin, sha, size, counter.unit_code)
        if offset != held.received or offset >= size:
            raise BlobRefusal(409, "offset_mismatch", f"Hệ thống tỉnh đang giữ {held.received} byte của tệp; "
                                                     "hãy gửi tiếp từ đó.", held.received)
        received = await _receive(request, storage, sha, offset, size)
        complete = received == size and await run_in_threadpool(storage.finish, sha)
        if received == size and not complete:
            raise BlobRefusal(422, "blob_mismatch", "Nội dung tệp không khớp mã SHA-256 của nó; hãy gửi lại.", 0)
        return JSONResponse({"protocol": PROTOCOL_VERSION, "received": received, "complete": complete})

    async def content(request: Request) -> Response:
        counter = await authenticate(request)
        sha, offset = _name(request), _number(request, "offset", "0")
        held = _visible(await run_in_threadpool(storage.state, sha), counter)
        if held is None or not held.complete:
            raise BlobRefusal(404, "unknown_blob", "Hệ thống tỉnh chưa có đủ tệp này.")
        if offset % WIRE_CHUNK or offset >= held.size:
            raise BlobRefusal(400, "malformed", f"offset phải là bội của {WIRE_CHUNK} và nhỏ hơn {held.size}.")
        headers = {"X-Blob-Size": str(held.size)}
        return StreamingResponse(_iterate(frames(storage.read(sha, offset))), headers=headers,
                                 media_type="application/octet-stream")

    def guarded(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except BlobRefusal as refusal:
                return refusal.response()
            except ClientDisconnect:
                return Response(status_code=499)

        return endpoint

    return [
        Route(f"{API_PREFIX}/blobs/{{sha256}}", guarded(status), methods=["GET"]),
        Route(f"{API_PREFIX}/blobs/{{sha256}}", guarded(upload), methods=["POST"]),
        Route(f"{API_PREFIX}/blobs/{{sha256}}/content", guarded(content), methods=["GET"]),
    ]


async def _iterate(pieces: Any) -> AsyncIterator[bytes]:
    """Read the storage's (blocking) iterator in worker threads."""
    while True:
        piece = await run_in_threadpool(next, pieces, None)
        if piece is None:
            return
        yield piece


async def _receive(request: Request, storage: BlobStorage, sha: str, offset: int, size: int) -> int:
    """Keep each checked chunk of the body as it arrives; a cut body keeps what was whole."""
    reader, received = FrameReader(size - offset), offset
    try:
        async for data in request.stream():
            for chunk in reader.feed(data):
                received = await run_in_threadpool(storage.append, sha, received, chunk)
            if reader.overflow:
                raise BlobRefusal(400, "malformed", "Gói tin dài hơn kích thước đã khai của tệp.", received)
    except FrameError:
        raise BlobRefusal(422, "chunk_mismatch", "Một phần của tệp không khớp mã băm; hãy gửi tiếp.",
                          received) from None
    except ClientDisconnect:
        pass
    finally:
        await run_in_threadpool(storage.flush, sha)
    return received


async def _prove(request: Request, storage: BlobStorage, counter: CounterIdentity, sha: str, held: BlobState,
                 offset: int) -> Response:
    """A complete blob sent again by a unit that may not read it yet: hash what arrives, store nothing."""
    if counter.unit_code in held.units:
        return JSONResponse({"protocol": PROTOCOL_VERSION, "received": held.size, "complete": True})
    if offset != 0:
        raise BlobRefusal(409, "offset_mismatch", "Hãy gửi tệp từ đầu.", 0)
    reader, digest = FrameReader(held.size), hashlib.sha256()
    try:
        async for data in request.stream():
            for chunk in reader.feed(data):
                digest.update(chunk)
    except (FrameError, ClientDisconnect):
        raise BlobRefusal(422, "chunk_mismatch", "Tệp gửi không trọn vẹn; hãy gửi lại từ đầu.", 0) from None
    if reader.remaining or digest.hexdigest() != sha:
        raise BlobRefusal(422, "blob_mismatch", "Nội dung tệp không khớp mã SHA-256 của nó.", 0)
    await run_in_threadpool(storage.add_unit, sha, counter.unit_code)
    return JSONResponse({"protocol": PROTOCOL_VERSION, "received": held.size, "complete": True})
