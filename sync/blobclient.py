"""Attachment blobs between a counter and the hub: upload with resume, fetch on demand, both checked.

An upload continues from what the hub says it holds (never from zero); each chunk and the whole blob are
checked at the hub. A fetched blob is checked chunk by chunk as it arrives and as a whole before it is
kept; a mismatch is refused and fetched again. Blobs the hub already holds (a reused paper, a fetched one)
are never sent again. Events never wait for any of this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from counter.context import CounterContext
from counter.errors import CounterError
from counter.store import blobs
from sync.blobproto import WIRE_CHUNK, FrameError, FrameReader, frames

ATTEMPTS = 200
"""Resumes of one blob in one pass before giving up until the next pass (a link that keeps dropping)."""


class BlobLinkDown(CounterError):
    """The hub could not be reached while moving a blob."""

    title = "Mất kết nối"


@dataclass(frozen=True)
class Waiting:
    """Blobs not yet at the hub and the bytes still to send."""

    blobs: int
    bytes_left: int


def waiting(ctx: CounterContext) -> Waiting:
    """What `counter sync --status` shows: this counter's blobs the hub has not confirmed complete."""
    with ctx.store.read() as session:
        found = blobs.pending(session, ctx.config.counter.id)
    return Waiting(len(found), sum(size - acked for _, size, acked in found))


class BlobClient:
    """Moves blobs over the sync client's keep-alive session."""

    def __init__(self, ctx: CounterContext, session: requests.Session, base: str,
                 timeout: tuple[float, float]) -> None:
        self.ctx, self.session, self.base, self.timeout = ctx, session, base, timeout
        self.bytes_sent = 0

    def _call(self, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        try:
            response = self.session.request(method, f"{self.base}/blobs/{path}", timeout=self.timeout, **kwargs)
            document = response.json()
        except (requests.RequestException, ValueError):
            raise BlobLinkDown("Mất kết nối khi gửi hoặc nhận tệp đính kèm.") from None
        if not isinstance(document, dict) or response.status_code >= 500:
            raise BlobLinkDown(f"Hệ thống tỉnh gặp sự cố khi nhận tệp đính kèm (mã {response.status_code}).")
        return response.status_code, document

    def _mark(self, sha256: str, acked: int, done: bool) -> None:
        with self.ctx.store.write() as session:
            blobs.mark_sent(session, sha256, acked, done, self.ctx.now())

    def upload_pending(self) -> int:
        """Send every blob of this counter's attachments the hub lacks; returns how many were completed."""
        with self.ctx.store.read() as session:
            pending = blobs.pending(session, self.ctx.config.counter.id)
        return sum(self.upload(sha, size) for sha, size, _ in pending)

    def upload(self, sha256: str, size: int) -> bool:
        """Send one blob from where the hub stands, resuming after each cut; True once the hub has it whole."""
        with self.ctx.store.read() as session:
            data = blobs.read(session, sha256)
        for _ in range(ATTEMPTS):
            try:
                _, held = self._call("GET", sha256)
                if held.get("complete"):
                    self._mark(sha256, size, True)
                    return True
                offset = int(held.get("received") or 0) if held.get("size") == size else 0
                body = frames([data[offset:]])
                self.bytes_sent += size - offset
                status, answer = self._call("POST", f"{sha256}?offset={offset}&size={size}", data=body,
                                            headers={"Content-Type": "application/octet-stream"})
            except BlobLinkDown:
                continue
            if status == 413 or status in (401, 403):
                raise CounterError(str(answer.get("reason") or "Hệ thống tỉnh từ chối tệp đính kèm."))
            self._mark(sha256, int(answer.get("received") or 0), bool(answer.get("complete")))
            if answer.get("complete"):
                return True
        raise BlobLinkDown("Đường truyền liên tục bị ngắt; tệp đính kèm sẽ được gửi tiếp ở lượt sau.")

    def fetch(self, sha256: str) -> None:
        """Bring a blob of another counter here, resuming a partial fetch; refetched once if it does not
        match its hash; kept only whole and checked."""
        for _ in range(2):
            for _ in range(ATTEMPTS):
                try:
                    if self._fetch_more(sha256):
                        break
                except (BlobLinkDown, FrameError):
                    continue
            else:
                raise BlobLinkDown("Không tải được tệp đính kèm từ hệ thống tỉnh; hãy thử lại khi có mạng.")
            if self._finish(sha256):
                return
        raise CounterError(f"Tệp đính kèm {sha256[:12]}… tải về không khớp mã băm; đã bỏ, hãy thử lại sau.")

    def _fetch_more(self, sha256: str) -> bool:
        """Fetch from the end of the partial copy; True when every byte is here."""
        with self.ctx.store.read() as session:
            size, have = blobs.partial(session, sha256)
        if size is not None and have >= size:
            return True
        try:
            response = self.session.get(f"{self.base}/blobs/{sha256}/content", params={"offset": have},
                                        timeout=self.timeout, stream=True)
        except requests.RequestException:
            raise BlobLinkDown("Mất kết nối khi tải tệp đính kèm.") from None
        if response.status_code != 200:
            response.close()
            raise CounterError("Hệ thống tỉnh chưa có tệp đính kèm này (quầy gửi chưa tải lên hết).")
        total = int(response.headers.get("X-Blob-Size", "0"))
        reader = FrameReader(total - have)
        try:
            for data in response.iter_content(WIRE_CHUNK):
                for chunk in reader.feed(data):
                    with self.ctx.store.write() as session:
                        have = blobs.append_partial(session, sha256, total, have, chunk, self.ctx.now())
        except requests.RequestException:
            raise BlobLinkDown("Mất kết nối khi tải tệp đính kèm.") from None
        finally:
            response.close()
        return reader.remaining == 0

    def _finish(self, sha256: str) -> bool:
        with self.ctx.store.write() as session:
            return blobs.complete_partial(session, sha256, self.ctx.now())


def fetch(ctx: CounterContext, sha256: str) -> None:
    """Fetch one blob from the hub (enrolment needed), for an export or a view of a pulled attachment."""
    from sync.client import DEFAULT_TIMEOUT, make_session
    from sync.credentials import load_credentials
    from sync.protocol import API_PREFIX

    credentials = load_credentials(ctx)
    session = make_session(ctx, credentials)
    try:
        BlobClient(ctx, session, credentials.hub_url + API_PREFIX, DEFAULT_TIMEOUT).fetch(sha256)
    finally:
        session.close()

