"""The collect commands, run in-process with argument lists."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from collect_site_server import SITE, SiteServer

Cli = Callable[..., tuple[int, str, str]]


def _sources_file(site: SiteServer, tmp_path: Path) -> Path:
    text = (SITE / "sources.toml").read_text("utf-8").replace("{base}", site.base)
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_crawl_then_export(cli: Cli, site: SiteServer, tmp_path: Path) -> None:
    sources = _sources_file(site, tmp_path)
    db = tmp_path / "naio.db"
    code, out, _ = cli("crawl", "--sources", str(sources), "--db", str(db), "--delay", "0")
    assert code == 0
    assert "Crawl summary" in out and "kd-fixture" in out
    code, out, _ = cli("export", "--db", str(db), "--format", "jsonl", "--since", "2025-09-01")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(r["published"] >= "2025-09-01" for r in rows)
    target = tmp_path / "a.csv"
    assert cli("export", "--db", str(db), "--format", "csv", "-o", str(target))[0] == 0
    assert target.read_text("utf-8").startswith("id,url,source")
    code, _, err = cli("export", "--db", str(db), "--format", "parquet")
    assert code == 1 and "-o FILE" in err
    code, _, err = cli("export", "--db", str(db), "--format", "xml")
    assert code == 2


def test_crawl_one_source_and_bad_arguments(cli: Cli, site: SiteServer, tmp_path: Path) -> None:
    sources = _sources_file(site, tmp_path)
    db = str(tmp_path / "naio.db")
    code, out, _ = cli(
        "crawl", "--sources", str(sources), "--db", db, "--delay", "0", "--source", "news-fixture"
    )
    assert code == 0 and "news-fixture" in out and "kd-fixture" not in out
    code, _, err = cli("crawl", "--sources", str(sources), "--db", db, "--source", "nope")
    assert code == 1 and "unknown source nope" in err
    code, _, err = cli("crawl", "--sources", str(sources), "--db", db, "--since", "last week")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = cli("crawl", "--sources", str(sources), "--db", db, "--contact", "me")
    assert code == 1 and "contact" in err


def test_a_silent_source_fails_the_crawl_loudly(cli: Cli, site: SiteServer, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        f'[[sources]]\nname = "moved"\nbase_url = "{site.base}/gone/"\n'
        f'feeds = ["{site.base}/gone/feed/"]\n'
    )
    code, _, err = cli(
        "crawl", "--sources", str(path), "--db", str(tmp_path / "d.db"), "--delay", "0"
    )
    assert code == 2 and "error: source yielded nothing: " in err and "moved" in err


def test_sources_list_and_check(cli: Cli, site: SiteServer, tmp_path: Path) -> None:
    code, out, _ = cli("sources", "list")
    assert code == 0 and "kd-media" in out and "bernama" in out
    sources = _sources_file(site, tmp_path)
    code, out, _ = cli("sources", "check", "--sources", str(sources), "--delay", "0")
    assert code == 0, out
    assert out.count(" OK\n") == 3
    assert "links      seen " in out and "/ kept " in out and "/ fetched 1 " in out
    assert "listing" in out and "sitemap" in out and "feed" in out
    assert "Pusat data AI berdaulat dibina di Johor" in out  # the feed's sample, extracted
    broken = tmp_path / "broken.toml"
    broken.write_text(
        sources.read_text("utf-8").replace("/news/feed/", "/news/feeed/"), encoding="utf-8"
    )
    code, out, err = cli(
        "sources", "check", "--sources", str(broken), "--source", "news-fixture", "--delay", "0"
    )
    assert code == 1 and "NO ITEMS" in out and "HTTP 404" in out and "news-fixture" in err
    assert "verdict    no items" in out


def test_sources_match_says_which_source_collects_a_url(cli: Cli) -> None:
    star = "https://www.thestar.com.my/news/nation/2025/06/04/gobind-ai-leader"
    code, out, _ = cli("sources", "match", star)
    assert code == 0 and "matches thestar" in out
    code, out, _ = cli("sources", "match", star, "https://www.thestar.com.my/news/nation")
    assert code == 1 and "article pattern does not match" in out
    code, out, _ = cli("sources", "match", "https://example.org/a")
    assert code == 1 and "host example.org is not registered" in out


def test_sources_check_says_unreachable_for_a_host_that_never_answers(
    cli: Cli, tmp_path: Path
) -> None:
    """A loopback port nobody listens on: the verdict is UNREACHABLE, not NO ITEMS."""
    import socket

    from naio_nlp import check_sources, load_sources
    from naio_nlp.fetch import CrawlSettings

    # a port held bound but never listening: connections are refused, and no other
    # server (a browser test's, a dashboard) can take it while the check runs
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        path = tmp_path / "dead.toml"
        path.write_text(
            f'[[sources]]\nname = "dead-host"\nbase_url = "{base}/"\nlanguage = "en"\n'
            f'feeds = ["{base}/feed"]\narticle_pattern = "/news/"\nrelevance = "all"\n',
            encoding="utf-8",
        )
        (check,) = check_sources(
            load_sources(path), settings=CrawlSettings(per_host_delay=0, max_retries=0)
        )
        assert check.verdict == "unreachable" and not check.reachable
        code, out, err = cli("sources", "check", "--sources", str(path), "--delay", "0")
    assert code == 1
    assert "dead-host UNREACHABLE" in out
    assert "verdict    unreachable: the host did not answer" in out
    assert "Traceback" not in out + err
    assert "1 of 1 source needs a look: dead-host" in err
