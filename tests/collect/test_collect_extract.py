"""Extraction: fixture pages against their ground truth, encodings, JS shells, PDFs."""

from __future__ import annotations

import codecs
import re
from collections import Counter
from datetime import date
from typing import Any

import pytest
from collect_site_server import SITE

from naio_nlp.errors import ExtractionError
from naio_nlp.extract import (
    EmptyPageError,
    JsShellError,
    Selectors,
    decode_html,
    extract_html,
    extract_pdf,
)


def _file(path: str) -> bytes:
    target = SITE / path.lstrip("/")
    return (target / "index.html" if path.endswith("/") else target).read_bytes()


def _f1(a: str, b: str) -> float:
    x, y = Counter(re.findall(r"\w+", a.lower())), Counter(re.findall(r"\w+", b.lower()))
    overlap = sum((x & y).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(x.values()), overlap / sum(y.values())
    return 2 * p * r / (p + r)


def _cases() -> list[str]:
    import json

    return sorted(json.loads((SITE / "truth.json").read_text("utf-8")))


@pytest.mark.parametrize("path", _cases())
def test_fixture_page_matches_ground_truth(path: str, truth: dict[str, dict[str, Any]]) -> None:
    expected = truth[path]
    url = "http://fixture.test" + path
    if expected.get("js_shell"):
        with pytest.raises(JsShellError):
            extract_html(_file(path), url=url)
        return
    if expected.get("pdf"):
        page = extract_pdf(_file(path), url=url, fallback_title=expected.get("fallback_title"))
    else:
        page = extract_html(_file(path), url=url)
    assert page.title == expected["title"]
    assert page.published == date.fromisoformat(expected["date"])
    assert page.published_raw
    assert _f1(page.text, expected["body"]) >= 0.95
    assert page.language == expected["language"][:2]


def test_selectors_first_and_misses_reported() -> None:
    html = _file("/kd/siaran-media/2025-pelan-tindakan-ai.html")
    page = extract_html(
        html, selectors=Selectors(title="h1.page-title", date=".news-date", body=".news-body")
    )
    assert page.title.startswith("Pelan Tindakan")
    assert page.published == date(2025, 3, 5)
    assert page.selector_misses == ()
    missed = extract_html(html, selectors=Selectors(title=".gone", date=".gone", body=".gone"))
    assert missed.selector_misses == ("title", "date", "body")
    assert missed.title == page.title  # the generic finder took over
    assert missed.published == page.published


def test_windows_1252_declared_in_meta() -> None:
    page = extract_html(_file("/news/2025/05/12/eu-malaysia-ai-dialogue/"))
    assert "“first technical dialogue”" in page.text
    assert "€2 million" in page.text and "café-style" in page.text and "Malaysia’s" in page.text


def test_encoding_order_bom_header_meta_detection() -> None:
    text = "<html><head><meta charset='windows-1252'></head><body>Kuala Lumpur – café</body></html>"
    assert decode_html(codecs.BOM_UTF8 + text.encode("utf-8"))[1] == "utf-8-sig"
    # the HTTP header beats the meta tag
    assert decode_html(text.encode("utf-8"), "text/html; charset=UTF-8")[1] == "utf-8"
    assert decode_html(text.encode("cp1252"))[0].endswith("Kuala Lumpur – café</body></html>")
    # latin-1 labels mean windows-1252, as in browsers
    assert decode_html("“x”".encode("cp1252"), "text/html; charset=ISO-8859-1")[0] == "“x”"
    # no declaration and not UTF-8: charset-normalizer decides
    undeclared = ("<p>" + "Kementerian Digital – café naïve résumé " * 20 + "</p>").encode("cp1252")
    decoded, _ = decode_html(undeclared)
    assert "café" in decoded and "\ufffd" not in decoded


def test_broken_html_still_extracts() -> None:
    page = extract_html(_file("/news/2025/06/02/ai-talent-scheme/"))
    assert page.title == "AI talent scheme opens applications for 2,000 graduates"
    assert page.text.count("\n") == 2
    assert "Share" not in page.text and "TeknoBerita" not in page.text


def test_navigation_footer_share_widgets_and_comments_are_removed() -> None:
    page = extract_html(_file("/news/2025/03/06/naio-unveils-ai-roadmap/"))
    for noise in ("Share this", "Related", "Recent Posts", "Proudly powered", "Great news", "Tech"):
        assert noise not in page.text


def test_js_shell_and_empty_pages_raise() -> None:
    with pytest.raises(JsShellError) as shell:
        extract_html(_file("/naio/news/dashboard.html"), url="http://x/dash")
    assert isinstance(shell.value, ExtractionError) and "JavaScript" in str(shell.value)
    with pytest.raises(EmptyPageError) as stub:
        extract_html(_file("/kd/siaran-media/2025-kenyataan-pusat-data.html"), url="http://x/kd/")
    assert stub.value.pdf_links == ("http://x/kd/muat-turun/media-statement-data-centre.pdf",)
    assert stub.value.title == "MoU on Sovereign AI Compute Capacity"
    with pytest.raises(ExtractionError):
        extract_html(b"")


def test_pdf_links_are_absolute() -> None:
    page = extract_html(
        _file("/kd/siaran-media/page-2.html").replace(
            b"<h2>", b"<p>" + b"kata " * 30 + b"</p><h2>"
        ),
        url="http://gov.test/kd/siaran-media/page-2.html",
    )
    assert page.pdf_links == ("http://gov.test/kd/muat-turun/kenyataan-media-kotak-pasir-ai.pdf",)


def test_pdf_title_from_metadata_else_listing_else_first_line() -> None:
    with_title = _file("/kd/muat-turun/media-statement-data-centre.pdf")
    without = _file("/kd/muat-turun/kenyataan-media-kotak-pasir-ai.pdf")
    assert extract_pdf(with_title, url="u", fallback_title="x").title.startswith("MoU on")
    assert extract_pdf(without, url="u", fallback_title="Dari senarai").title == "Dari senarai"
    assert extract_pdf(without, url="u", fallback_title=None).title == "KENYATAAN MEDIA"
    with pytest.raises(ExtractionError):
        extract_pdf(b"%PDF-1.4 not really", url="u", fallback_title=None)


def test_mixed_language_page() -> None:
    en = "The National AI Office announced a new programme for training civil servants today."
    ms = "Pejabat Kecerdasan Buatan Negara mengumumkan program baharu untuk melatih penjawat awam."
    html = f"<html><body><article><h1>T</h1><p>{en}</p><p>{ms}</p></article></body></html>"
    assert extract_html(html).language == "mixed"
