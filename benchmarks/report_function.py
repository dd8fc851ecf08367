"""The report function's cold start and per-request cost, against a bare boto3 handler.

Cold start: a fresh interpreter imports the handler module (which builds the app,
its adapters and key ring) with warm ``.pyc`` files, as a Lambda re-using a cached
package does; the baseline is a handler that imports only boto3, measured in the
same run and interleaved so machine noise hits both alike. Per request: the handler
called in-process with a real-shaped API Gateway event, local adapters underneath.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from base64 import b64encode
from pathlib import Path

from nacl.public import PrivateKey, SealedBox
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
REPORT_HANDLER = ROOT / "functions" / "report" / "app.py"
BARE_HANDLER = ROOT / "benchmarks" / "bare_boto3_handler.py"
COLD_RUNS = 9
REQUESTS = 400

_IMPORT_TIMER = """
import importlib.util, sys, time
start = time.perf_counter()
spec = importlib.util.spec_from_file_location("handler_module", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
assert callable(module.handler)
print((time.perf_counter() - start) * 1000)
"""


def _environment(data_dir: Path, private_key: PrivateKey) -> dict[str, str]:
    ring = {
        "current": "report-bench",
        "keys": {"report-bench": b64encode(private_key.public_key.encode()).decode()},
    }
    return {
        **os.environ,
        "UGLYMUGS_DATA_DIR": str(data_dir),
        "UGLYMUGS_REPORT_KEYRING": json.dumps(ring),
        "AWS_DEFAULT_REGION": "eu-west-2",
        "POWERTOOLS_METRICS_NAMESPACE": "uglymugs",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "PYTHONPATH": str(ROOT),
    }


def cold_start_ms(handler: Path, env: dict[str, str]) -> float:
    output = subprocess.run(
        [sys.executable, "-c", _IMPORT_TIMER, str(handler)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(output.stdout.strip().splitlines()[-1])


def per_request_us(handler_path: Path, env: dict[str, str], event_factory) -> float:
    """Mean microseconds per in-process call, in a child so imports do not leak."""
    script = f"""
import importlib.util, json, sys, time
sys.path.insert(0, {str(ROOT)!r})
from benchmarks.report_function import _request_events
from tests.lambda_events import FakeLambdaContext
spec = importlib.util.spec_from_file_location("handler_module", {str(handler_path)!r})
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
events = _request_events({REQUESTS})
context = FakeLambdaContext()
module.handler(events[0], context)
start = time.perf_counter()
for event in events[1:]:
    response = module.handler(event, context)
print((time.perf_counter() - start) / (len(events) - 1) * 1e6)
"""
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return float(output.stdout.strip().splitlines()[-1])


def _request_events(count: int) -> list[dict]:
    """POST /api/reports events, each with its own idempotency key and a sealed report."""
    from tests.lambda_events import http_api_event

    public_key = PrivateKey(bytes.fromhex(os.environ["BENCH_PRIVATE_KEY"])).public_key
    report = json.dumps(
        {
            "schema": "uglymugs.report/1",
            "report_type": "full",
            "answers": {"what_happened": "x" * 1500},
        }
    ).encode()
    events = []
    for index in range(count):
        body = json.dumps(
            {
                "key_id": "report-bench",
                "ciphertext": b64encode(SealedBox(public_key).encrypt(report)).decode(),
                "idempotency_key": f"bench-{index:06d}-aaaaaaaaaaaa",
            }
        )
        events.append(
            http_api_event("POST", "/api/reports", body, {"content-type": "application/json"})
        )
    return events


def main() -> None:
    console = Console(width=120)
    private_key = PrivateKey.generate()
    with tempfile.TemporaryDirectory() as tmp:
        env = _environment(Path(tmp), private_key)
        env["BENCH_PRIVATE_KEY"] = private_key.encode().hex()
        cold_start_ms(REPORT_HANDLER, env)  # compile .pyc files first: Lambda packages ship them
        cold_start_ms(BARE_HANDLER, env)
        aws_env = {
            **env,
            "UGLYMUGS_VAULT_BUCKET": "bench-vault",
            "UGLYMUGS_IDEMPOTENCY_TABLE": "bench",
        }
        report_runs, aws_runs, bare_runs = [], [], []
        with console.status("cold starts…"):
            for _ in range(COLD_RUNS):
                report_runs.append(cold_start_ms(REPORT_HANDLER, env))
                aws_runs.append(cold_start_ms(REPORT_HANDLER, aws_env))
                bare_runs.append(cold_start_ms(BARE_HANDLER, env))
        with console.status("requests…"):
            report_request = per_request_us(REPORT_HANDLER, env, _request_events)
            bare_request = per_request_us(BARE_HANDLER, env, _request_events)

    report_cold, bare_cold = statistics.median(report_runs), statistics.median(bare_runs)
    aws_cold = statistics.median(aws_runs)
    table = Table(title=f"Report function (median of {COLD_RUNS} cold starts; {REQUESTS} requests)")
    table.add_column("handler")
    table.add_column("cold import + init (ms)", justify="right")
    table.add_column("× bare", justify="right")
    table.add_column("per request in-process (µs)", justify="right")
    table.add_row("bare boto3 handler", f"{bare_cold:.0f}", "1.00", f"{bare_request:.1f}")
    table.add_row(
        "functions/report, local adapters",
        f"{report_cold:.0f}",
        f"{report_cold / bare_cold:.2f}",
        f"{report_request:.0f}",
    )
    table.add_row(
        "functions/report, AWS adapters named",
        f"{aws_cold:.0f}",
        f"{aws_cold / bare_cold:.2f}",
        "(boto3 loads at first use)",
    )
    console.print(table)
    console.print(
        "Per request: POST /api/reports through Mangum, validation, idempotency claim "
        "(SQLite) and vault write (files, fsync) — the bare handler does no work."
    )
