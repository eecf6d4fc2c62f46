#!/usr/bin/env python3
"""Wait until every URL given answers 200 (the newcomer CI job's check of `dev.py serve`); exit 1 after a
timeout. Standard library only: it runs before anything is installed.

    python3 scripts/wait_for_pages.py URL... [--timeout SECONDS]
"""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request


def main(argv: list[str]) -> int:
    timeout = 900.0  # the first serve installs the environment, then builds the site
    if "--timeout" in argv:
        at = argv.index("--timeout")
        timeout = float(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    deadline = time.monotonic() + timeout
    for url in argv:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    if response.status == 200:
                        print(f"200 {url}")
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                print(f"no 200 from {url} after {timeout:.0f} s", file=sys.stderr)
                return 1
            time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
