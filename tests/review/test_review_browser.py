"""The review app as an analyst uses it: real uvicorn on 127.0.0.1, real headless Chromium.

Chromium is driven through Debian's ``chromium-driver`` with selenium. Without
them the tests skip locally and fail in CI (``CI`` set), like the report's.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from review_helpers import MODEL, SCRIPT_TITLE

from naio_nlp.review.app import create_app
from naio_nlp.store import Store

pytestmark = pytest.mark.browser

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _binaries() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium is None or driver is None:
        reason = "headless Chromium and chromedriver are needed (apt-get install chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI must run the browser tests")
        pytest.skip(reason)
    return chromium, driver


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    chromium, driver_path = _binaries()
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _key_on(driver: Any) -> str | None:
    """The key of the document on screen, read in one script call.

    Finding the element and then reading its attribute are two WebDriver round
    trips; a keyed form submission can replace the page between them, which left a stale element
    (CI, stop 31). One script reads both at the same instant, and only once the
    page has finished loading, so what the test reads next is all there.
    """
    key = driver.execute_script(
        "const d = document.querySelector('article.doc');"
        " return d && document.readyState === 'complete' ? d.getAttribute('data-key') : null;"
    )
    return None if key is None else str(key)


def _press(driver: Any, keys: str) -> None:
    body = driver.find_element(By.TAG_NAME, "body")
    for k in keys:
        body.send_keys(k)


def _wait_for_doc(driver: Any, key: str) -> None:
    WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: _key_on(d) == key
    )


def test_review_three_with_the_keyboard_undo_one_and_export(
    review_db: tuple[Path, list[str]],
    browser: Any,
    server: Callable[..., Any],
    tmp_path: Path,
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    db, order = review_db
    app = create_app(db, reviewer="aisyah", audit=3)
    with server(app) as base:
        browser.get(base + "/")
        rows = browser.find_elements(By.CSS_SELECTOR, "#queue tbody tr")
        assert len(rows) == 8  # 2 abstentions + 3 close calls + 3 audited confident calls
        assert "the model abstained" in rows[0].text
        _press(browser, "\n")  # Enter on the queue starts reviewing
        _wait_for_doc(browser, order[0])
        # evidence sentences are highlighted with what they support
        marks = browser.find_elements(By.CSS_SELECTOR, "#doc-text mark.ev")
        assert {m.get_attribute("data-supports") for m in marks} == {
            "status:artifact",
            "domain:talent",
        }
        # 1st: the model said symbolic; the analyst says unrelated (3), drops no domains
        _press(browser, "3")
        _press(browser, "\n")
        _wait_for_doc(browser, order[1])
        # 2nd: accept the model's call as it stands
        _press(browser, "\n")
        _wait_for_doc(browser, order[2])
        # 3rd: artifact (1), type multi_agency_program (w), domains sovereignty (a) + talent (h)
        _press(browser, "1wah")
        _press(browser, "\n")
        _wait_for_doc(browser, order[3])
        # undo the last one: back on the 3rd document, its review marked undone
        _press(browser, "u")
        _wait_for_doc(browser, order[2])
        assert "undone" in browser.find_element(By.CSS_SELECTOR, "ul.history").text

    with Store(db) as store:
        live = store.reviews()
        everything = store.reviews(include_undone=True)
        reviewed = store.reviewed_labels()
        assert store.prediction(order[0]) is not None  # predictions untouched
        assert store.prediction(order[0]).status == "symbolic"  # type: ignore[union-attr]
    assert [r.article_id for r in live] == order[:2]
    assert [r.article_id for r in everything] == order[:3]
    assert everything[2].undone_at is not None
    assert everything[2].labels.status == "artifact"
    assert everything[2].labels.artifact_type == "multi_agency_program"
    assert everything[2].labels.domains == ("sovereignty", "talent")
    first, second = live
    assert (first.labels.status, first.labels.domains) == ("unrelated", ())
    assert first.model_labels is not None and first.model_labels.status == "symbolic"
    assert first.agrees is False and second.agrees is True
    assert first.reviewer == "aisyah" and first.model_version == MODEL
    assert set(reviewed) == set(order[:2])

    out = tmp_path / "corpus" / "reviewed.jsonl"
    out.parent.mkdir(exist_ok=True)  # a missing folder is refused, as by every command
    code, stdout, stderr = cli("corpus", "add-reviewed", "--db", str(db), "-o", str(out))
    assert code == 0, stderr
    assert "wrote 2 reviewed documents (1 corrected the model)" in stdout
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in records] == ["unrelated", "symbolic"]
    assert records[0]["provenance"]["url"] == f"https://news.example.org/{order[0]}"
    assert records[0]["provenance"]["reviewer"] == "aisyah"
    assert records[0]["provenance"]["model_labels"]["status"] == "symbolic"
    code, stdout, stderr = cli("corpus", "validate", str(out))
    assert code == 0, stderr
    assert "ok 2 documents" in stdout


def test_crawled_script_in_a_title_shows_as_text(
    review_db: tuple[Path, list[str]], browser: Any, server: Callable[..., Any]
) -> None:
    db, _ = review_db
    with server(create_app(db, reviewer="aisyah")) as base:
        browser.get(base + "/doc/a04")
        title = browser.find_element(By.ID, "doc-title")
        assert title.text == SCRIPT_TITLE  # the tags are visible characters
        assert title.find_elements(By.CSS_SELECTOR, "script, b") == []
        assert browser.execute_script("return window.__pwned === undefined") is True
        browser.get(base + "/")
        assert SCRIPT_TITLE in browser.find_element(By.ID, "queue").text


def test_state_changes_need_the_csrf_token(
    review_db: tuple[Path, list[str]], server: Callable[..., Any]
) -> None:
    db, order = review_db
    app = create_app(db, reviewer="aisyah")
    token = app.state.review.csrf
    with server(app) as base, httpx.Client(base_url=base) as client:
        form = {"status": "unrelated"}
        refused = client.post(f"/doc/{order[0]}/review", data=form)
        assert refused.status_code == 403
        assert "CSRF" in refused.text
        wrong = client.post(f"/doc/{order[0]}/review", data={**form, "csrf": "guess"})
        assert wrong.status_code == 403
        assert client.post("/undo", data={}).status_code == 403
        with Store(db) as store:
            assert store.reviews(include_undone=True) == []
        ok = client.post(f"/doc/{order[0]}/review", data={**form, "csrf": token})
        assert ok.status_code == 303
        assert ok.headers["location"].startswith(f"/doc/{order[1]}")
        # the page carries a policy that forbids inline and foreign scripts
        page = client.get(f"/doc/{order[1]}")
        assert "script-src 'self'" in page.headers["content-security-policy"]
    with Store(db) as store:
        assert [r.labels.status for r in store.reviews()] == ["unrelated"]


def test_no_route_reads_a_path_and_hosts_are_checked(
    review_db: tuple[Path, list[str]], server: Callable[..., Any]
) -> None:
    db, _ = review_db
    with server(create_app(db, reviewer="aisyah")) as base, httpx.Client(base_url=base) as client:
        assert client.get("/static/review.js").status_code == 200
        for probe in ("/static/..%2F..%2Fstore.py", "/static/app.py", "/doc/..%2Fetc%2Fpasswd"):
            assert client.get(probe).status_code == 404, probe
        stored = client.get("/doc/a01/stored")
        assert stored.status_code == 200 and stored.headers["content-type"].startswith("text/plain")
        # a page fetched under another host name (DNS rebinding) is refused
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_access_token_required_when_exposed(
    review_db: tuple[Path, list[str]], server: Callable[..., Any]
) -> None:
    db, _ = review_db
    app = create_app(db, reviewer="aisyah", access_token="s3cret-token", allowed_hosts=["*"])
    with server(app) as base, httpx.Client(base_url=base) as client:
        assert client.get("/").status_code == 403
        assert client.get("/?token=wrong").status_code == 403
        first = client.get("/?token=s3cret-token")
        assert first.status_code == 200
        assert client.get("/doc/a01").status_code == 200  # the cookie carries it from now on
