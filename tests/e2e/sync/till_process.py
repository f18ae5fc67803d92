"""A till in its own process, for tests that SIGKILL it: bootstraps the till from its
data folder (which puts events a crash left ``sending`` back in the queue) and syncs in
a loop until nothing is left to send, printing one line per step.

    python -m tests.e2e.sync.till_process DATA_DIR [--batch N] [--rounds N]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pos_client.bootstrap import bootstrap
from pos_client.config import load_settings
from tests.e2e.sync.fault_support import quick_sync, try_sync


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--batch", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    till = bootstrap(load_settings(data_dir=args.data_dir), logs=False)
    try:
        sync = quick_sync(till, batch_size=args.batch)
        pending, _ = sync.counts()
        print(f"started pending={pending}", flush=True)
        for _ in range(args.rounds):
            result = try_sync(till)
            pending, _ = sync.counts()
            if result is None:
                print(f"failed pending={pending}", flush=True)
                continue
            pushed = result.pushed
            print(
                f"synced sent={pushed.sent} applied={pushed.applied}"
                f" duplicate={pushed.duplicate} pending={pending}",
                flush=True,
            )
            if pending == 0:
                return 0
        return 1
    finally:
        till.close()


if __name__ == "__main__":
    sys.exit(main())
