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
import time


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
    print(
        "installing Debian's chromium and chromium-driver for the browser tests (once per "
        "machine; about 100 MB, a minute or two) ...",
        flush=True,
    )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    steps = (
        ("reading the package lists", ["apt-get", "update", "-q"]),
        (
            "downloading and unpacking chromium",
            ["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"],
        ),
    )
    started = time.monotonic()
    for n, (what, cmd) in enumerate(steps, start=1):
        print(f"[{n}/{len(steps)}] {what}: {' '.join(cmd)}", flush=True)
        # apt's own lines (Get:, Unpacking, Setting up) are the progress; indented under the step
        proc = subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(("Get:", "Unpacking", "Setting up", "Fetched", "Need to get")):
                print("    " + line.rstrip()[:120], flush=True)
        if proc.wait() != 0:
            print(f"note: {' '.join(cmd)} failed; browser tests will skip", file=sys.stderr)
            return 0
    print(f"chromium installed in {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
