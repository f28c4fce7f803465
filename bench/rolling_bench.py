"""Rolling restarts behind the shipped nginx config (issue 21), run by hand:

    .venv/bin/python -m bench rolling [--servers 3] [--rounds 3] [--port 8900] [--redis-url redis://…/9]

Needs ``nginx`` on the PATH (or in /usr/sbin); without it the bench says so and exits 0.

It renders the proxy config from ``deploy/nginx.conf`` itself and changes only what Docker provides: the
``resolver`` line is dropped, the ``server web:8000 resolve …;`` upstream becomes one ``server
127.0.0.1:<port> …;`` line per server (its other parameters kept), ``listen 80`` becomes the bench's
port, and the file is wrapped in the ``http {}`` block of a main config with a pid file, logs and
temporary paths in a throwaway directory. Every other directive is the file's own, so the bench tests
the shipped config.

Then ``--servers`` real ``tobeout serve`` processes (one process each, as the compose file's replicas)
on a throwaway PostgreSQL database and a Redis database (flushed first), nginx in front, and a steady
mixed load through nginx: ``GET /healthz``, availability and the day's bookings (idempotent: nginx may
retry them on another server) and staff bookings with ``POST /api/booking/create`` (nginx does not
retry a POST once it was sent). Meanwhile it restarts the servers one at a time as an operator would,
``--rounds`` times: SIGTERM, wait for the exit, start again, wait for ``/readyz`` on the server itself.

Every request is counted by outcome (2xx, 4xx, 5xx, no answer); a failure is a 5xx or no answer
(a 409 "no table left" is an answer). The failures are printed with the time since the load began, so
they can be set against the restart log printed beside them, and nginx's error log is summarised by
cause (refused connections, connections closed under a request, …).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import shutil
import signal
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.api_bench import ROOT, bench_environment, op_availability, op_create, op_list, serve_command, set_up
from bench.common import throwaway_database

SHIPPED_CONF = ROOT / "deploy" / "nginx.conf"


def find_nginx() -> str | None:
    """The nginx binary: on the PATH, or Debian's /usr/sbin/nginx (not on an unprivileged user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def render_config(shipped: str, listen: int, upstreams: list[int], workdir: Path) -> str:
    """A complete nginx config around ``shipped`` (deploy/nginx.conf), with only Docker's parts replaced.

    Raises ValueError when the shipped file no longer has exactly one of each replaced line, so a change
    to the file cannot make the bench silently test something else."""
    replacements = [
        (r"^[ \t]*resolver\b[^\n]*\n", ""),
        (
            r"^([ \t]*)server[ \t]+web:8000[ \t]+resolve\b([^;\n]*);",
            "".join(f"\\1server 127.0.0.1:{p}\\2;\n" for p in upstreams),
        ),
        (r"^([ \t]*)listen[ \t]+80;", f"\\1listen 127.0.0.1:{listen};"),
    ]
    text = shipped
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
        if count != 1:
            raise ValueError(f"deploy/nginx.conf: expected one line matching {pattern!r}, found {count}")
    temp = workdir / "temp"
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / name).mkdir(parents=True, exist_ok=True)
    return f"""# rendered by python -m bench rolling from deploy/nginx.conf
daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log info;
events {{ worker_connections 1024; }}
http {{
    log_format rolling '$msec $request_method $uri $status up=$upstream_addr upstatus=$upstream_status';
    access_log {workdir}/access.log rolling;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;

{text}
}}
"""


async def op_healthz(client: httpx.AsyncClient, rng: random.Random) -> int:
    return (await client.get("/healthz")).status_code


#: The load: reads nginx may retry elsewhere, and staff bookings (POST) it must not.
MIX = [("healthz", op_healthz), ("availability", op_availability), ("list", op_list)] + [("create", op_create)] * 2


@dataclass
class Tally:
    """Every request's outcome, by operation; failures with the second they happened."""

    began: float = field(default_factory=time.monotonic)
    outcomes: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[tuple[float, str, str]] = field(default_factory=list)

    def add(self, op: str, outcome: str, failed: bool) -> None:
        self.outcomes.setdefault(op, Counter())[outcome] += 1
        if failed:
            self.failures.append((time.monotonic() - self.began, op, outcome))

    def log(self, message: str) -> None:
        print(f"[{time.monotonic() - self.began:7.2f} s] {message}", flush=True)


async def load(base: str, token: str, tally: Tally, stop: asyncio.Event, clients: int, rate: float) -> None:
    """``clients`` clients on kept-alive connections to nginx, ``rate`` requests per second in all."""
    pause = clients / rate

    async def client_loop(index: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(index)
        while not stop.is_set():
            name, op = rng.choice(MIX)
            started = time.monotonic()
            try:
                status = await op(client, rng)
                outcome, failed = f"{status}", status >= 500
            except httpx.HTTPError as exc:
                outcome, failed = f"no answer ({type(exc).__name__})", True
            tally.add(name, outcome, failed)
            await asyncio.sleep(max(0.0, pause - (time.monotonic() - started)) * rng.uniform(0.5, 1.5))

    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=70) as client:
        await asyncio.gather(*(client_loop(i, client) for i in range(clients)))


class Servers:
    """The ``tobeout serve`` processes behind nginx, started and stopped one at a time."""

    def __init__(self, ports: list[int], env: dict[str, str], cwd: Path) -> None:
        self.ports, self.env, self.cwd = ports, env, cwd
        self.processes: dict[int, asyncio.subprocess.Process] = {}
        self.output = (cwd / "servers.log").open("ab")

    async def start(self, port: int) -> float:
        """Start the server of ``port`` and wait for its ``/readyz``; seconds it took."""
        began = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            *serve_command(port), cwd=self.cwd, env=self.env, stdout=self.output, stderr=self.output
        )
        self.processes[port] = process
        async with httpx.AsyncClient(timeout=2) as probe:
            while time.monotonic() - began < 60:
                if process.returncode is not None:
                    raise RuntimeError(
                        f"tobeout serve on {port} exited with {process.returncode}; see {self.output.name}"
                    )
                with contextlib.suppress(httpx.HTTPError):
                    if (await probe.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                        return time.monotonic() - began
                await asyncio.sleep(0.1)
        raise RuntimeError(f"tobeout serve on {port} was not ready in 60 s; see {self.output.name}")

    async def stop(self, port: int) -> tuple[float, int | None]:
        """SIGTERM the server of ``port`` and wait for it to exit; seconds it took and its exit status."""
        process = self.processes.pop(port)
        began = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 60)
        except TimeoutError:
            process.kill()
            await process.wait()
        return time.monotonic() - began, process.returncode

    async def stop_all(self) -> None:
        for port in list(self.processes):
            await self.stop(port)
        self.output.close()


@contextlib.asynccontextmanager
async def nginx(binary: str, conf: Path, workdir: Path, port: int) -> AsyncIterator[None]:
    """Run nginx with ``conf`` (prefix ``workdir``) until the block ends, then stop it (SIGQUIT: graceful)."""
    check = await asyncio.create_subprocess_exec(
        binary, "-t", "-q", "-c", str(conf), "-p", str(workdir), stderr=asyncio.subprocess.PIPE
    )
    _, err = await check.communicate()
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the rendered config {conf}: {err.decode().strip()}")
    process = await asyncio.create_subprocess_exec(binary, "-c", str(conf), "-p", str(workdir))
    try:
        async with httpx.AsyncClient() as probe:
            for _ in range(100):
                with contextlib.suppress(httpx.HTTPError):
                    await probe.get(f"http://127.0.0.1:{port}/livez")
                    break
                await asyncio.sleep(0.1)
        yield
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGQUIT)
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


#: nginx error-log messages about upstreams, by cause.
ERROR_CAUSES = [
    ("connect() failed (111: Connection refused)", "connection refused (server stopped)"),
    ("upstream prematurely closed connection", "server closed the connection under a request"),
    ("Connection reset by peer", "connection reset by the server"),
    ("upstream timed out", "timed out"),
    ("no live upstreams", "no live upstreams"),
]


def error_log_summary(path: Path) -> Counter[str]:
    """nginx's upstream errors by cause (an error-log line names its cause and, for a retry, nothing more)."""
    causes: Counter[str] = Counter()
    if not path.exists():
        return causes
    for line in path.read_text(errors="replace").splitlines():
        if "[error]" not in line and "[warn]" not in line:
            continue
        for needle, cause in ERROR_CAUSES:
            if needle in line:
                method = re.search(r'request: "(\w+) ', line)
                causes[f"{cause}, {method.group(1) if method else '?'}"] += 1
                break
    return causes


async def restarts(servers: Servers, tally: Tally, rounds: int, pause: float) -> list[dict[str, float]]:
    """``rounds`` rolling restarts, one server at a time: SIGTERM, exit, start, ``/readyz``, ``pause``."""
    steps = []
    for round_no in range(1, rounds + 1):
        for port in servers.ports:
            tally.log(f"round {round_no}: SIGTERM to the server on {port}")
            stopped, code = await servers.stop(port)
            tally.log(f"round {round_no}: server on {port} exited {code} after {stopped:.2f} s; starting it")
            ready = await servers.start(port)
            tally.log(f"round {round_no}: server on {port} ready after {ready:.2f} s")
            steps.append({"stop": stopped, "ready": ready, "code": float(code if code is not None else -1)})
            await asyncio.sleep(pause)
    return steps


async def run(args: argparse.Namespace, binary: str) -> int:
    import redis.asyncio as aioredis

    redis = aioredis.from_url(args.redis_url)
    await redis.flushdb()
    await redis.aclose()
    upstream_ports = [args.port + 1 + i for i in range(args.servers)]
    workdir = Path(tempfile.mkdtemp(prefix="tobeout-rolling-"))
    conf = workdir / "nginx.conf"
    conf.write_text(render_config(SHIPPED_CONF.read_text(), args.port, upstream_ports, workdir))
    print(f"nginx config rendered from deploy/nginx.conf: {conf}; logs in {workdir}", flush=True)
    load_before = os.getloadavg()
    async with throwaway_database("tobeout_rolling_bench") as url:
        env = {
            **bench_environment(url, args.redis_url, str(workdir / "var")),
            "TOBEOUT_PLUGINS_FILE": str(ROOT / "plugins.toml"),
        }
        servers = Servers(upstream_ports, env, workdir)
        try:
            for port in upstream_ports:
                await servers.start(port)
            async with nginx(binary, conf, workdir, args.port):
                base = f"http://127.0.0.1:{args.port}"
                token = await set_up(base, who="rolling")
                tally = Tally()
                stop = asyncio.Event()
                load_task = asyncio.create_task(load(base, token, tally, stop, args.clients, args.rate))
                tally.log(f"load: {args.clients} clients, about {args.rate:.0f} requests/s through nginx")
                await asyncio.sleep(args.settle)
                steps = await restarts(servers, tally, args.rounds, args.pause)
                await asyncio.sleep(args.settle)
                stop.set()
                await load_task
                tally.log("load stopped")
        finally:
            await servers.stop_all()
    load_after = os.getloadavg()
    return report(tally, steps, error_log_summary(workdir / "error.log"), load_before, load_after)


def report(
    tally: Tally,
    steps: list[dict[str, float]],
    causes: Counter[str],
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> int:
    """Print the figures; the exit status is 1 when any request failed."""
    total = sum(sum(c.values()) for c in tally.outcomes.values())
    print(f"\n{len(steps)} restarts, {total} requests")
    print("| operation | requests | 2xx | 4xx | 5xx | no answer |")
    print("|---|---:|---:|---:|---:|---:|")
    for op, counts in sorted(tally.outcomes.items()):
        by_class = Counter()
        for outcome, n in counts.items():
            by_class[outcome[0] + "xx" if outcome[0].isdigit() else "none"] += n
        print(
            f"| {op} | {sum(counts.values())} | {by_class['2xx']} | {by_class['4xx']} | {by_class['5xx']} | "
            f"{by_class['none']} |  ({', '.join(f'{k}: {v}' for k, v in sorted(counts.items()))})"
        )
    if steps:
        print(
            f"stop (SIGTERM to exit): worst {max(s['stop'] for s in steps):.2f} s; start to /readyz: worst "
            f"{max(s['ready'] for s in steps):.2f} s; exit codes {sorted({int(s['code']) for s in steps})}"
        )
    print(f"failed: {len(tally.failures)} of {total}")
    for at, op, outcome in tally.failures[:50]:
        print(f"  at {at:7.2f} s: {op} -> {outcome}")
    print("nginx upstream errors (retried on another server unless the request failed above):")
    for cause, n in causes.most_common():
        print(f"  {n:5} {cause}")
    print(f"load average {load_before[0]:.2f} {load_before[1]:.2f} -> {load_after[0]:.2f} {load_after[1]:.2f}")
    return 1 if tally.failures else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench rolling")
    parser.add_argument("--servers", type=int, default=3, help="tobeout serve processes behind nginx (2-3)")
    parser.add_argument("--rounds", type=int, default=3, help="rolling restarts of every server")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients through nginx")
    parser.add_argument("--rate", type=float, default=80.0, help="requests per second in all (about)")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between one server's restart and the next")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds of load before and after the restarts")
    parser.add_argument("--port", type=int, default=8900, help="nginx's port; the servers take the next ones")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        help="a Redis database the benchmark may flush",
    )
    args = parser.parse_args(argv)
    binary = find_nginx()
    if binary is None:
        print("python -m bench rolling: skipped, nginx is not installed (e.g. apt-get install nginx)")
        return 0
    return asyncio.run(run(args, binary))
