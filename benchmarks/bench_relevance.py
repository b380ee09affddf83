"""Relevance before fetching, measured on a recorded-shape general news site.

A loopback copy of a Malay Mail-shaped site (``/news/<desk>/YYYY/MM/DD/<slug>/<id>``
URLs, a news sitemap index with ``<news:title>``, article pages in the site's
shape) holds ``--articles`` general articles (default 2,000): politics, crime,
sport, weather, business, ministry news about 5G and scams, near-misses such
as "Air Selangor" or "said", and a few per cent about AI, some of them about
NAIO under its English and Malay names. The packaged ``malaymail`` source
(its article pattern and relevance filter) crawls it through the sitemap.

Printed: articles on the site, links seen, kept, pages fetched, the share of
fetched pages that are about AI (target >= 0.95), NAIO articles fetched of
those on the site (target: all), wall time. Asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_relevance.py [--articles 2000] [--seed 7]``.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "collect"))

from shapes import Article, HostedSites, Shape, article_html  # noqa: E402

from naio_nlp.crawl import crawl  # noqa: E402
from naio_nlp.fetch import CrawlSettings  # noqa: E402
from naio_nlp.sources import load_sources  # noqa: E402
from naio_nlp.store import Store  # noqa: E402

HOST = "https://www.malaymail.com"

# (desk, title templates, is about AI, is about NAIO); {p} person, {s} state, {n} number
GENERAL = [
    ("malaysia", "{s} state assembly to sit for {n} days from Monday", False, False),
    ("malaysia", "Police arrest {n} over online gambling ring in {s}", False, False),
    ("malaysia", "Flash floods: {n} evacuated in {s}, said officials", False, False),
    ("malaysia", "Air Selangor announces water disruption in {n} areas", False, False),
    ("malaysia", "Harga ayam naik {n} sen menjelang perayaan", False, False),
    ("malaysia", "Naik taraf jalan kampung di {s} siap Jun", False, False),
    (
        "malaysia",
        "Digital Ministry: 5G coverage reaches {n} per cent of populated areas",
        False,
        False,
    ),
    ("malaysia", "Kementerian Digital lancar kempen kesedaran penipuan di {s}", False, False),
    ("malaysia", "Gobind launches free public WiFi at {n} libraries", False, False),
    ("money", "Ringgit opens firmer against the US dollar at {n}", False, False),
    ("money", "AIA posts {n} per cent rise in new business value", False, False),
    ("money", "Bursa Malaysia ends higher as {n} counters gain", False, False),
    ("sports", "Harimau Malaya beat {s} select side {n}-1 in friendly", False, False),
    ("sports", "{p} wins {s} open badminton title", False, False),
    ("life", "{p} opens new Kaiser bakery outlet in {s}", False, False),
    ("world", "Thai maid rules tightened after {n} complaints", False, False),
    ("malaysia", "Cuaca panas dijangka berterusan {n} hari lagi di {s}", False, False),
]
AI = [
    ("tech-gadgets", "Firms in {s} urged to adopt generative AI responsibly", True, False),
    ("tech-gadgets", "Deepfake scams cost victims RM{n} million, police say", True, False),
    ("malaysia", "Universiti di {s} tawar {n} kursus kecerdasan buatan", True, False),
    ("malaysia", "AI-driven traffic lights tested at {n} junctions in {s}", True, False),
    ("money", "Data centre and AI demand lifts power plans in {s}", True, False),
    ("malaysia", "Hospitals in {s} trial chatbot for appointments", True, False),
    # about AI without saying so: the filter misses these (counted below)
    ("malaysia", "Smart cameras to flag congestion at {n} junctions in {s}", True, False),
]
NAIO = [
    ("malaysia", "Naio to hand in AI law proposals within {n} days", True, True),
    ("malaysia", "National AI Office names {n} experts to working groups", True, True),
    ("malaysia", "Pejabat Kecerdasan Buatan Negara lawat {s}", True, True),
    ("malaysia", "NAIO opens AI sandbox applications to {n} startups", True, True),
    ("malaysia", "National Artificial Intelligence Office marks first year", True, True),
]
# once each: a near-miss the word filter cannot tell apart ("Ai" the name)
RARE = [("life", "Ai Weiwei exhibition opens in Kuala Lumpur", False, False)]
PEOPLE = ["Lee Zii Jia", "Aaron Chia", "S. Sivasangari", "Pearly Tan", "Ng Tze Yong"]
STATES = ["Johor", "Kedah", "Kelantan", "Melaka", "Pahang", "Perak", "Sabah", "Sarawak"]


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def make_site(count: int, seed: int) -> tuple[Shape, list[tuple[Article, bool, bool]]]:
    """``count`` articles: ~3% about AI, a quarter of those about NAIO; the rest general."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    rows: list[tuple[Article, bool, bool]] = []
    rare = {rng.randrange(count): entry for entry in RARE}
    for i in range(count):
        roll = rng.random()
        pool = NAIO if roll < 0.008 else AI if roll < 0.03 else GENERAL
        desk, template, about_ai, about_naio = rare.get(i) or rng.choice(pool)
        title = template.format(p=rng.choice(PEOPLE), s=rng.choice(STATES), n=rng.randint(2, 90))
        day = start + timedelta(days=i * 365 // count)
        url = (
            f"{HOST}/news/{desk}/{day.year}/{day.month:02d}/{day.day:02d}/"
            f"{slug(title)}/{180000 + i}"
        )
        rows.append((Article(url, title, day, about_ai), about_ai, about_naio))
    shape = Shape("malaymail", "sitemap", f"{HOST}/sitemap.xml", "star", (rows[0][0],) * 3)
    return shape, rows


def news_sitemaps(rows: list[tuple[Article, bool, bool]], per: int = 500) -> dict[str, str]:
    """A sitemap index and news sitemaps (``<news:title>``), as news sites publish them."""
    files: dict[str, str] = {}
    children = []
    for n in range(0, len(rows), per):
        name = f"{HOST}/sitemap-news-{n // per + 1}.xml"
        children.append(f"<sitemap><loc>{name}</loc></sitemap>")
        urls = "".join(
            f"<url><loc>{a.url}</loc><news:news><news:publication_date>{a.day.isoformat()}"
            f"</news:publication_date><news:title>{a.title.replace('&', '&amp;')}</news:title>"
            "</news:news></url>"
            for a, _, _ in rows[n : n + per]
        )
        files[name] = (
            '<?xml version="1.0" encoding="UTF-8"?><urlset '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>"
        )
    files[f"{HOST}/sitemap.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
        'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(children)
        + "</sitemapindex>"
    )
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    shape, rows = make_site(args.articles, args.seed)
    sites = HostedSites([shape])
    try:
        for url, xml in news_sitemaps(rows).items():
            sites.put(url, xml, "application/xml; charset=utf-8")
        for article, _, _ in rows:
            sites.put(article.url, article_html(shape, article), "text/html; charset=utf-8")
        registry = {s.name: s for s in load_sources()}
        source = replace(registry["malaymail"], feeds=(), sitemaps=(f"{HOST}/sitemap.xml",))
        source = source.rehosted(sites.origins)
        settings = CrawlSettings(per_host_delay=0.0, per_host_concurrency=8, concurrency=8)
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
            began = time.perf_counter()
            report = crawl([source], store, settings=settings)
            elapsed = time.perf_counter() - began
        counts = report.counts["malaymail"]
        fetched = [(a, ai, naio) for a, ai, naio in rows if sites.requested(a.url)]
        ai_fetched = sum(1 for _, ai, _ in fetched if ai)
        naio_total = sum(1 for _, _, naio in rows if naio)
        naio_fetched = sum(1 for _, _, naio in fetched if naio)
        ai_total = sum(1 for _, ai, _ in rows if ai)
        precision = ai_fetched / len(fetched) if fetched else 0.0
        print(f"site: {len(rows)} articles ({ai_total} about AI, {naio_total} about NAIO)")
        print(f"links seen {counts.seen}, kept {counts.discovered}, dropped {counts.irrelevant}")
        stored = counts.new + counts.duplicate
        print(f"article pages fetched: {len(fetched)} (stored {stored}, same-text ones as aliases)")
        share = f"{ai_fetched} of {len(fetched)} = {precision:.3f}"
        print(f"fetched pages about AI: {share} (target >= 0.95)")
        print(f"NAIO articles fetched: {naio_fetched} of {naio_total} (target: all)")
        print(f"AI articles fetched: {ai_fetched} of {ai_total}")
        print(f"HTTP requests {report.requests}; wall time {elapsed:.2f} s")
        wrong = sorted({a.title for a, ai, _ in fetched if not ai})
        if wrong:
            print("kept but not about AI: " + "; ".join(wrong))
    finally:
        sites.close()


if __name__ == "__main__":
    main()
