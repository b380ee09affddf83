"""The source registry: packaged defaults, {base}, and errors that name file, source and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from naio_nlp.errors import ConfigError
from naio_nlp.sources import load_sources


def test_packaged_defaults_cover_the_product_sources() -> None:
    sources = load_sources()
    names = {s.name for s in sources}
    assert {"kd-media", "mydigital", "naio", "bernama-en", "bernama-bm", "thesun"} <= names
    assert len(sources) >= 20
    assert {s.language for s in sources} >= {"en", "ms"}
    for s in sources:
        assert s.feeds or s.sitemaps or s.listing or s.article_pattern


def test_base_placeholder_and_listing_pages(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        """
[[sources]]
name = "demo"
base_url = "{base}/kd/"
allow_hosts = ["cdn.example.org"]
[sources.listing]
url = "{base}/kd/list?page={page}"
first_page = 0
max_pages = 2
"""
    )
    (source,) = load_sources(path, base="http://127.0.0.1:8765/")
    assert source.base_url == "http://127.0.0.1:8765/kd/"
    assert source.listing is not None
    assert source.listing.page_urls() == [
        "http://127.0.0.1:8765/kd/list?page=0",
        "http://127.0.0.1:8765/kd/list?page=1",
    ]
    assert source.hosts == {"127.0.0.1:8765", "cdn.example.org"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('name = "kd"\nbase_url = "https://x.my/"\nfeedz = []', "source 'kd': key 'feedz'"),
        ('name = "KD Media"\nbase_url = "https://x.my/"', "key 'name'"),
        ('name = "kd"\nbase_url = "x.my"\nfeeds = []', "source 'kd': key 'base_url'"),
        ('name = "kd"\nbase_url = "https://x.my/"\nlanguage = "fr"', "key 'language'"),
        (
            'name = "kd"\nbase_url = "https://x.my/"\narticle_pattern = "(["',
            "key 'article_pattern'",
        ),
        ('name = "kd"\nbase_url = "https://x.my/"', "no way to find articles"),
        ('name = "kd"\nbase_url = "https://x.my/"\nfeeds = "https://x.my/feed"', "key 'feeds'"),
        (
            'name = "kd"\nbase_url = "https://x.my/"\n[sources.listing]\nurl = "https://x.my/l"\n'
            "max_pages = 0",
            "key 'listing.max_pages'",
        ),
        (
            'name = "kd"\nbase_url = "https://x.my/"\nfeeds = ["{base}/feed"]',
            "no base was given",
        ),
    ],
)
def test_errors_name_file_source_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[[sources]]\n" + body + "\n")
    with pytest.raises(ConfigError) as err:
        load_sources(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_duplicate_names_and_broken_toml(tmp_path: Path) -> None:
    path = tmp_path / "dup.toml"
    entry = '[[sources]]\nname = "kd"\nbase_url = "https://x.my/"\nfeeds = ["https://x.my/f"]\n'
    path.write_text(entry + entry)
    with pytest.raises(ConfigError, match="used twice"):
        load_sources(path)
    path.write_text("[[sources]\nname=")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_sources(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_sources(tmp_path / "missing.toml")


def test_a_file_without_sources_points_at_the_packaged_registry(tmp_path: Path) -> None:
    """A wheel has no docs/ folder: the message names a file the user does have."""
    empty = tmp_path / "mine.toml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no \\[\\[sources\\]\\] tables") as err:
        load_sources(empty)
    named = str(err.value).split("packaged registry (", 1)[1].split(")", 1)[0]
    assert Path(named).is_file() and load_sources(Path(named))
