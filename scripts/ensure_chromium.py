"""Install Debian's headless Chromium (and its WebDriver) for the browser tests, when we can.

The report test renders the HTML report as a person would see it, and the
review app's test drives it through `chromedriver` (Debian's
`chromium-driver`). On a fresh Debian machine where we are root, install both
with apt; elsewhere say what is missing and let the browser tests skip
themselves with that reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def main() -> int:
    if (shutil.which("chromium") or shutil.which("chromium-browser")) and shutil.which(
        "chromedriver"
    ):
        return 0
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        print(
            "note: chromium or chromedriver not found and cannot be installed here; "
            "browser tests will skip"
        )
        return 0
    print("installing Debian's chromium and chromium-driver for the browser tests ...", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"]):
        done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=False)
        if done.returncode != 0:
            print(f"note: {' '.join(cmd)} failed; browser tests will skip", file=sys.stderr)
            return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
