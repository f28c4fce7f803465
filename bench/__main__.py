"""``python -m bench NAME [options]``: run one benchmark (booking, api, servers, hotpath, scale, engine, reminders,
dashboard, dialogs, manage, reports, confirmations, waitlist, heavy, slowloris, rush, rolling)."""

from __future__ import annotations

import importlib
import sys

BENCHES = {
    "booking": "bench.booking_bench",
    "api": "bench.api_bench",
    "servers": "bench.servers_bench",
    "engine": "bench.engine_bench",
    "reminders": "bench.reminder_bench",
    "dashboard": "bench.dashboard_bench",
    "hotpath": "bench.hotpath_bench",
    "scale": "bench.scale_bench",
    "dialogs": "bench.dialog_bench",
    "confirmations": "bench.confirmation_bench",
    "manage": "bench.manage_page_bench",
    "reports": "bench.reports_bench",
    "waitlist": "bench.waitlist_bench",
    "heavy": "bench.heavy_bench",
    "slowloris": "bench.slowloris_bench",
    "rush": "bench.rush_bench",
    "rolling": "bench.rolling_bench",
}


def main() -> int:
    """Dispatch to the named benchmark's ``main(argv)``."""
    if len(sys.argv) < 2 or sys.argv[1] not in BENCHES:
        print(f"usage: python -m bench {{{','.join(BENCHES)}}} [options]", file=sys.stderr)
        return 2
    module = importlib.import_module(BENCHES[sys.argv[1]])
    return int(module.main(sys.argv[2:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
