"""Crawl settings: packaged TOML defaults, a user's file over them key by key, flags over both."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from collect_site_server import Page, SiteServer, _Handler, bulk_article

from naio_nlp import ConfigError
from naio_nlp.fetch import CrawlSettings
from naio_nlp.settings import load_settings

Cli = Callable[..., tuple[int, str, str]]


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my-settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_packaged_defaults_are_the_dataclass_defaults() -> None:
    assert load_settings() == CrawlSettings()


def test_a_user_file_overrides_only_the_keys_it_names(tmp_path: Path) -> None:
    path = _toml(tmp_path, "[crawl]\ntimeout = 5\nmax_retries = 0\ncontact = 'mailto:me@x.org'\n")
    settings = load_settings(path)
    assert (settings.timeout, settings.max_retries, settings.contact) == (5, 0, "mailto:me@x.org")
    assert settings.per_host_delay == CrawlSettings().per_host_delay
    assert settings.max_body_bytes == CrawlSettings().max_body_bytes
    # flags (keyword overrides) beat the file; None means "flag not given"
    flagged = load_settings(path, timeout=9.0, max_retries=None)
    assert (flagged.timeout, flagged.max_retries) == (9.0, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[crawl]\ntimeuot = 5\n", r"my-settings\.toml: unknown key \[crawl\] 'timeuot'"),
        ("delay = 1\n", r"my-settings\.toml: unknown table or key 'delay'"),
        (
            "[crawl]\nmax_retries = 'three'\n",
            r"my-settings\.toml: \[crawl\] max_retries .* integer",
        ),
        ("[crawl]\ntimeout = true\n", r"my-settings\.toml: \[crawl\] timeout .* number"),
        ("[crawl]\ntimeout = -1\n", r"my-settings\.toml: crawl settings: timeout must be > 0"),
        ("[crawl\n", r"my-settings\.toml: not valid TOML"),
    ],
)
def test_a_bad_user_file_names_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(_toml(tmp_path, text))


def test_a_missing_settings_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.toml: no such settings file"):
        load_settings(tmp_path / "nope.toml")


def _hanging_site(site: SiteServer) -> None:
    def hang(h: _Handler) -> None:
        time.sleep(1.0)
        h.serve_page(Page(bulk_article(2).encode()))

    site.routes["/h/a/hang.html"] = hang
    site.pages["/h/a/ok.html"] = Page(bulk_article(1).encode())
    site.pages["/h/"] = Page(
        b"<html><body><a href='/h/a/ok.html'>ok</a> <a href='/h/a/hang.html'>hang</a></body></html>"
    )


def test_crawl_takes_timeout_and_retries_from_the_file_and_flags_win(
    cli: Cli, empty_site: SiteServer, tmp_path: Path
) -> None:
    _hanging_site(empty_site)
    sources = _toml(
        tmp_path,
        f"[[sources]]\nname = 'hang'\ntitle = 'Hang'\nbase_url = '{empty_site.base}/h/'\n"
        "article_pattern = '/h/a/'\n",
    ).rename(tmp_path / "sources.toml")
    config = _toml(
        tmp_path,
        "[crawl]\nper_host_delay = 0\ntimeout = 0.2\nmax_retries = 0\nbackoff = 0.01\n"
        "user_agent = 'settings-test/1'\n",
    )
    db = str(tmp_path / "naio.db")
    code, _, err = cli("crawl", "--sources", str(sources), "--db", db, "--config", str(config))
    assert code == 0, err
    assert len(empty_site.hits("/h/a/hang.html")) == 1  # max_retries = 0 from the file
    assert "timed out" in err or "no complete response" in err
    assert all(
        r.headers["user-agent"].startswith("settings-test/1 (+") for r in empty_site.requests
    )
    empty_site.clear()
    code, _, err = cli(
        "crawl", "--sources", str(sources), "--db", db, "--config", str(config), "--retries", "2"
    )
    assert len(empty_site.hits("/h/a/hang.html")) == 3  # the flag beats the file
    code, _, err = cli(
        "crawl",
        "--sources",
        str(sources),
        "--db",
        db,
        "--config",
        str(_toml(tmp_path, "[crawl]\nx = 1\n")),
    )
    assert code == 1 and "my-settings.toml: unknown key [crawl] 'x'" in err
