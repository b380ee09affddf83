"""URL canonicalisation and English/Malay date parsing."""

from __future__ import annotations

from datetime import date

import pytest

from naio_nlp.dates import parse_date
from naio_nlp.urls import article_id, canonicalize


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTPS://WWW.Digital.gov.my/Siaran/A/", "https://www.digital.gov.my/Siaran/A"),
        ("https://x.my/a?utm_source=fb&utm_medium=social&id=3", "https://x.my/a?id=3"),
        ("https://x.my/a?fbclid=abc&gclid=z&b=2&a=1", "https://x.my/a?a=1&b=2"),
        ("https://x.my/a#section-2", "https://x.my/a"),
        ("http://x.my:80//a//b/", "http://x.my/a/b"),
        ("https://x.my:8443/a", "https://x.my:8443/a"),
        ("https://x.my", "https://x.my/"),
        ("https://x.my/berita%20baru", "https://x.my/berita%20baru"),
    ],
)
def test_canonicalize(raw: str, canonical: str) -> None:
    assert canonicalize(raw) == canonical


def test_article_id_is_sha256_prefix_of_the_canonical_url() -> None:
    import hashlib

    url = canonicalize("https://X.my/a/?utm_source=z")
    assert article_id(url) == hashlib.sha256(url.encode()).hexdigest()[:16]
    assert len(article_id(url)) == 16


MALAY_MONTHS = [
    ("Januari", "Jan", 1),
    ("Februari", "Feb", 2),
    ("Mac", "Mac", 3),
    ("April", "Apr", 4),
    ("Mei", "Mei", 5),
    ("Jun", "Jun", 6),
    ("Julai", "Jul", 7),
    ("Ogos", "Ogo", 8),
    ("September", "Sept", 9),
    ("Oktober", "Okt", 10),
    ("November", "Nov", 11),
    ("Disember", "Dis", 12),
]


@pytest.mark.parametrize(("full", "short", "month"), MALAY_MONTHS)
def test_every_malay_month_full_and_short(full: str, short: str, month: int) -> None:
    assert parse_date(f"5 {full} 2025") == date(2025, month, 5)
    assert parse_date(f"28 {short} 2025") == date(2025, month, 28)
    assert parse_date(f"Isnin, 3 {full} 2025, 10:30 pagi") == date(2025, month, 3)
    assert parse_date(f"5 {full} 2025", languages=("ms",)) == date(2025, month, 5)


def test_other_malay_short_forms() -> None:
    assert parse_date("3 Ogos 2025") == date(2025, 8, 3)
    assert parse_date("3 Sep 2025") == date(2025, 9, 3)
    assert parse_date("12hb Mei 2025") == date(2025, 5, 12)


ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@pytest.mark.parametrize(("number", "month"), list(enumerate(ENGLISH_MONTHS, start=1)))
def test_every_english_month(number: int, month: str) -> None:
    expected = date(2025, number, 9)
    assert parse_date(f"{month} 9, 2025") == expected
    assert parse_date(f"9th {month} 2025") == expected
    assert parse_date(f"{month[:3]}. 9, 2025 at 4:15 pm") == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # times are Kuala Lumpur's: 20:00 UTC on the 4th is 04:00 on the 5th in Malaysia
        ("2025-03-04T20:00:00Z", date(2025, 3, 5)),
        ("2025-03-04T20:00:00+08:00", date(2025, 3, 4)),
        ("2025-03-04T15:59:00+00:00", date(2025, 3, 4)),
        ("Tue, 04 Mar 2025 22:00:00 +0000", date(2025, 3, 5)),
        ("Mar 4, 2025 11:00 pm GMT", date(2025, 3, 5)),
        ("2025-03-04 23:00", date(2025, 3, 4)),
        ("05/03/2025", date(2025, 3, 5)),
        ("2025/07/09", date(2025, 7, 9)),
        ("Dikemaskini pada: Khamis, 9 Okt 2025", date(2025, 10, 9)),
    ],
)
def test_shapes_and_time_zones(raw: str, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "no date here", "Macam-macam 2025", "31 Februari 2025"])
def test_no_date(raw: str) -> None:
    assert parse_date(raw) is None


def test_languages_restrict_the_month_names() -> None:
    assert parse_date("5 Mac 2025", languages=("en",)) is None
    assert parse_date("5 March 2025", languages=("ms",)) is None
