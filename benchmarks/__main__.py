"""``python -m benchmarks <name> [--scale N]``: run benchmarks, one JSON object per line.

Each benchmark module has ``run(scale: int | None) -> dict`` that measures our
code and, in the same run, its floor (raw sqlite3 or plain Python doing the
minimal same work), and reports both with their ratio.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

BENCHMARKS = (
    "lookup",
    "checkout",
    "pricing",
    "receipt",
    "sync_push",
    "sync_bootstrap",
    "sync_load",
    "scan_to_panel",
    "cold_start",
    "scorecards",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="+", choices=[*BENCHMARKS, "all"])
    parser.add_argument(
        "--scale",
        type=int,
        default=None,
        help=(
            "customers in the database (sync_push: events; sync_load: seconds of load;"
            " receipt: renders; cold_start: runs of each start; scorecards: sales, votes a tenth)"
        ),
    )
    args = parser.parse_args(argv)
    names = BENCHMARKS if "all" in args.names else args.names
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        result = module.run(args.scale)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
