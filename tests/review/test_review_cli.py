"""``naio-nlp review`` as a user starts it: a real process, a real port, its printed URL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _start(*args: str) -> tuple[subprocess.Popen[str], str, str]:
    """Start the command; return it with the URL it printed and its stderr so far."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "naio_nlp", "review", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "BROWSER": "true"},
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"open (http://\S+)", line)
        if found:
            return proc, found.group(1), ""
    proc.kill()
    _, err = proc.communicate(timeout=30)
    raise AssertionError(f"no URL printed: {''.join(lines)}\n{err}")


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    return err


def test_review_serves_on_loopback_and_prints_its_url(
    review_db: tuple[Path, list[str]], tmp_path: Path
) -> None:
    db, order = review_db
    proc, url, _ = _start(
        "--db", str(db), "--port", "0", "--no-browser", "--corpus", str(tmp_path / "none")
    )
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url), url
        page = httpx.get(url)
        assert page.status_code == 200
        assert "8 to review" in page.text
        first = httpx.get(url + "next")
        assert first.status_code == 303 and first.headers["location"] == f"/doc/{order[0]}"
    finally:
        err = _stop(proc)
    assert "no " in err and "corpus label issues" in err


def test_binding_elsewhere_warns_and_needs_the_token(review_db: tuple[Path, list[str]]) -> None:
    db, _ = review_db
    proc, url, _ = _start("--db", str(db), "--port", "0", "--no-browser", "--host", "0.0.0.0")
    try:
        assert "?token=" in url
        base, token = url.split("?token=")
        local = base.replace("0.0.0.0", "127.0.0.1")
        assert httpx.get(local).status_code == 403
        assert httpx.get(f"{local}?token={token}").status_code == 200
    finally:
        err = _stop(proc)
    assert "warning" in err and "not 127.0.0.1" in err


def test_review_refuses_a_missing_store(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "naio_nlp", "review", "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "no such store" in done.stderr
