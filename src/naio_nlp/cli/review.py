"""``naio-nlp review``: the local web app where an analyst checks the uncertain calls."""

from __future__ import annotations

import getpass
import secrets
import socket
import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .._text import plural
from ..errors import ConfigError

err = Console(stderr=True)
out = Console()

#: Fixed so that a bookmark keeps working; ``--port 0`` picks a free one.
DEFAULT_PORT = 47321
LOOPBACK = "127.0.0.1"


def review_command(
    db: Annotated[Path, typer.Option(help="The store to review (naio-nlp crawl/run write it).")],
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port on the host; 0 picks a free one.")
    ] = DEFAULT_PORT,
    host: Annotated[
        str,
        typer.Option(
            help="Address to bind. Anything but 127.0.0.1 exposes the app to the network: "
            "a warning is printed and an access token is then required.",
        ),
    ] = LOOPBACK,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser window.")
    ] = False,
    reviewer: Annotated[
        str | None, typer.Option(help="Name stored with each review (default: your login).")
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            help="Labelled corpus searched for suspected label errors (a folder means its "
            "train.jsonl; skipped when absent).",
        ),
    ] = Path("corpus"),
    model_version: Annotated[
        str | None, typer.Option(help="Review this model version's calls (default: the latest).")
    ] = None,
    audit: Annotated[
        int, typer.Option(min=0, help="Confident calls sampled at random at the queue's end.")
    ] = 50,
    seed: Annotated[int, typer.Option(help="Seed of the audit sample and label-issue folds.")] = 0,
) -> None:
    """Check the model's least certain calls in the browser; every review is kept in the store.

    The queue shows documents the model abstained on, then the closest calls,
    then suspected label errors in the corpus and in earlier reviews, then a
    random audit sample. Keys: 1/2/3 status, q-t type, a-j domains, Enter save,
    n skip, u undo. Export the reviews with `naio-nlp corpus add-reviewed`.

    Examples:

    \b
        naio-nlp review --db naio.db
        naio-nlp review --db naio.db --port 0 --no-browser --reviewer aisyah
    """
    if not db.is_file():
        raise ConfigError(f"{db}: no such store; create one with `naio-nlp crawl --db {db}`")
    try:
        import uvicorn

        from ..review.app import create_app
    except ImportError as exc:  # the optional extra is missing
        raise ConfigError(
            f"the review app needs the 'review' extra ({exc.name} is missing): "
            "pip install 'naio-nlp[review]' (from a wheel file: "
            "pip install 'naio_nlp-<version>-py3-none-any.whl[review]')"
        ) from exc
    from ..corpus import read_corpus

    records = []
    if corpus is not None:
        path = corpus / "train.jsonl" if corpus.is_dir() else corpus
        if path.is_file():
            records = read_corpus(path)
        else:
            err.print(f"note: no {path}; the queue has no corpus label issues", highlight=False)
    name = reviewer or _login()
    exposed = host not in (LOOPBACK, "localhost", "::1")
    token = secrets.token_urlsafe(24) if exposed else None
    err.print("ranking the review queue ...", highlight=False)
    app = create_app(
        db,
        reviewer=name,
        corpus=records,
        model_version=model_version,
        audit=audit,
        seed=seed,
        access_token=token,
        allowed_hosts=["*"] if exposed else None,
    )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)  # connections queue from now on: the printed URL works at once
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"cannot listen on {host}:{port} ({exc.strerror}); pass another --port, or 0"
        ) from exc
    bound = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{bound}/" + (f"?token={token}" if token else "")
    if exposed:
        err.print(
            f"[bold yellow]warning:[/] listening on {host}, not 127.0.0.1: anyone who can reach "
            "this machine and has the URL below can read the store and add reviews",
            highlight=False,
        )
    state = app.state.review
    out.print(
        f"reviewing {db} as {name}: {plural(len(state.queue), 'document')} in the queue",
        highlight=False,
    )
    out.print(f"open {url}  (Ctrl+C to stop)", highlight=False, soft_wrap=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    if not no_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        return "analyst"


def register(app: typer.Typer) -> None:
    """Add ``naio-nlp review``."""
    app.command("review", no_args_is_help=True)(review_command)
