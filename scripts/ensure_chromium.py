"""Install Debian's headless Chromium for the report's browser test, when we can.

The report test renders the HTML report as a person would see it. On a fresh
Debian machine where we are root, install `chromium` with apt; elsewhere say
what is missing and let the browser test skip itself with that reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def main() -> int:
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return 0
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        print("note: chromium not found and cannot be installed here; browser tests will skip")
        return 0
    print("installing Debian's chromium for the report's browser test ...", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=False)
        if done.returncode != 0:
            print(f"note: {' '.join(cmd)} failed; browser tests will skip", file=sys.stderr)
            return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
