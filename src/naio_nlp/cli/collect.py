"""CLI commands for the collect stage (registered by ``naio_nlp.cli``).

``crawl`` fills the store, ``sources list`` / ``sources check`` show and
probe the source registry, ``export`` writes the store out. Each validates
its arguments and calls the library function of the same job.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from .._text import plural
from ..crawl import CrawlReport, ProgressEvent, SourceCheck, check_sources, crawl
from ..errors import ConfigError
from ..fetch import CrawlSettings
from ..settings import load_settings
from ..sources import Source, load_sources, source_for_url
from ..store import Store, export_articles
from ._console import console, error_line, warning_line
from ._output import check_output, is_stream

_err = console(stderr=True)
_out = console()

_SOURCES_HELP = "Sources TOML file (default: the packaged sources.toml)."

# Options that crawl, the sources commands and ``run`` share, defined once.
SourcesFileOption = Annotated[
    Path | None,
    typer.Option("--sources", dir_okay=False, exists=True, help=_SOURCES_HELP),
]
MaxPagesOption = Annotated[
    int | None,
    typer.Option("--max-pages", min=1, help="At most this many article pages per source."),
]
DelayOption = Annotated[
    float | None,
    typer.Option(
        "--delay",
        min=0.0,
        help="Seconds between two requests to one host (default 2; robots.txt Crawl-delay "
        "wins if longer; run --demo uses 0 for its own loopback server).",
    ),
]

TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        min=0.001,
        metavar="SECONDS",
        help="Seconds one read may wait (default 30; a whole response gets 4x that).",
    ),
]
RetriesOption = Annotated[
    int | None,
    typer.Option(
        "--retries",
        min=0,
        metavar="N",
        help="Retries of a URL after a timeout, network error, 429 or 5xx (default 3).",
    ),
]
UserAgentOption = Annotated[
    str | None, typer.Option("--user-agent", help="Product token sent as User-Agent.")
]
ContactOption = Annotated[
    str | None,
    typer.Option(
        "--contact", help="URL or mailto: where site owners can reach you (in the User-Agent)."
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        dir_okay=False,
        metavar="FILE",
        help="Crawl settings TOML; its keys override the packaged settings.toml "
        "(naio_nlp/settings.toml in the installed package), flags override both.",
    ),
]


def _parse_since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; use YYYY-MM-DD", param_hint="--since"
        ) from None


def _select(sources: list[Source], names: list[str] | None) -> list[Source]:
    if not names:
        return sources
    known = {s.name: s for s in sources}
    missing = [n for n in names if n not in known]
    if missing:
        raise ConfigError(
            f"unknown source {', '.join(missing)}; known: {', '.join(sorted(known))} "
            "(see `naio-nlp sources list`)"
        )
    return [known[n] for n in names]


def _summary(report: CrawlReport) -> Table:
    table = Table(title="Crawl summary", title_justify="left")
    table.add_column("source", no_wrap=True)
    columns = {
        "seen": "seen",
        "kept": "discovered",
        "new": "new",
        "upd": "updated",
        "same": "unchanged",
        "dup": "duplicate",
        "fail": "failed",
        "robots": "robots_blocked",
        "js": "js_shell",
        "empty": "empty",
        "binary": "not_text",
    }
    for header in columns:
        table.add_column(header, justify="right")
    for name, c in report.counts.items():
        style = "bold red" if c.yielded == 0 else ""
        table.add_row(name, *(str(getattr(c, field)) for field in columns.values()), style=style)
    table.caption = (
        "seen: article links discovered; kept: those about AI or NAIO (the only ones "
        "fetched); upd: changed since the last run (earlier text kept); "
        "same: unchanged (304 or same content); dup: same content as another URL; "
        "robots: disallowed by robots.txt; js: JavaScript-only pages; "
        "binary: bodies served as pages that are not text (refused)"
    )
    return table


def crawl_command(
    sources_file: SourcesFileOption = None,
    db: Annotated[Path, typer.Option("--db", dir_okay=False, help="SQLite store to fill.")] = Path(
        "naio.db"
    ),
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only articles published on or after this date (YYYY-MM-DD)."),
    ] = None,
    max_pages: MaxPagesOption = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="Crawl only this source (repeat for several)."),
    ] = None,
    delay: DelayOption = None,
    user_agent: UserAgentOption = None,
    contact: ContactOption = None,
    timeout: TimeoutOption = None,
    retries: RetriesOption = None,
    config: ConfigOption = None,
) -> None:
    """Collect new and changed articles from the sources into the store.

    Polite by default: robots.txt is obeyed, one request at a time per host
    with a pause between requests, and an unchanged page costs only a 304.
    Every article is committed as soon as it is extracted, so an interrupted
    crawl resumes where it stopped. Settings come from the packaged
    settings.toml, then --config FILE (key by key), then the flags.

    Examples:

    \b
        naio-nlp crawl
        naio-nlp crawl --source kd-media --since 2025-01-01 --max-pages 20
        naio-nlp crawl --sources my-sources.toml --db corpus.db --contact mailto:me@example.org

        naio-nlp crawl --config my-settings.toml --timeout 10 --retries 1
    """
    settings = load_settings(
        config,
        per_host_delay=delay,
        user_agent=user_agent,
        contact=contact,
        timeout=timeout,
        max_retries=retries,
    )
    chosen = _select(load_sources(sources_file), source)
    since_date = _parse_since(since)
    with Store(db) as store:
        report = crawl_with_progress(
            chosen, store, since=since_date, max_pages=max_pages, settings=settings
        )
    exit_code = show_crawl_report(report, db)
    if exit_code:
        raise typer.Exit(exit_code)


def crawl_with_progress(
    chosen: list[Source],
    store: Store,
    *,
    since: date | None,
    max_pages: int | None,
    settings: CrawlSettings,
) -> CrawlReport:
    """Run the crawl with a live progress line per source (on a terminal)."""
    progress = Progress(
        TextColumn("{task.description:24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[last]}"),
        console=_err,
        transient=False,
        disable=not _err.is_terminal,
    )
    tasks: dict[str, TaskID] = {
        s.name: progress.add_task(s.name, total=None, last="discovering…") for s in chosen
    }

    def on_progress(event: ProgressEvent) -> None:
        task = tasks[event.source]
        if event.stage == "discovered":
            progress.update(task, total=event.total, last="")
        elif event.stage == "item":
            progress.update(task, completed=event.done, last=event.outcome or "")
        else:
            progress.update(task, completed=event.done, total=event.total, last="done")

    with progress:
        return crawl(
            chosen,
            store,
            since=since,
            max_pages=max_pages,
            settings=settings,
            progress=on_progress,
        )


def show_crawl_report(report: CrawlReport, db: Path, *, console: Console | None = None) -> int:
    """Print the summary table and problems; return 2 when a source yielded nothing.

    ``console`` is where the table goes (stdout by default; ``run`` keeps its
    stdout for the report path and passes stderr).
    """
    out = console or _out
    out.print(_summary(report))
    out.print(
        f"{report.requests} requests, {report.not_modified} answered 304 Not Modified; store: {db}",
        highlight=False,
    )
    warnings = [p for p in report.problems if p.severity == "warning"]
    if warnings:
        _err.print(f"{len(warnings)} warnings (first 10):")
        for p in warnings[:10]:
            _err.print(warning_line(f"{p.source} {p.kind}: {p.message}"))
    errors = [p for p in report.problems if p.severity == "error"]
    for p in errors:
        _err.print(error_line(f"source yielded nothing: {p.message}"))
    return 2 if errors else 0


def sources_list_command(
    sources_file: SourcesFileOption = None,
) -> None:
    """List the configured sources and how each is discovered.

    Example:

    \b
        naio-nlp sources list --sources my-sources.toml
    """
    table = Table()
    for col in ("name", "language", "discovery", "relevance", "base URL"):
        table.add_column(col, overflow="fold")
    for s in load_sources(sources_file):
        routes = [plural(len(s.feeds), "feed")] if s.feeds else []
        routes += [plural(len(s.sitemaps), "sitemap")] if s.sitemaps else []
        routes += ["listing"] if s.listing else []
        relevance = "+".join(s.relevance.sets) + (" +terms" if s.relevance.extra else "")
        table.add_row(
            s.name, s.language, ", ".join(routes) or "links on base URL", relevance, s.base_url
        )
    _out.print(table)


_VERDICT_STYLE = {"ok": "green"}
_VERDICT_HINT = {
    "unreachable": "the host did not answer (connection refused, unknown host or timed out): "
    "check the host in base_url and your network, then try again",
    "no items": "no feed, sitemap or listing gave any link: fix their URLs",
    "pattern matched nothing": "links were found but none matches article_pattern / "
    "link_pattern: compare a real article URL with the pattern",
    "blocked": "robots.txt or the server refuses us: check robots, do not force it",
    "extraction failed": "article URLs were found but the sample page gave no text: "
    "check [sources.selectors] or whether the page needs JavaScript",
}


def _check_lines(check: SourceCheck) -> list[str]:
    style = _VERDICT_STYLE.get(check.verdict, "bold red")
    reach = f"HTTP {check.status}" if check.reachable and check.status else (check.error or "no")
    robots = {True: "allows", False: "DISALLOWS the base URL", None: "unknown"}[
        check.robots_allowed
    ]
    lines = [
        f"[bold]{check.name}[/] [{style}]{check.verdict.upper()}[/]",
        f"  reachable  {check.base_url} -> {reach}",
        f"  robots.txt {robots}",
    ]
    for route in check.routes:
        result = route.error or (
            f"{route.links} links, {route.items} article URLs, {route.kept} relevant"
        )
        lines.append(f"  {route.kind:10} {route.url} -> {result}")
    per_channel = ", ".join(
        f"{kind} {items} ({kept} relevant)" for kind, (items, kept) in check.channels().items()
    )
    lines.append(f"  channels   {per_channel or 'none'}")
    lines.append(
        f"  links      seen {check.links} / article URLs {check.items} / kept {check.kept} / "
        f"fetched {check.fetched} (kept: about AI or NAIO; fetched: for the sample)"
    )
    if check.sample_title is not None:
        when = check.sample_date.isoformat() if check.sample_date else "no date found"
        which = "" if check.sample_relevant else " [not a relevant item: none was kept]"
        lines.append(f"  sample     {check.sample_title!r} ({when}){which}")
        lines.append(f"             {check.sample_url}")
    elif check.sample_url:
        lines.append(f"  sample     {check.sample_url} -> {check.sample_error}")
    hint = _VERDICT_HINT.get(check.verdict)
    if hint:
        lines.append(f"  verdict    {check.verdict}: {hint}")
    return lines


def sources_check_command(
    sources_file: SourcesFileOption = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Check only this source (repeatable).")
    ] = None,
    delay: Annotated[
        float, typer.Option("--delay", min=0.0, help="Seconds between requests to one host.")
    ] = 1.0,
) -> None:
    """Probe each source: reachable? robots.txt allows? links found and kept? a sample?

    Fetches the base URL, each feed and sitemap and the first listing page,
    counts per channel the article URLs found and those the relevance filter
    keeps, then extracts one article and shows its title and date. Nothing is
    stored. Each source ends with a verdict: OK, UNREACHABLE, NO ITEMS, PATTERN MATCHED
    NOTHING, BLOCKED or EXTRACTION FAILED, and a hint on what to fix.

    Examples:

    \b
        naio-nlp sources check
        naio-nlp sources check --sources my-sources.toml --source kd-media
    """
    chosen = _select(load_sources(sources_file), source)
    checks = check_sources(chosen, settings=CrawlSettings(per_host_delay=delay, max_retries=1))
    for check in checks:
        for line in _check_lines(check):
            _out.print(line, highlight=False, soft_wrap=True)
    bad = [c.name for c in checks if not c.ok]
    if bad:
        need = "needs" if len(bad) == 1 else "need"
        _err.print(f"{len(bad)} of {plural(len(checks), 'source')} {need} a look: {', '.join(bad)}")
        raise typer.Exit(1)


def sources_match_command(
    urls: Annotated[list[str], typer.Argument(help="Article URLs to look up.")],
    sources_file: SourcesFileOption = None,
) -> None:
    """Say which source would collect each URL, or why none would.

    A URL is collected when its host belongs to a source and it matches that
    source's article_pattern. Use it to check a pattern against real article
    URLs before a crawl. Exits with status 1 when a URL is not collected.

    Example:

    \b
        naio-nlp sources match https://www.thestar.com.my/news/nation/2025/06/04/some-story
    """
    sources = load_sources(sources_file)
    missed = 0
    for url in urls:
        source, reason = source_for_url(sources, url)
        missed += source is None
        mark = "[green]yes[/]" if source else "[bold red]no[/] "
        _out.print(f"{mark} {escape(reason)}  {escape(url)}", highlight=False, soft_wrap=True)
    if missed:
        raise typer.Exit(1)


def export_command(
    db: Annotated[
        Path, typer.Option("--db", exists=True, dir_okay=False, help="The SQLite store.")
    ] = Path("naio.db"),
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="jsonl, csv or parquet (default: from -o's extension, else jsonl).",
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only articles published on or after YYYY-MM-DD.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", dir_okay=False, help="Output file (default: stdout)."),
    ] = None,
) -> None:
    """Write the stored articles as JSON Lines, CSV or Parquet.

    Each row carries id, canonical URL, source, kind (html/pdf), title,
    publication date and the raw date string, language, first/last seen,
    revision count, alias URLs and the text.

    Examples:

    \b
        naio-nlp export --db naio.db --format jsonl > articles.jsonl
        naio-nlp export --db naio.db --format parquet --since 2025-01-01 -o articles.parquet
    """
    by_suffix = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
    if output is not None:
        check_output(output, by_suffix if fmt is None else None, streams=True)
    # a device or pipe (/dev/null, /dev/stdout) takes --format, else JSON Lines, as stdout does
    named = output is not None and not is_stream(output)
    if fmt is None:
        fmt = by_suffix[output.suffix.lower()] if output is not None and named else "jsonl"
    if fmt not in ("jsonl", "csv", "parquet"):
        raise typer.BadParameter(f"{fmt!r}: use jsonl, csv or parquet", param_hint="--format")
    if output is not None and named and by_suffix.get(output.suffix.lower(), fmt) != fmt:
        raise typer.BadParameter(
            f"--format {fmt} does not match the file name {output.name!r}",
            param_hint="--output",
        )
    since_date = _parse_since(since)
    with Store(db) as store:
        count = export_articles(
            store,
            fmt,  # type: ignore[arg-type]  # checked just above
            output=output,
            since=since_date,
            stream=sys.stdout,
        )
    _err.print(f"exported {count} articles" + (f" to {output}" if output else ""))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("crawl")(crawl_command)
    app.command("export")(export_command)
    sources_app = typer.Typer(
        rich_markup_mode=None,
        name="sources",
        help="Show and probe the source registry (sources.toml).",
        no_args_is_help=True,
    )
    sources_app.command("list")(sources_list_command)
    sources_app.command("check")(sources_check_command)
    sources_app.command("match")(sources_match_command)
    app.add_typer(sources_app, name="sources")
