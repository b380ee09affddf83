"""build_report: the CSVs hold the right counts, empty input says so, documents are escaped."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

from naio_nlp.labels import ARTIFACT_TYPES, DOMAINS, STATUSES
from naio_nlp.report import CSV_FILES, build_report
from naio_nlp.schema import Article, Evidence, EvidenceSentence, Prediction

Rows = list[tuple[Article, Prediction]]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def month_of(article: Article) -> str | None:
    day = article.published or (article.fetched_at.date() if article.fetched_at else None)
    return None if day is None else day.strftime("%Y-%m")


def months_between(first: str, last: str) -> list[str]:
    out, (y, m) = [], (int(first[:4]), int(first[5:]))
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def test_csv_counts_match_the_rows(tmp_path: Path, make_rows: Callable[..., Rows]) -> None:
    rows = make_rows(120)
    summary = build_report(rows, out_dir=tmp_path)

    status = Counter(p.status for _, p in rows)
    assert (summary.documents, summary.artifacts, summary.symbolic, summary.unrelated) == (
        len(rows),
        status["artifact"],
        status["symbolic"],
        status["unrelated"],
    )
    assert set(summary.csvs) == set(CSV_FILES)
    assert all(path.is_file() for path in summary.csvs.values())

    # monthly: every dated month between the first and last, zeros included, then "undated"
    expected: dict[str, Counter[str]] = {}
    for a, p in rows:
        expected.setdefault(month_of(a) or "undated", Counter())[p.status] += 1
    monthly = read_csv(tmp_path / "monthly.csv")
    got = {r["month"]: r for r in monthly}
    dated = sorted(m for m in expected if m != "undated")
    assert [r["month"] for r in monthly[:-1]] == [m for m in months_between(dated[0], dated[-1])]
    assert monthly[-1]["month"] == "undated"
    assert summary.undated == sum(expected["undated"].values()) > 0
    for month, row in got.items():
        want = expected.get(month, Counter())
        for s in STATUSES:
            assert int(row[s]) == want[s], (month, s)
        naio = want["artifact"] + want["symbolic"]
        assert int(row["naio_related"]) == naio
        if naio:
            assert float(row["artifact_share"]) == round(want["artifact"] / naio, 4)
        else:
            assert row["artifact_share"] == ""
    assert sum(int(r["artifact"]) for r in monthly) == status["artifact"]

    by_type = {r["artifact_type"]: int(r["artifacts"]) for r in read_csv(tmp_path / "by_type.csv")}
    assert by_type == {t: sum(p.artifact_type == t for _, p in rows) for t in ARTIFACT_TYPES}

    by_domain = {r["domain"]: r for r in read_csv(tmp_path / "by_domain.csv")}
    assert set(by_domain) == set(DOMAINS)
    for d in DOMAINS:
        for s in STATUSES:
            want_n = sum(p.status == s and d in p.domains for _, p in rows)
            assert int(by_domain[d][s]) == want_n

    cross = {r["domain"]: r for r in read_csv(tmp_path / "domain_by_type.csv")}
    for d in DOMAINS:
        for t in ARTIFACT_TYPES:
            assert int(cross[d][t]) == sum(p.artifact_type == t and d in p.domains for _, p in rows)

    by_source = {r["source"]: r for r in read_csv(tmp_path / "by_source.csv")}
    assert {a.source or "(no source)" for a, _ in rows} == set(by_source)
    for name, row in by_source.items():
        mine = [p for a, p in rows if (a.source or "(no source)") == name]
        assert int(row["total"]) == len(mine)
        for s in STATUSES:
            assert int(row[s]) == sum(p.status == s for p in mine)

    artifacts = read_csv(tmp_path / "artifacts.csv")
    assert len(artifacts) == status["artifact"]
    dates = [r["date"] for r in artifacts if r["date"]]
    assert dates == sorted(dates, reverse=True), "newest first"
    assert all(r["evidence"] for r in artifacts)
    # undated artifacts come last
    flags = [bool(r["date"]) for r in artifacts]
    assert flags == sorted(flags, reverse=True)


def test_headline_is_computed_from_the_data(tmp_path: Path, make_rows: Callable[..., Rows]) -> None:
    rows = make_rows(60, seed=3)
    summary = build_report(rows, out_dir=tmp_path)
    a, n = summary.artifacts, summary.naio_related
    assert summary.headline.startswith(f"NAIO has {summary.outputs_launched} distinct output")
    assert f"{a} of {n} NAIO-related documents" in summary.headline
    assert f"({round(100 * a / n)}%)" in summary.headline
    kinds = Counter(p.artifact_type for _, p in rows if p.artifact_type)
    top = max(kinds.values())
    assert f"({top} of {a})" in summary.headline or f"({top} each)" in summary.headline
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f"{a} of {n} NAIO-related documents" in page


def test_empty_input_says_nothing_yet(tmp_path: Path) -> None:
    summary = build_report([], out_dir=tmp_path / "out")
    assert summary.is_empty and summary.artifact_share is None
    page = summary.html.read_text(encoding="utf-8")
    assert "Nothing to report yet" in page
    assert "<svg" not in page and "<img" not in page
    for name in CSV_FILES:
        lines = (tmp_path / "out" / name).read_text(encoding="utf-8").splitlines()
        header = lines[0]
        assert header and "," in header
    assert len(read_csv(tmp_path / "out" / "artifacts.csv")) == 0
    assert len(read_csv(tmp_path / "out" / "monthly.csv")) == 0


def test_only_unrelated_documents_have_no_share(tmp_path: Path) -> None:
    rows = [
        (
            Article(id=f"u{i}", title="5G rollout", text="Telcos.", published=date(2025, 3, i + 1)),
            Prediction(
                article_id=f"u{i}",
                status="unrelated",
                artifact_type=None,
                domains=(),
                status_probs={"unrelated": 0.9},
            ),
        )
        for i in range(3)
    ]
    summary = build_report(rows, out_dir=tmp_path)
    assert summary.artifact_share is None and summary.unrelated == 3
    page = summary.html.read_text(encoding="utf-8")
    assert "None of the 3 classified documents involves NAIO" in page
    assert "No NAIO-related documents yet" in page


MALICIOUS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_document_text_is_escaped(tmp_path: Path) -> None:
    article = Article(
        id="evil-1",
        title=MALICIOUS,
        text="NAIO published a toolkit.",
        url='javascript:alert("x")',
        source='<b onmouseover="x">src</b>',
        published=date(2026, 1, 5),
    )
    prediction = Prediction(
        article_id="evil-1",
        status="artifact",
        artifact_type="public_guidance",
        domains=("safety",),
        status_probs={"artifact": 0.9, "symbolic": 0.05, "unrelated": 0.05},
        evidence=Evidence(sentences=(EvidenceSentence(text=MALICIOUS, start=0, end=5, score=1.0),)),
        model_version='v1"><script>',
    )
    build_report(
        [(article, prediction)],
        out_dir=tmp_path,
        model_info={"name": "<i>m</i>", "metrics": {"f1": 0.5}},
        title="Report <x>",
    )
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert "<img" not in page
    assert "<b onmouseover" not in page and "<i>m</i>" not in page
    assert not re.search(r'href="\s*javascript:', page, flags=re.IGNORECASE)
    # Jinja2 autoescape (markupsafe) writes a double quote as &#34;
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "Report &lt;x&gt;" in page
    # the CSV keeps the raw text: it is data, not markup
    row = read_csv(tmp_path / "artifacts.csv")[0]
    assert row["title"] == MALICIOUS
