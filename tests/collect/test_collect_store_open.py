"""Opening a new store from several connections at once (a crawl and a reader) never fails."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from naio_nlp.store import SCHEMA_VERSION, Store


def test_concurrent_first_opens_of_one_file_all_succeed(tmp_path: Path) -> None:
    for trial in range(5):
        path = tmp_path / f"new-{trial}.db"
        barrier = threading.Barrier(4)
        errors: list[BaseException] = []

        def open_it(
            path: Path = path,
            barrier: threading.Barrier = barrier,
            errors: list[BaseException] = errors,
        ) -> None:
            barrier.wait()
            try:
                with Store(path) as store:
                    store.count()
            except Exception as exc:  # collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT version FROM schema_version").fetchall() == [
                (SCHEMA_VERSION,)
            ]
