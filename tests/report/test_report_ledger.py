"""The report around the ledger: distinct outputs, conversion, small months, sources kept."""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from naio_nlp.report import build_report, wilson_interval
from naio_nlp.schema import Article, ArtifactSlots, Evidence, EvidenceSentence, Prediction


def pair(
    aid: str,
    text: str,
    day: date,
    *,
    status: str = "artifact",
    name: str | None = None,
    lang: str = "en",
) -> tuple[Article, Prediction]:
    first = text.split(". ")[0]
    return (
        Article(
            id=aid,
            title=first[:60],
            text=text,
            url=f"https://example.org/{aid}",
            source="wire",
            published=day,
            language=lang,
        ),
        Prediction(
            article_id=aid,
            status=status,
            artifact_type="public_guidance" if status == "artifact" else None,
            domains=("safety",),
            status_probs={status: 0.9},
            evidence=Evidence(
                sentences=(EvidenceSentence(first, 0, len(first), 1.5, "status"),),
                naio_role="operative" if status == "artifact" else "cited",
                artifact=ArtifactSlots(name=name) if status == "artifact" else None,
            ),
        ),
    )


ROWS = [
    # announced 2025-03-01, launched 2025-06-10 (101 days later), in Malay
    pair(
        "a1",
        "Garis Panduan Keselamatan AI Sektor Awam sedang dirangka oleh Pejabat AI Negara. "
        "Rundingan awam akan diadakan.",
        date(2025, 3, 1),
        status="symbolic",
        lang="ms",
    ),
    pair(
        "a2",
        "NAIO published the Public Sector AI Safety Guidelines today. They cover 40 agencies.",
        date(2025, 6, 10),
        name="Public Sector AI Safety Guidelines",
    ),
    # announced, never launched
    pair(
        "b1",
        "NAIO will launch a National AI Procurement Register next year, the minister said. "
        "Details are pending.",
        date(2025, 4, 2),
        status="symbolic",
    ),
    # launched without an announcement we collected; its operational report dated earlier
    pair(
        "c1",
        "NAIO opened the AI Testing Sandbox for applications today. Ten firms may join.",
        date(2025, 9, 1),
        name="AI Testing Sandbox",
    ),
    pair(
        "c2",
        "NAIO admitted 12 firms to the second cohort of the AI Testing Sandbox. Results follow.",
        date(2025, 8, 1),
        name="AI Testing Sandbox",
    ),
    # a symbolic mention that names nothing
    pair(
        "d1",
        "NAIO officials spoke at a forum in Kuching. Nothing was launched.",
        date(2025, 9, 5),
        status="symbolic",
    ),
]


def test_wilson_interval_is_honest_for_few_documents() -> None:
    assert wilson_interval(0, 0) is None
    lo, hi = wilson_interval(1, 1)  # type: ignore[misc]
    assert hi == 1.0 and 0.15 < lo < 0.25, "1 of 1 is not a bare 100%"
    lo, hi = wilson_interval(50, 100)  # type: ignore[misc]
    assert lo == pytest.approx(1 - hi) and 0.39 < lo < 0.41


def test_report_counts_outputs_and_conversion(tmp_path: Path) -> None:
    summary = build_report(ROWS, out_dir=tmp_path)
    assert summary.outputs == 3  # the guidelines, the register, the sandbox
    assert summary.outputs_launched == 2
    assert (summary.announced, summary.announced_launched) == (2, 1)
    assert summary.median_lag_days == (date(2025, 6, 10) - date(2025, 3, 1)).days
    assert summary.headline.startswith("NAIO has 2 distinct outputs reported launched")
    assert "of 2 it announced as intentions, 1 was later launched" in summary.headline
    page = summary.html.read_text(encoding="utf-8")
    assert "a median of 101 days after the first announcement" in page
    assert "95% interval of the share runs from" in page  # 2 announcements: say how unsure
    assert "check order" in page, "the sandbox's operational report predates its launch"
    # the symbolic documents, each with the sentence that decided it
    assert (
        "Nothing was launched" not in page or "NAIO officials spoke at a forum in Kuching" in page
    )
    assert 'id="symbolic"' in page and "NAIO officials spoke at a forum in Kuching" in page


def test_ledger_files_and_text_copies_beside_the_report(tmp_path: Path) -> None:
    build_report(ROWS, out_dir=tmp_path)
    data = json.loads((tmp_path / "ledger.json").read_text(encoding="utf-8"))
    assert len(data["entries"]) == 3
    with (tmp_path / "ledger.csv").open(encoding="utf-8") as fh:
        rows = {r["name"]: r for r in csv.DictReader(fh)}
    sandbox = rows["AI Testing Sandbox"]
    assert sandbox["flags"] == "operational_before_launch"
    assert (sandbox["launched_date"], sandbox["operational_date"]) == ("2025-09-01", "2025-08-01")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    copies = sorted((tmp_path / "texts").glob("*.txt"))
    assert len(copies) == len(ROWS)
    for copy in copies:
        assert f'href="texts/{copy.name}"' in page
    text = next(c for c in copies if c.name.startswith("a2-")).read_text(encoding="utf-8")
    assert "url: https://example.org/a2" in text and "Public Sector AI Safety Guidelines" in text


def test_small_months_show_counts_and_intervals(tmp_path: Path) -> None:
    summary = build_report(ROWS, out_dir=tmp_path)
    page = summary.html.read_text(encoding="utf-8")
    # June 2025: one NAIO-related document, an artifact: 100% with its count and interval
    assert "(1 of 1)" in page
    assert "21%–100%" in page
    assert "only 1–3 NAIO-related documents" in page


def test_links_to_a_server_on_this_machine_say_so(tmp_path: Path) -> None:
    """The demo's site is on loopback and stops with the demo: its links are marked."""
    art, pred = pair(
        "z1",
        "NAIO published the AI Audit Checklist today. It covers 12 agencies.",
        date(2025, 7, 1),
    )
    local = dataclasses.replace(art, url="http://127.0.0.1:8431/news/z1")
    build_report([*ROWS, (local, pred)], out_dir=tmp_path)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert (
        'href="http://127.0.0.1:8431/news/z1" rel="noopener" title="served from this machine'
        in page
    )
    assert "original (local server)" in page
    assert 'href="https://example.org/a2" rel="noopener">original</a>' in page


def test_a_malformed_link_does_not_stop_the_report() -> None:
    from naio_nlp.report import _is_loopback

    assert not _is_loopback("http://[::1")
    assert _is_loopback("http://localhost./x") and _is_loopback("http://[::1]:8080/")
    assert not _is_loopback("https://example.org/a")
