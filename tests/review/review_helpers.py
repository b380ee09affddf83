"""Helpers of the review tests: a small classified store, and a real server to run the app.

Documents are written here; predictions are made by hand so that the queue's
order is known: two abstentions, three close calls, three confident calls,
and a title carrying a ``<script>``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from naio_nlp.schema import Article, Evidence, EvidenceSentence, Prediction
from naio_nlp.store import Store

MODEL = "test-model-1"
SCRIPT_TITLE = "<script>window.__pwned = 1;</script>NAIO names <b>sandbox</b> cohort"

# (id, title, status, type, domains, status probs, needs_review, language, source, date)
DOCS = [
    (
        "a01",
        "NAIO may publish a talent roadmap",
        "symbolic",
        None,
        ("talent",),
        (0.40, 0.45, 0.15),
        True,
        "en",
        "naio",
        "2025-03-02",
    ),
    (
        "a02",
        "Pejabat AI Negara dan program latihan",
        "symbolic",
        None,
        (),
        (0.35, 0.38, 0.27),
        True,
        "ms",
        "berita",
        "2025-04-10",
    ),
    (
        "a03",
        "Agencies sign AI security pact",
        "artifact",
        "multi_agency_program",
        ("security",),
        (0.55, 0.40, 0.05),
        False,
        "en",
        "wire",
        "2025-05-01",
    ),
    (
        "a04",
        SCRIPT_TITLE,
        "artifact",
        "public_guidance",
        ("regulation_policy",),
        (0.60, 0.30, 0.10),
        False,
        "en",
        "wire",
        "2025-05-20",
    ),
    (
        "a05",
        "Data centre opens in Johor",
        "unrelated",
        None,
        (),
        (0.10, 0.52, 0.38),
        False,
        "en",
        "wire",
        "2025-06-11",
    ),
    (
        "a06",
        "NAIO publishes procurement checklist",
        "artifact",
        "public_guidance",
        ("governance_ethics",),
        (0.97, 0.02, 0.01),
        False,
        "en",
        "naio",
        "2025-07-01",
    ),
    (
        "a07",
        "Minister speaks about AI future",
        "symbolic",
        None,
        (),
        (0.02, 0.95, 0.03),
        False,
        "en",
        "berita",
        "2025-07-15",
    ),
    (
        "a08",
        "5G rollout reaches rural districts",
        "unrelated",
        None,
        (),
        (0.01, 0.02, 0.97),
        False,
        "en",
        "wire",
        "2025-08-01",
    ),
]


def _text(i: int, title: str) -> tuple[str, tuple[EvidenceSentence, ...]]:
    first = f"The National AI Office said on Monday that item {i} went ahead."
    second = f"Officials gave {10 + i} details about the plan and its partners."
    text = f"{first} {second} A closing line with no evidence."
    ev = (
        EvidenceSentence(first, 0, len(first), 2.0, "status:artifact"),
        EvidenceSentence(
            second, len(first) + 1, len(first) + 1 + len(second), 1.0, "domain:talent"
        ),
    )
    return text, ev


def fill_store(path: Path) -> list[str]:
    """Write the documents and their predictions; returns the ids in queue order."""
    preds = []
    with Store(path) as store:
        for i, (doc_id, title, status, atype, domains, probs, flag, lang, source, day) in enumerate(
            DOCS
        ):
            text, ev = _text(i, title)
            store.upsert_article(
                Article(
                    id=doc_id,
                    text=text,
                    title=title,
                    url=f"https://news.example.org/{doc_id}",
                    source=source,
                    published=date.fromisoformat(day),
                    language=lang,
                )
            )
            preds.append(
                Prediction(
                    article_id=doc_id,
                    status=status,
                    artifact_type=atype,
                    domains=domains,
                    status_probs=dict(
                        zip(("artifact", "symbolic", "unrelated"), probs, strict=True)
                    ),
                    artifact_type_probs={"public_guidance": 0.7, "action_plan": 0.3}
                    if status == "artifact"
                    else {},
                    domain_probs={d: 0.8 for d in domains},
                    needs_review=flag,
                    evidence=Evidence(sentences=ev, naio_role="operative"),
                    model_version=MODEL,
                )
            )
        store.save_predictions(preds, model_version=MODEL)
    # abstentions by margin (a02 0.03, a01 0.05), then margins a05 0.14, a03 0.15, a04 0.30
    return ["a02", "a01", "a05", "a03", "a04"]


@contextmanager
def serve(app: object) -> Iterator[str]:
    """Run ``app`` under uvicorn on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
