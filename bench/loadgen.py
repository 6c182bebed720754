"""A small open-loop HTTP/1.1 load generator on asyncio, for loopback only.

Open loop: request i is *scheduled* at start + i / rate and its latency is measured from
that scheduled time, so a slow server cannot hide its queueing delay by slowing the
client down (no coordinated omission). Each request is bounded (a timeout), the number of
requests is fixed in advance, and only 127.0.0.1 is ever contacted.
"""

import asyncio
import gc
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    elapsed: float = 0.0
    ok: int = 0
    failed: list[int] = field(default_factory=list)  # indices of requests with no good reply

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        values = sorted(self.latencies)
        index = min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))
        return values[index]


class _Exchange(asyncio.Protocol):
    """One request on its own connection, read until the response is complete.

    A protocol rather than asyncio's streams: the load generator shares the machine with
    the server it measures, so every bit of its own CPU counts against the server.
    """

    def __init__(self, raw: bytes, done: asyncio.Future):
        self.raw, self.done, self.buffer, self.needed = raw, done, b"", None

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.raw)

    def data_received(self, data: bytes):
        self.buffer += data
        if self.needed is None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            self.head = self.buffer[: end + 4]
            length = 0
            for line in self.head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            self.needed = end + 4 + length
        if len(self.buffer) >= self.needed and not self.done.done():
            self.done.set_result((int(self.head.split(b" ", 2)[1]), self.head))
            self.transport.close()

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_exception(exc or asyncio.IncompleteReadError(self.buffer, self.needed))


async def _request(port: int, raw: bytes, timeout: float) -> tuple[int, bytes]:
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    transport = None
    try:
        async with asyncio.timeout(timeout):
            transport, _ = await loop.create_connection(lambda: _Exchange(raw, done), HOST, port)
            return await done
    finally:
        if transport is not None:
            transport.close()


def build(method: str, path: str, port: int, *, body: bytes = b"", headers: dict | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    for k, v in (headers or {}).items():
        lines.append(f"{k}: {v}")
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def open_loop(port: int, requests: list[bytes], rate: float, *, ok, timeout: float = 10.0, max_in_flight=512):
    """Send ``requests`` at ``rate`` per second. ``ok(status, head)`` says if a reply is a success.

    Each request is started at its scheduled time by one scheduling loop (not thousands of
    sleeping tasks made up front, whose creation would delay the first requests), and the
    garbage collector is paused meanwhile: the generator's own pauses must not be counted
    as the server's latency.
    """
    out = Outcome()
    sem = asyncio.Semaphore(max_in_flight)
    running: set[asyncio.Task] = set()

    async def one(i: int, raw: bytes, scheduled: float):
        async with sem:
            try:
                status, head = await _request(port, raw, timeout)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                out.errors += 1
                out.failed.append(i)
                return
        out.statuses[status] = out.statuses.get(status, 0) + 1
        if ok(status, head):
            out.ok += 1
            out.latencies.append(time.perf_counter() - scheduled)
        else:
            out.errors += 1
            out.failed.append(i)

    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter() + 0.05
        for i, raw in enumerate(requests):
            scheduled = start + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(one(i, raw, scheduled))
            running.add(task)
            task.add_done_callback(running.discard)
        await asyncio.gather(*running)
    finally:
        gc.enable()
    out.elapsed = time.perf_counter() - start
    return out


async def closed_loop(port: int, raw: bytes, *, seconds: float, connections: int, timeout: float = 10.0) -> Outcome:
    """As many requests as ``connections`` concurrent clients can get through in ``seconds``."""
    out = Outcome()
    deadline = time.perf_counter() + seconds

    async def client():
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            try:
                status, _ = await _request(port, raw, timeout)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                out.errors += 1
                continue
            out.statuses[status] = out.statuses.get(status, 0) + 1
            if status == 200:
                out.ok += 1
                out.latencies.append(time.perf_counter() - t)
            else:
                out.errors += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    out.elapsed = time.perf_counter() - t0
    return out
