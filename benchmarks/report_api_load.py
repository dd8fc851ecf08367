"""The local report API under concurrent clients, against a minimal Starlette peer.

Two servers run side by side in the same run, each a uvicorn worker on 127.0.0.1 in
its own process: the scheme's report API (``composition.report_app`` with the local
adapters: SQLite idempotency claims and the file vault) and a minimal Starlette app
that reads the same JSON body and makes the same fsync'd write-once file
(``write_new_file``) in the threadpool, and nothing else. Clients are httpx async
clients sending sealed dummy reports, each with its own idempotency key, retrying a
503 after its ``Retry-After`` (and a dropped connection after a short pause) up to
``ATTEMPTS`` times with the same key, so a retry never stores twice. Each level sends
a bounded number of reports within a bounded time, in rounds that alternate the two
servers; latency is from the first attempt
to the answer. Goal: the report API at 0.8x the peer's requests per second or better.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from base64 import b64encode
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from nacl.public import PrivateKey, SealedBox
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
KEY_ID = "report-bench"
CLIENTS = (4, 16, 64)
REPORTS_PER_LEVEL = 450
ROUNDS = 3  # each level alternates the servers in rounds: noise hits both alike
ROUND_SECONDS = 15.0  # a round stops sending new reports after this long
ATTEMPTS = 4
CONNECTION_RETRY_SECONDS = 0.2
REPORT_BYTES = 1_500
SERVER_START_SECONDS = 20.0

_SERVER = """
import os, sys
import uvicorn
sys.path.insert(0, {root!r})
from benchmarks.report_api_load import {factory}
uvicorn.run({factory}(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
            access_log=False)
"""


def scheme_app():
    """The report API exactly as ``uglymugs dev`` builds it (local adapters)."""
    from uglymugs.composition import report_app
    from uglymugs.config import Settings

    return report_app(Settings.from_environ(os.environ))


def peer_app():
    """The least a report endpoint can do: parse the body, write it once, fsync'd."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from uglymugs.private_files import write_new_file

    directory = Path(os.environ["UGLYMUGS_DATA_DIR"]) / "peer"

    async def submit(request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        name = secrets.token_hex(8)
        await run_in_threadpool(
            write_new_file, directory / f"{name}.json", json.dumps(body).encode()
        )
        return JSONResponse({"report_number": name}, status_code=201)

    return Starlette(routes=[Route("/api/reports", submit, methods=["POST"])])


@dataclass
class Server:
    """One uvicorn process serving ``factory`` on a free loopback port."""

    factory: str
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.port = _free_port()
        script = _SERVER.format(root=str(ROOT), factory=self.factory)
        self.process = subprocess.Popen(
            [sys.executable, "-c", script, str(self.port)], env=self.env
        )
        _wait_until_listening(self.port)
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/reports"


@dataclass
class Level:
    """What one concurrency level measured against one server."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    retries: int = 0
    failures: int = 0

    def add(self, other: Level) -> None:
        self.seconds += other.seconds
        self.latencies += other.latencies
        self.retries += other.retries
        self.failures += other.failures

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_listening(port: int) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no server on port {port} after {SERVER_START_SECONDS} s")


def sealed_bodies(public_key, count: int) -> list[bytes]:
    """Request bodies: a sealed dummy report each, and a fresh idempotency key."""
    box = SealedBox(public_key)
    bodies = []
    for _ in range(count):
        ciphertext = box.encrypt(secrets.token_bytes(REPORT_BYTES))
        body = {
            "key_id": KEY_ID,
            "ciphertext": b64encode(ciphertext).decode(),
            "idempotency_key": secrets.token_urlsafe(24),
        }
        bodies.append(json.dumps(body).encode())
    return bodies


async def _send(client: httpx.AsyncClient, url: str, body: bytes, level: Level) -> None:
    """One report, retried with the same key: after Retry-After, or a dropped connection."""
    start = time.perf_counter()
    for attempt in range(ATTEMPTS):
        if attempt:
            level.retries += 1
        try:
            response = await client.post(
                url, content=body, headers={"content-type": "application/json"}
            )
        except httpx.TransportError:
            await asyncio.sleep(CONNECTION_RETRY_SECONDS)
            continue
        if response.status_code == 201:
            level.latencies.append(time.perf_counter() - start)
            return
        if response.status_code != 503:
            break
        await asyncio.sleep(float(response.headers.get("retry-after", "1")))
    level.failures += 1


async def run_level(url: str, clients: int, bodies: list[bytes]) -> Level:
    """``clients`` workers share ``bodies`` until they run out or time is up."""
    level = Level()
    queue = iter(bodies)
    deadline = time.monotonic() + ROUND_SECONDS
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def worker(client: httpx.AsyncClient) -> None:
        for body in queue:
            if time.monotonic() > deadline:
                return
            await _send(client, url, body, level)

    async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        level.seconds = time.perf_counter() - start
    return level


def _environment(data_dir: Path, private_key: PrivateKey) -> dict[str, str]:
    ring = {
        "current": KEY_ID,
        "keys": {KEY_ID: b64encode(private_key.public_key.encode()).decode()},
    }
    return {
        **os.environ,
        "UGLYMUGS_DATA_DIR": str(data_dir),
        "UGLYMUGS_REPORT_KEYRING": json.dumps(ring),
        "PYTHONPATH": str(ROOT),
    }


def measure() -> dict[int, tuple[Level, Level]]:
    """Each level against both servers, interleaved so machine noise hits both alike."""
    private_key = PrivateKey.generate()
    results: dict[int, tuple[Level, Level]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        env = _environment(Path(scratch), private_key)
        with Server("scheme_app", env) as scheme, Server("peer_app", env) as peer:
            for clients in CLIENTS:
                warm = sealed_bodies(private_key.public_key, clients * 2)
                asyncio.run(run_level(scheme.url, clients, warm[:clients]))
                asyncio.run(run_level(peer.url, clients, warm[clients:]))
                ours, theirs = Level(), Level()
                for _ in range(ROUNDS):
                    for server, total in ((scheme, ours), (peer, theirs)):
                        bodies = sealed_bodies(private_key.public_key, REPORTS_PER_LEVEL // ROUNDS)
                        total.add(asyncio.run(run_level(server.url, clients, bodies)))
                results[clients] = (ours, theirs)
    return results


def main() -> None:
    console = Console(width=120)
    with console.status("report API under load…"):
        results = measure()
    table = Table(title="Report API (local adapters, uvicorn) vs a minimal Starlette peer")
    for column in (
        "clients",
        "server",
        "reports/s",
        "p50 ms",
        "p99 ms",
        "retries",
        "failed",
        "ratio",
    ):
        table.add_column(column, justify="right")
    for clients, (ours, theirs) in results.items():
        ratio = ours.per_second / theirs.per_second if theirs.per_second else float("nan")
        for name, level, shown in (("report API", ours, f"{ratio:.2f}x"), ("peer", theirs, "")):
            table.add_row(
                str(clients),
                name,
                f"{level.per_second:.1f}",
                f"{level.percentile(0.5):.1f}",
                f"{level.percentile(0.99):.1f}",
                str(level.retries),
                str(level.failures),
                shown,
            )
    console.print(table)
    console.print(
        f"goal: report API >= 0.8x the peer; {REPORTS_PER_LEVEL} reports per server and "
        f"level in {ROUNDS} alternating rounds of at most {ROUND_SECONDS:.0f} s"
    )


if __name__ == "__main__":
    main()
