"""A test plugin (listed in a test's plugins.toml): ``GET /test/slow?seconds=S`` answers after S seconds
with the serving process's id, so a test can hold a request in flight and tell processes apart."""

from __future__ import annotations

import asyncio
import os

from quart import Quart, ResponseReturnValue, jsonify, request

from core.hookspecs import hookimpl
from core.runtime import Runtime


@hookimpl
def tobeout_register_routes(app: Quart, runtime: Runtime) -> None:
    """Add ``/test/slow``."""

    @app.get("/test/slow")
    async def slow() -> ResponseReturnValue:
        await asyncio.sleep(min(float(request.args.get("seconds", "0")), 10.0))
        return jsonify({"pid": os.getpid()})
