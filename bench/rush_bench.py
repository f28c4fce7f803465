"""The web-chat rush of issue 18, run by hand:

    .venv/bin/python -m bench rush [--guests 200] [--tables 40] [--clients 2] [--port 8700] [--workers 1]
                                   [--turns-at-once N]
                                   [--redis redis://127.0.0.1:6379/7] [--py-spy FILE] [--json FILE]

One real ``tobeout serve`` process (one event loop, the guided path: no LLM key) on a throwaway PostgreSQL
database with Redis. A restaurant (``Europe/London``, open 12:00-24:00 every day, ``--tables`` tables of
1-6) is registered through the staff API, and the widget's message limit per client address is raised in
the plugins file (every guest comes from 127.0.0.1 here). Then ``--guests`` guests, all starting at the
same instant, each talk to the widget's real endpoint ``POST /channels/webchat/<id>/messages`` as the
widget does (its own ``sessionId``, a fresh ``messageId`` per message, the page's ``Origin``), each
sending the next message as soon as the previous one is answered:

1. a booking request with day, time and party (``Table for 2 on Thursday 10 December at 6pm``);
2. their name; 3. their mobile number; 4. ``yes``; 5. a question (``what are your opening hours?``).

The guests run in ``--clients`` separate processes, each guest on its own keep-alive connection (HTTP/1.1
written by hand on uvloop: httpx cost more than half the server's CPU on this shared host) so the client
does not compete with itself on one core; their CPU time is printed beside the server's, PostgreSQL's and Redis's.

It prints per message latency (p50/p90/p99/max, overall and per step), the time from the start until
every message was answered, messages/s, the bookings made (reservations in the database, checked for
double-booked tables), wrong answers and errors, and the load average. ``--py-spy FILE`` records the
server with py-spy during the rush (``--format raw``: collapsed stacks, one line per stack, that
``--py-spy-format flamegraph`` turns into an SVG). Goal (issue 18): every message answered within 10 s
of the rush, p99 ≤ 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import uvloop

from bench.api_bench import bench_environment, running, serve_command
from bench.common import named_cpu_seconds, throwaway_database, tree_cpu_seconds
from bench.hotpath_bench import _DOUBLE_BOOKED
from bench.reports_bench import _register

#: Start times of the bookings, 2 hours apart (a 90-minute stay never overlaps the next).
TIMES = ("12:00", "2pm", "16:00", "6pm", "20:00")
#: Days ahead the bookings are for (today's late hours and tomorrow's notice rules stay out of it).
DAYS = (2, 3, 4, 5, 6)
FIRST = ("Anna", "Boris", "Clara", "David", "Elena", "Felix", "Greta", "Hugo", "Irina", "Jonas")
LAST = ("Smith", "Brown", "Taylor", "Wilson", "Evans", "Walker", "Wright", "Green", "Hall", "Wood")
STEPS = ("request", "name", "phone", "yes", "question")
PLUGINS = """[plugins."channels.webchat"]
address_messages_per_minute = 100000
"""


def script(guest: int, today: date) -> list[str]:
    """The five messages guest number ``guest`` sends, as guests write them."""
    day = today + timedelta(days=DAYS[guest % len(DAYS)])
    at = TIMES[(guest // len(DAYS)) % len(TIMES)]
    name = f"{FIRST[guest % 10]} {LAST[(guest // 10) % 10]}"
    return [
        f"Table for 2 on {day:%A} {day.day} {day:%B} at {at}",
        name,
        f"+44 7700 {900000 + guest}",
        "yes",
        "what are your opening hours?",
    ]


class _Connection:
    """One guest's keep-alive HTTP/1.1 connection, as a browser tab holds one to the site.

    Written by hand on asyncio streams rather than with httpx: the guests run on the same two cores as the
    server, and httpx spent 2.5-7 CPU seconds on the 1,000 messages (more than half the server's own), which
    the bench then measured as the server's latency. This spends a fraction of that."""

    def __init__(self, base: str, headers: dict[str, str]) -> None:
        self.host, self.port = base.removeprefix("http://").split(":")
        self.head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": f"{self.host}:{self.port}", **headers}.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """POST ``body`` as JSON; the status and the JSON answer (``{}`` when it is not JSON)."""
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, int(self.port))
        data = json.dumps(body).encode()
        request = (
            f"POST {path} HTTP/1.1\r\n{self.head}Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        )
        self.writer.write(request.encode() + data)
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        fields = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        content = await self.reader.readexactly(int(fields.get("content-length", "0")))
        if fields.get("connection", "").lower() == "close":
            await self.close()
        try:
            return int(head[0].split()[1]), json.loads(content) if content else {}
        except ValueError:
            return int(head[0].split()[1]), {}

    async def close(self) -> None:
        """Close the connection (the next request opens a new one)."""
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _guest(base: str, headers: dict[str, str], path: str, guest: int, today: date) -> list[dict[str, Any]]:
    """One guest's conversation: each message's step, latency (ms), status and whether the reply fits."""
    session = f"rush-guest-{guest:05d}-{os.getpid()}"
    connection = _Connection(base, headers)
    records = []
    for step, text in enumerate(script(guest, today)):
        body = {"sessionId": session, "text": text, "messageId": f"m{guest:05d}-{step}-{time.time_ns()}"}
        began = time.perf_counter()
        try:
            status, reply = await asyncio.wait_for(connection.post(path, body), timeout=120)
            reply = reply if status == 200 else {}
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            status, reply = 0, {"error": repr(error)}
            await connection.close()
        ended = time.perf_counter()
        said = " ".join(r.get("text", "") for r in reply.get("replies", []))
        records.append(
            {
                "guest": guest,
                "step": STEPS[step],
                "ms": (ended - began) * 1000,
                "ended": ended,
                "status": status,
                "fits": _fits(STEPS[step], said),
                "said": said[:160],
            }
        )
        if status != 200:
            break
    await connection.close()
    return records


def _fits(step: str, said: str) -> bool:
    """Whether the bot's answer is the one this step of the guided path should give."""
    low = said.lower()
    expected = {
        "request": "name",
        "name": "phone",
        "phone": "confirm",
        "yes": "booked",
        "question": "opening hours",
    }[step]
    return expected in low or (step == "phone" and "?" in said)


async def _client_part(base: str, rid: int, guests: list[int], start_at: float, today: date) -> dict[str, Any]:
    headers = {"Origin": base, "Accept-Language": "en-GB,en;q=0.9"}
    path = f"/channels/webchat/{rid}/messages"
    await asyncio.sleep(max(0.0, start_at - time.time()))
    cpu0, began = time.process_time(), time.perf_counter()
    done = await asyncio.gather(*(_guest(base, headers, path, g, today) for g in guests))
    cpu = time.process_time() - cpu0
    records = [r for part in done for r in part]
    for r in records:
        r["ended"] -= began
    return {"records": records, "cpu": cpu}


def client_main(argv: list[str]) -> int:
    """``python -m bench.rush_bench BASE RID START_AT TODAY FIRST LAST``: guests FIRST..LAST-1, JSON to stdout."""
    base, rid, start_at, today, first, last = argv
    result = uvloop.run(
        _client_part(base, int(rid), list(range(int(first), int(last))), float(start_at), date.fromisoformat(today))
    )
    json.dump(result, sys.stdout)
    return 0


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0


def _line(samples: list[float]) -> str:
    ordered = sorted(samples)
    return (
        f"n {len(ordered):4}  p50 {_quantile(ordered, 0.5):7.0f}  p90 {_quantile(ordered, 0.9):7.0f}  "
        f"p99 {_quantile(ordered, 0.99):7.0f}  max {max(ordered, default=0):7.0f} ms"
    )


async def _rush(args: argparse.Namespace, base: str, rid: int, server_pid: int) -> dict[str, Any]:
    today = date.today()
    start_at = time.time() + 3.0  # the client processes start and connect first
    per = -(-args.guests // args.clients)
    parts = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.rush_bench",
            base,
            str(rid),
            str(start_at),
            today.isoformat(),
            str(first),
            str(min(args.guests, first + per)),
            stdout=asyncio.subprocess.PIPE,
        )
        for first in range(0, args.guests, per)
    ]
    await asyncio.sleep(max(0.0, start_at - time.time() - 0.5))
    load_before = os.getloadavg()
    spy = None
    if args.py_spy:
        spy = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).with_name("py-spy")),
            "record",
            "--pid",
            str(server_pid),
            "--subprocesses",
            "--rate",
            "200",
            "--format",
            args.py_spy_format,
            "-o",
            args.py_spy,
        )
    cpu_server, cpu_pg, cpu_redis = tree_cpu_seconds(server_pid), named_cpu_seconds("postgres"), _redis_cpu()
    outputs = [(await p.communicate())[0] for p in parts]
    cpu_server = tree_cpu_seconds(server_pid) - cpu_server
    cpu_pg, cpu_redis = named_cpu_seconds("postgres") - cpu_pg, _redis_cpu() - cpu_redis
    if spy is not None:
        spy.send_signal(signal.SIGINT)
        await spy.wait()
    load_after = os.getloadavg()
    results = [json.loads(out) for out in outputs]
    records = [r for part in results for r in part["records"]]
    return {
        "records": records,
        "client_cpu": sum(part["cpu"] for part in results),
        "server_cpu": cpu_server,
        "postgres_cpu": cpu_pg,
        "redis_cpu": cpu_redis,
        "load_before": load_before,
        "load_after": load_after,
    }


def _engine_settings(args: argparse.Namespace) -> str:
    """The engine's ``plugins.toml`` table when ``--turns-at-once`` is given (else the shipped default)."""
    if args.turns_at_once is None:
        return ""
    return f'\n[plugins."core.conversation.builtin_tools"]\nturns_at_once = {args.turns_at_once}\n'


def _redis_cpu() -> float:
    return named_cpu_seconds("redis-server")


def report(args: argparse.Namespace, rush: dict[str, Any], bookings: int, double: int) -> dict[str, Any]:
    """Print the figures; return them for ``--json``."""
    records = rush["records"]
    answered = [r for r in records if r["status"] == 200]
    errors = [r for r in records if r["status"] != 200]
    wrong = [r for r in answered if not r["fits"]]
    last = max((r["ended"] for r in records), default=0.0)
    print(
        f"\n{args.guests} guests x 5 messages, one `tobeout serve --workers {args.workers}`, "
        f"{args.clients} client processes",
        flush=True,
    )
    print(f"all messages      {_line([r['ms'] for r in answered])}")
    for step in STEPS:
        print(f"  {step:15} {_line([r['ms'] for r in answered if r['step'] == step])}")
    rate = len(answered) / last if last else 0.0
    print(
        f"answered {len(answered)} of {args.guests * 5}; every message answered {last:.1f} s after the start "
        f"({rate:.0f} messages/s); errors {len(errors)}; unexpected answers {len(wrong)}"
    )
    print(f"bookings in the database {bookings} (goal {args.guests}); double-booked table pairs {double}")
    print(
        f"CPU seconds during the rush: server {rush['server_cpu']:.1f}, postgres {rush['postgres_cpu']:.1f}, "
        f"redis {rush['redis_cpu']:.1f}, clients {rush['client_cpu']:.1f}"
    )
    print(f"load average before {rush['load_before']}, after {rush['load_after']}")
    for r in (errors + wrong)[:5]:
        print(f"  e.g. guest {r['guest']} {r['step']}: status {r['status']}: {r['said']!r}")
    ordered = sorted(r["ms"] for r in answered)
    return {
        "guests": args.guests,
        "answered": len(answered),
        "errors": len(errors),
        "unexpected": len(wrong),
        "all_answered_s": round(last, 2),
        "messages_per_s": round(rate, 1),
        "p50_ms": round(_quantile(ordered, 0.5)),
        "p90_ms": round(_quantile(ordered, 0.9)),
        "p99_ms": round(_quantile(ordered, 0.99)),
        "max_ms": round(max(ordered, default=0)),
        "bookings": bookings,
        "double_booked_pairs": double,
        **{k: rush[k] for k in ("server_cpu", "postgres_cpu", "redis_cpu", "client_cpu", "load_before", "load_after")},
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    async with throwaway_database("tobeout_rush_bench") as url:
        with tempfile.TemporaryDirectory() as cwd:
            plugins = Path(cwd) / "plugins.toml"
            plugins.write_text(PLUGINS + _engine_settings(args))
            env = {**bench_environment(url, args.redis, f"{cwd}/var"), "TOBEOUT_PLUGINS_FILE": str(plugins)}
            env.pop("OPENAI_API_KEY", None)
            base = f"http://127.0.0.1:{args.port}"
            log = (Path(cwd) / "serve.log").open("wb")
            async with running(
                serve_command(args.port, args.workers), env, cwd, ready_url=f"{base}/readyz", output=log
            ) as server:
                http, rid = await asyncio.to_thread(_register, base, args.tables)
                http.close()
                rush = await _rush(args, base, rid, server.pid)
            connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
            try:
                bookings = int(
                    await connection.fetchval(
                        "SELECT count(*) FROM reservations WHERE source = 'webchat' AND status <> 'canceled'"
                    )
                )
                double = int(await connection.fetchval(_DOUBLE_BOOKED))
            finally:
                await connection.close()
            figures = report(args, rush, bookings, double)
            if figures["errors"]:
                log.close()
                tail = (Path(cwd) / "serve.log").read_text(errors="replace").splitlines()[-15:]
                print("the server's log ends:", *tail, sep="\n  ")
            return figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench rush")
    parser.add_argument("--guests", type=int, default=200)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--clients", type=int, default=2, help="client processes the guests are spread over")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--workers", type=int, default=1, help="`tobeout serve --workers` (processes)")
    parser.add_argument(
        "--turns-at-once", type=int, default=None, help="the engine's `turns_at_once` (default: as shipped)"
    )
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--py-spy", default=None, help="record the server with py-spy into this file")
    parser.add_argument("--py-spy-format", default="raw", choices=("raw", "flamegraph", "speedscope"))
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures = asyncio.run(run(args))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(client_main(sys.argv[1:]))
