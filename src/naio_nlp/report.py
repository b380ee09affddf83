"""The analyst's report: is NAIO producing execution artifacts or symbolic mentions?

:func:`build_report` turns classified documents — ``(Article, Prediction)``
pairs — into one self-contained ``index.html`` (charts are inline SVG drawn
by matplotlib, no scripts, no network) and one CSV per table, so the numbers
behind every chart can be checked or reused.

The page answers the product's question in order of importance: a headline
in words computed from the data, the execution index over time (artifacts
against symbolic mentions per month, and the artifact share), what kind of
artifacts and in which working-group domains, where the documents come
from, the artifacts themselves with their evidence, and what model labelled
them. Documents labelled ``unrelated`` are counted and shown per source but
never enter the artifact share.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import ipaddress
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import urlsplit

from markupsafe import Markup

from ._version import __version__
from .labels import ARTIFACT_TYPES, DOMAINS, STATUSES
from .ledger import Ledger, build
from .schema import Article, Prediction

__all__ = [
    "COPIES_DIR",
    "CSV_FILES",
    "DOMAIN_NAMES",
    "LEDGER_FILES",
    "STATUS_COLOURS",
    "TYPE_COLOURS",
    "TYPE_NAMES",
    "ReportSummary",
    "build_report",
    "wilson_interval",
]

DEFAULT_TITLE: Final = "NAIO execution report"

#: The CSV files written next to ``index.html``, one per table, in page order.
CSV_FILES: Final[tuple[str, ...]] = (
    "monthly.csv",
    "by_type.csv",
    "by_domain.csv",
    "domain_by_type.csv",
    "by_source.csv",
    "artifacts.csv",
)

#: The ledger beside the report: one row per output, and the whole ledger with its reports.
LEDGER_FILES: Final[tuple[str, ...]] = ("ledger.csv", "ledger.json")
#: The folder beside ``index.html`` holding each document's text, linked from the report.
COPIES_DIR: Final = "texts"

#: One colour per status, the same in every chart and on the page.
STATUS_COLOURS: Final[Mapping[str, str]] = MappingProxyType(
    {"artifact": "#0f766e", "symbolic": "#d97706", "unrelated": "#a8a29e"}
)

#: One colour per artifact type, the same in every chart and on the page.
TYPE_COLOURS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "action_plan": "#1d4ed8",
        "multi_agency_program": "#7c3aed",
        "public_guidance": "#0891b2",
        "commercialization_pathway": "#be185d",
        "sector_proof_point": "#4d7c0f",
    }
)
_FALLBACK_COLOURS: Final = ("#475569", "#9333ea", "#b45309", "#15803d", "#0369a1")

#: Display names; a label added to :mod:`naio_nlp.labels` without one here
#: gets its identifier in sentence case.
TYPE_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "action_plan": "Action plan",
        "multi_agency_program": "Multi-agency program",
        "public_guidance": "Public guidance",
        "commercialization_pathway": "Commercialization pathway",
        "sector_proof_point": "Sector proof point",
    }
)
DOMAIN_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "sovereignty": "Sovereignty",
        "regulation_policy": "Regulation & policy",
        "security": "Security",
        "governance_ethics": "Governance & ethics",
        "safety": "Safety",
        "talent": "Talent",
        "advisory": "Advisory",
    }
)
_STATUS_NAMES: Final = {"artifact": "Artifacts", "symbolic": "Symbolic", "unrelated": "Unrelated"}

_NO_SOURCE: Final = "(no source)"
_RECENT_MONTHS: Final = 6
#: Below this many documents on either side, a change in share is called too few for a trend.
_FEW_FOR_TREND: Final = 30
_EVIDENCE_CHARS: Final = 260


def _display(name: str, names: Mapping[str, str]) -> str:
    return names.get(name) or name.replace("_", " ").capitalize()


def _type_colour(name: str) -> str:
    if name in TYPE_COLOURS:
        return TYPE_COLOURS[name]
    return _FALLBACK_COLOURS[list(ARTIFACT_TYPES).index(name) % len(_FALLBACK_COLOURS)]


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What :func:`build_report` wrote and the counts it found."""

    out_dir: Path
    html: Path
    csvs: Mapping[str, Path]
    documents: int
    artifacts: int
    symbolic: int
    unrelated: int
    undated: int
    months: int
    headline: str
    model_versions: tuple[str, ...] = field(default=())
    outputs: int = 0
    outputs_launched: int = 0
    announced: int = 0
    announced_launched: int = 0
    median_lag_days: float | None = None
    #: documents whose labels a person set in ``naio-nlp review``
    reviewed: int = 0

    @property
    def naio_related(self) -> int:
        """Documents in which NAIO plays a role: artifacts plus symbolic mentions."""
        return self.artifacts + self.symbolic

    @property
    def artifact_share(self) -> float | None:
        """Artifacts as a share of NAIO-related documents; ``None`` when there are none."""
        return self.artifacts / self.naio_related if self.naio_related else None

    @property
    def is_empty(self) -> bool:
        """True when there was nothing to report."""
        return self.documents == 0


# --------------------------------------------------------------------------- aggregation


@dataclass(frozen=True, slots=True)
class _Doc:
    article: Article
    prediction: Prediction
    day: date | None
    basis: str  # "published", "fetched" or "" when undated

    @property
    def month(self) -> str | None:
        return None if self.day is None else f"{self.day.year:04d}-{self.day.month:02d}"

    @property
    def status(self) -> str:
        return self.prediction.status

    @property
    def source(self) -> str:
        return self.article.source or _NO_SOURCE


def _doc(article: Article, prediction: Prediction) -> _Doc:
    if article.published is not None:
        return _Doc(article, prediction, article.published, "published")
    if article.fetched_at is not None:
        return _Doc(article, prediction, article.fetched_at.date(), "fetched")
    return _Doc(article, prediction, None, "")


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:])
    months = []
    while f"{y:04d}-{m:02d}" <= last:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _share(artifacts: int, symbolic: int) -> float | None:
    return artifacts / (artifacts + symbolic) if artifacts + symbolic else None


@dataclass(frozen=True, slots=True)
class _MonthRow:
    month: str
    counts: Mapping[str, int]

    @property
    def share(self) -> float | None:
        return _share(self.counts["artifact"], self.counts["symbolic"])


@dataclass(slots=True)
class _Tables:
    docs: list[_Doc]
    status: Counter[str] = field(default_factory=Counter)
    monthly: list[_MonthRow] = field(default_factory=list)
    undated: Counter[str] = field(default_factory=Counter)
    fetched_basis: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    by_domain: dict[str, Counter[str]] = field(default_factory=dict)
    domain_by_type: dict[str, Counter[str]] = field(default_factory=dict)
    by_source: dict[str, Counter[str]] = field(default_factory=dict)
    artifacts: list[_Doc] = field(default_factory=list)
    model_versions: tuple[str, ...] = ()

    @property
    def naio(self) -> int:
        return self.status["artifact"] + self.status["symbolic"]


def _tabulate(rows: Iterable[tuple[Article, Prediction]]) -> _Tables:
    docs = [_doc(a, p) for a, p in rows]
    t = _Tables(docs=docs)
    per_month: dict[str, Counter[str]] = {}
    t.by_domain = {d: Counter() for d in DOMAINS}
    t.domain_by_type = {d: Counter() for d in DOMAINS}
    versions: set[str] = set()
    for d in docs:
        t.status[d.status] += 1
        if d.prediction.model_version:
            versions.add(d.prediction.model_version)
        if d.month is None:
            t.undated[d.status] += 1
        else:
            per_month.setdefault(d.month, Counter())[d.status] += 1
            t.fetched_basis += d.basis == "fetched"
        t.by_source.setdefault(d.source, Counter())[d.status] += 1
        for dom in d.prediction.domains:
            t.by_domain[dom][d.status] += 1
        if d.status == "artifact":
            kind = d.prediction.artifact_type or ""
            t.by_type[kind] += 1
            for dom in d.prediction.domains:
                t.domain_by_type[dom][kind] += 1
            t.artifacts.append(d)
    if per_month:
        months = _month_range(min(per_month), max(per_month))
        t.monthly = [
            _MonthRow(m, {s: per_month.get(m, Counter())[s] for s in STATUSES}) for m in months
        ]
    t.artifacts.sort(key=lambda d: (d.day is not None, d.day or date.min, d.article.title))
    t.artifacts.reverse()
    t.model_versions = tuple(sorted(versions))
    return t


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval of ``k`` successes in ``n`` (95% by default); None when n=0.

    Unlike ``k/n ± ...`` it stays inside [0, 1] and is honest for 1-3 documents:
    1 of 1 gives 21%-100%, not a bare 100%.
    """
    if n <= 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, slots=True)
class _Conversion:
    announced: int  # entries with a dated announcement
    launched: int  # of those, launched or operational on or after it
    lags: tuple[int, ...]  # days from announcement to first launch report
    launched_earlier: int  # reported launched before the announcement we have

    @property
    def share(self) -> float | None:
        return self.launched / self.announced if self.announced else None

    @property
    def median_days(self) -> float | None:
        return float(statistics.median(self.lags)) if self.lags else None


@dataclass(frozen=True, slots=True)
class _LedgerTables:
    ledger: Ledger
    launched: int
    new_by_month: Mapping[str, int]
    new_undated: int
    conversion: _Conversion


def _ledger_tables(ledger: Ledger) -> _LedgerTables:
    new_by_month: Counter[str] = Counter()
    launched = undated = 0
    announced = converted = earlier = 0
    lags: list[int] = []
    for e in ledger.entries:
        if e.was_launched:
            launched += 1
            when = e.launched_on
            if when is None:
                undated += 1
            else:
                new_by_month[f"{when.year:04d}-{when.month:02d}"] += 1
        ann = e.announced_on
        if ann is None:
            continue
        start = e.launched_on
        if start is not None and start < ann:
            earlier += 1  # an announcement of a later phase: not a conversion
            continue
        announced += 1
        if e.was_launched:
            converted += 1
            if start is not None:
                lags.append((start - ann).days)
    return _LedgerTables(
        ledger=ledger,
        launched=launched,
        new_by_month=dict(new_by_month),
        new_undated=undated,
        conversion=_Conversion(announced, converted, tuple(lags), earlier),
    )


_CONVERSION_LIMITS: Final = (
    "How to read the conversion figure: the denominator is the outputs that a collected "
    "document announced as an intention and named, so announcements never collected, or "
    "too vague to name an output, are not in it. A launch is counted when any later report "
    "shows the output launched or operating, and the lag runs from the first announcement "
    "to the first such report, which may trail the real launch. Recent announcements have "
    "had less time to convert, so the share is a lower bound that rises as the record grows."
)


def _conversion_sentences(lt: _LedgerTables) -> list[str]:
    c = lt.conversion
    if not c.announced:
        return [
            "No output has been announced as an intention in the collected documents yet, "
            "so there is no announcement → launch conversion to report."
        ]
    first = (
        f"Of {c.announced} output{'s' if c.announced != 1 else ''} NAIO announced as an "
        f"intention, {c.launched} {'was' if c.launched == 1 else 'were'} later reported "
        f"launched ({_pct(c.launched / c.announced)})"
    )
    if c.median_days is not None:
        first += (
            f", a median of {c.median_days:.0f} days after the first announcement"
            f" (over {len(c.lags)} dated pair{'s' if len(c.lags) != 1 else ''})"
        )
    out = [first + "."]
    ci = wilson_interval(c.launched, c.announced)
    if ci is not None and c.announced < 20:
        out.append(
            f"That is {c.announced} announcement{'s' if c.announced != 1 else ''}: the 95% "
            f"interval of the share runs from {_pct(ci[0])} to {_pct(ci[1])}."
        )
    return out


# --------------------------------------------------------------------------- headline


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _leaders(counts: Mapping[str, int]) -> tuple[list[str], int]:
    top = max(counts.values(), default=0)
    return [k for k, v in counts.items() if v == top and top > 0], top


def _month_name(month: str) -> str:
    return date(int(month[:4]), int(month[5:]), 1).strftime("%b %Y")


def _headline(t: _Tables, lt: _LedgerTables | None = None) -> list[str]:
    """Sentences answering the product's question, computed from the tables."""
    n, a = t.naio, t.status["artifact"]
    if not t.docs:
        return ["Nothing to report yet: no classified documents were found."]
    unrelated = t.status["unrelated"]
    if n == 0:
        return [
            f"None of the {len(t.docs)} classified documents involves NAIO, "
            "so there is no artifact share to report yet."
        ]
    sentences = []
    if lt is not None:
        k = lt.launched
        lead = (
            f"NAIO has {k} distinct output{'s' if k != 1 else ''} reported launched or operating"
            f" (from {a} artifact report{'s' if a != 1 else ''})"
        )
        c = lt.conversion
        if c.announced:
            lead += (
                f"; of {c.announced} it announced as intentions, {c.launched} "
                f"{'was' if c.launched == 1 else 'were'} later launched"
            )
        sentences.append(lead + ".")
    noun = "document" if n == 1 else "documents"
    verb = "reports" if n == 1 else "report"
    first = f"{a} of {n} NAIO-related {noun} ({_pct(a / n)}) {verb} execution artifacts"
    if a:
        types, k = _leaders({x: t.by_type[x] for x in ARTIFACT_TYPES})
        names = [_display(x, TYPE_NAMES).lower() for x in types]
        if len(names) == 1:
            first += f"; the most common type is {names[0]} ({k} of {a})"
        else:
            first += f"; the most common types are {_and(names)} ({k} each)"
    sentences.append(first + ".")
    if a:
        doms, k = _leaders({d: t.by_domain[d]["artifact"] for d in DOMAINS})
        if doms:
            names = [_display(d, DOMAIN_NAMES) for d in doms]
            which = "domain" if len(names) == 1 else "domains"
            sentences.append(
                f"The working-group {which} with the most artifacts: {_and(names)} ({k})."
            )
    dated = [r for r in t.monthly if r.counts["artifact"] + r.counts["symbolic"]]
    if len(t.monthly) > _RECENT_MONTHS and dated:
        recent, earlier = t.monthly[-_RECENT_MONTHS:], t.monthly[:-_RECENT_MONTHS]
        ra = sum(r.counts["artifact"] for r in recent)
        rs = sum(r.counts["symbolic"] for r in recent)
        ea = sum(r.counts["artifact"] for r in earlier)
        es = sum(r.counts["symbolic"] for r in earlier)
        if ra + rs and ea + es:
            now, before = ra / (ra + rs), ea / (ea + es)
            trend = "up from" if now > before else "down from" if now < before else "the same as"
            trend_text = (
                f"In the latest {_RECENT_MONTHS} months ({_month_name(recent[0].month)} – "
                f"{_month_name(recent[-1].month)}) the artifact share was {_pct(now)} "
                f"({ra} of {ra + rs}), {trend} {_pct(before)} ({ea} of {ea + es}) before"
            )
            if min(ra + rs, ea + es) < _FEW_FOR_TREND:
                trend_text += "; that is too few documents to call a trend"
            sentences.append(trend_text + ".")
    if unrelated == 1:
        sentences.append("1 further document was unrelated to NAIO and is not in the share.")
    elif unrelated:
        sentences.append(
            f"{unrelated} further documents were unrelated to NAIO and are not in the share."
        )
    return sentences


# --------------------------------------------------------------------------- CSV


def _fmt_share(x: float | None) -> str:
    return "" if x is None else f"{x:.4f}"


def _top_evidence(p: Prediction) -> str:
    sentences = p.evidence.sentences
    if not sentences:
        return ""
    preferred = [s for s in sentences if s.supports == "status"] or list(sentences)
    return max(preferred, key=lambda s: s.score).text.strip()


def _csv_tables(t: _Tables) -> dict[str, tuple[list[str], list[list[object]]]]:
    statuses = list(STATUSES)
    monthly: list[list[object]] = [
        [
            r.month,
            *(r.counts[s] for s in statuses),
            r.counts["artifact"] + r.counts["symbolic"],
            _fmt_share(r.share),
        ]
        for r in t.monthly
    ]
    if t.undated:
        u = t.undated
        monthly.append(
            [
                "undated",
                *(u[s] for s in statuses),
                u["artifact"] + u["symbolic"],
                _fmt_share(_share(u["artifact"], u["symbolic"])),
            ]
        )
    total_a = t.status["artifact"]
    by_type: list[list[object]] = [
        [
            x,
            _display(x, TYPE_NAMES),
            t.by_type[x],
            _fmt_share(t.by_type[x] / total_a if total_a else None),
        ]
        for x in ARTIFACT_TYPES
    ]
    by_domain: list[list[object]] = [
        [
            d,
            _display(d, DOMAIN_NAMES),
            *(t.by_domain[d][s] for s in statuses),
            _fmt_share(_share(t.by_domain[d]["artifact"], t.by_domain[d]["symbolic"])),
        ]
        for d in DOMAINS
    ]
    domain_by_type: list[list[object]] = [
        [
            d,
            _display(d, DOMAIN_NAMES),
            *(t.domain_by_type[d][x] for x in ARTIFACT_TYPES),
            sum(t.domain_by_type[d].values()),
        ]
        for d in DOMAINS
    ]
    by_source: list[list[object]] = [
        [
            src,
            *(c[s] for s in statuses),
            sum(c.values()),
            _fmt_share(_share(c["artifact"], c["symbolic"])),
        ]
        for src, c in _sources_sorted(t)
    ]
    artifacts: list[list[object]] = [
        [
            "" if d.day is None else d.day.isoformat(),
            d.basis,
            d.article.title,
            d.article.url or "",
            d.article.source or "",
            d.prediction.artifact_type or "",
            ";".join(d.prediction.domains),
            f"{d.prediction.confidence:.4f}",
            "yes" if d.prediction.needs_review else "no",
            _top_evidence(d.prediction),
            d.article.id,
            d.prediction.model_version,
        ]
        for d in t.artifacts
    ]
    return {
        "monthly.csv": (["month", *statuses, "naio_related", "artifact_share"], monthly),
        "by_type.csv": (["artifact_type", "name", "artifacts", "share_of_artifacts"], by_type),
        "by_domain.csv": (["domain", "name", *statuses, "artifact_share"], by_domain),
        "domain_by_type.csv": (["domain", "name", *ARTIFACT_TYPES, "artifacts"], domain_by_type),
        "by_source.csv": (["source", *statuses, "total", "artifact_share"], by_source),
        "artifacts.csv": (
            [
                "date",
                "date_basis",
                "title",
                "url",
                "source",
                "artifact_type",
                "domains",
                "confidence",
                "needs_review",
                "evidence",
                "article_id",
                "model_version",
            ],
            artifacts,
        ),
    }


def _sources_sorted(t: _Tables) -> list[tuple[str, Counter[str]]]:
    return sorted(t.by_source.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


# --------------------------------------------------------------------------- charts

_INK: Final = "#1f2933"
_MUTED: Final = "#5f6b7a"
_GRID: Final = "#e4e7eb"
#: matplotlib settings for every chart (typed Any: the stubs want literal keys).
_RC: Final[Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "svg.fonttype": "path",
    "svg.hashsalt": "naio-nlp-report",
    "axes.edgecolor": _GRID,
    "axes.labelcolor": _MUTED,
    "xtick.color": _MUTED,
    "ytick.color": _MUTED,
    "text.color": _INK,
}


def _style(ax: Any, *, grid_axis: str = "y") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(_GRID)
    ax.spines["bottom"].set_color(_GRID)
    ax.grid(axis=grid_axis, color=_GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(length=0)


def _svg(fig: Any, label: str, *, min_font_pt: float) -> str:
    """The figure as inline SVG; ``data-min-font`` is its smallest text in viewBox units.

    matplotlib's SVG is 72 units per inch, so a 10 pt font is 10 units. Text
    is drawn as paths: the browser test reads its size from this and the
    rendered width (it must stay >= 10 px on a 390 px phone).
    """
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    svg = text[text.index("<svg") :]
    svg = re.sub(r'<svg\s+width="[^"]*"\s+height="[^"]*"', "<svg", svg, count=1)
    return svg.replace(
        "<svg",
        f'<svg role="img" aria-label="{html.escape(label)}" class="chart" '
        f'data-min-font="{min_font_pt:.2f}"',
        1,
    )


def _figure(width: float, height: float) -> Any:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _month_ticks(months: Sequence[str], *, narrow: bool = False) -> tuple[list[int], list[str]]:
    ticks: list[int] = []
    labels: list[str] = []
    if narrow:  # a phone: about five ticks, the year under each tick where it changes
        step = max(1, math.ceil(len(months) / 5))
        year = ""
        for i in range(0, len(months), step):
            m = months[i]
            name = date(int(m[:4]), int(m[5:]), 1).strftime("%b")
            ticks.append(i)
            labels.append(f"{name}\n{m[:4]}" if m[:4] != year else name)
            year = m[:4]
        return ticks, labels
    step = 1 if len(months) <= 24 else 3 if len(months) <= 60 else 12
    for i, m in enumerate(months):
        if i % step and not m.endswith("-01"):
            continue
        name = date(int(m[:4]), int(m[5:]), 1).strftime("%b")
        ticks.append(i)
        labels.append(f"{name}\n{m[:4]}" if i == 0 or m.endswith("-01") else name)
    return ticks, labels


def _chart_monthly(t: _Tables, lt: _LedgerTables, *, narrow: bool = False) -> str:
    import matplotlib

    months = [r.month for r in t.monthly]
    new = [lt.new_by_month.get(m, 0) for m in months]
    ns = [r.counts["artifact"] + r.counts["symbolic"] for r in t.monthly]
    shares = [float("nan") if r.share is None else 100 * r.share for r in t.monthly]
    lo, hi = [], []
    for r, n in zip(t.monthly, ns, strict=True):
        ci = wilson_interval(r.counts["artifact"], n)
        share = 0.0 if r.share is None else 100 * r.share
        lo.append(0.0 if ci is None else share - 100 * ci[0])
        hi.append(0.0 if ci is None else 100 * ci[1] - share)
    rolling = []
    for i in range(len(t.monthly)):
        window = t.monthly[max(0, i - 2) : i + 1]
        ra = sum(r.counts["artifact"] for r in window)
        rs = sum(r.counts["symbolic"] for r in window)
        rolling.append(float("nan") if ra + rs == 0 else 100 * ra / (ra + rs))
    x = list(range(len(months)))
    rc = {**_RC, "font.size": 11 if narrow else 10}
    with matplotlib.rc_context(rc):
        fig = _figure(3.7, 5.2) if narrow else _figure(10, 5.4)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
        top.bar(x, new, color=STATUS_COLOURS["artifact"], width=0.72, label="New outputs")
        _style(top)
        top.set_ylabel("Outputs launched" if narrow else "Distinct outputs first launched")
        top.yaxis.get_major_locator().set_params(integer=True)
        top.set_ylim(0, max(max(new, default=0), 1) * 1.15 + 0.3)
        dated = [i for i, n in enumerate(ns) if n]
        sizes = [12 + 10 * min(ns[i], 10) for i in dated]
        bottom.errorbar(
            [x[i] for i in dated],
            [shares[i] for i in dated],
            yerr=[[lo[i] for i in dated], [hi[i] for i in dated]],
            fmt="none",
            ecolor=STATUS_COLOURS["artifact"],
            alpha=0.3,
            linewidth=1,
        )
        bottom.scatter(
            [x[i] for i in dated],
            [shares[i] for i in dated],
            s=sizes,
            color=STATUS_COLOURS["artifact"],
            alpha=0.55,
            linewidths=0,
        )
        bottom.plot(x, rolling, color=STATUS_COLOURS["artifact"], linewidth=2.2)
        overall = 100 * t.status["artifact"] / t.naio if t.naio else 0.0
        bottom.axhline(overall, color=_MUTED, linewidth=1, linestyle=(0, (4, 3)))
        if not narrow:
            bottom.annotate(
                f"overall {overall:.0f}%",
                xy=(1.0, overall),
                xycoords=("axes fraction", "data"),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=10,
                color=_MUTED,
            )
        bottom.set_ylim(-8, 108)
        bottom.set_yticks([0, 50, 100], ["0%", "50%", "100%"])
        bottom.set_ylabel("Artifact share")
        _style(bottom)
        ticks, labels = _month_ticks(months, narrow=narrow)
        bottom.set_xticks(ticks, labels)
        bottom.set_xlim(-0.6, len(months) - 0.4)
        if not narrow:
            bottom.set_xlabel("Month (publication date; fetch date when unknown)")
        return _svg(
            fig,
            "Distinct outputs by month of first launch, and the artifact share of reports",
            min_font_pt=rc["font.size"],
        )


def _hbar_height(n: int) -> float:
    return 0.9 + 0.42 * n


def _chart_types(t: _Tables, *, narrow: bool = False) -> str:
    import matplotlib

    kinds = sorted(ARTIFACT_TYPES, key=lambda x: (t.by_type[x], x))
    counts = [t.by_type[x] for x in kinds]
    font = 11 if narrow else 10
    with matplotlib.rc_context({**_RC, "font.size": font}):
        fig = _figure(3.7 if narrow else 5.2, _hbar_height(len(DOMAINS)) + 0.35)
        ax = fig.subplots()
        ax.barh(
            [_display(x, TYPE_NAMES) for x in kinds],
            counts,
            color=[_type_colour(x) for x in kinds],
            height=0.66,
        )
        for i, c in enumerate(counts):
            ax.annotate(
                str(c),
                (c, i),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=font - 1,
            )
        _style(ax, grid_axis="x")
        ax.set_xlabel("Artifacts")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlim(0, max(max(counts, default=0), 1) * 1.15)
        return _svg(fig, "Artifacts by type", min_font_pt=font - 1)


def _stacked_hbar(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int]]],
    *,
    xlabel: str,
    aria: str,
    notes: Sequence[str] | None = None,
    width: float = 5.2,
    narrow: bool = False,
) -> str:
    import matplotlib

    font = 11 if narrow else 10
    with matplotlib.rc_context({**_RC, "font.size": font}):
        height = _hbar_height(len(labels)) + 0.35
        if narrow:  # a phone: room for the legend above, labels cut short
            height = max(height + 0.4, 2.6)
            labels = [x if len(x) <= 22 else x[:21] + "…" for x in labels]
        fig = _figure(3.7 if narrow else width, height)
        ax = fig.subplots()
        left = [0] * len(labels)
        for name, colour, values in series:
            ax.barh(labels, values, left=left, color=colour, height=0.66, label=name)
            left = [a + b for a, b in zip(left, values, strict=True)]
        if notes:
            for i, (end, note) in enumerate(zip(left, notes, strict=True)):
                ax.annotate(
                    note,
                    (end, i),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=font - 1,
                    color=_MUTED,
                )
        _style(ax, grid_axis="x")
        ax.set_xlabel(xlabel)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlim(0, max(max(left, default=0), 1) * (1.3 if notes else 1.05))
        ax.legend(
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            frameon=False,
            ncols=len(series),
            fontsize=font - 1,
        )
        return _svg(fig, aria, min_font_pt=font - 1)


def _chart_domains(t: _Tables, *, narrow: bool = False) -> str:
    doms = sorted(
        DOMAINS,
        key=lambda d: (t.by_domain[d]["artifact"], t.by_domain[d]["symbolic"], d),
    )
    notes = []
    for d in doms:
        s = _share(t.by_domain[d]["artifact"], t.by_domain[d]["symbolic"])
        notes.append("" if s is None else f"{_pct(s)} artifacts")
    return _stacked_hbar(
        [_display(d, DOMAIN_NAMES) for d in doms],
        [
            (_STATUS_NAMES[s], STATUS_COLOURS[s], [t.by_domain[d][s] for d in doms])
            for s in ("artifact", "symbolic")
        ],
        xlabel="NAIO-related documents",
        aria="Artifacts and symbolic mentions by working-group domain",
        notes=notes,
        narrow=narrow,
    )


def _chart_sources(t: _Tables, *, narrow: bool = False) -> str:
    items = list(reversed(_sources_sorted(t)))
    return _stacked_hbar(
        [src for src, _ in items],
        [(_STATUS_NAMES[s], STATUS_COLOURS[s], [c[s] for _, c in items]) for s in STATUSES],
        xlabel="Documents",
        aria="Documents per source by status",
        width=10,
        narrow=narrow,
    )


# --------------------------------------------------------------------------- HTML


@cache
def _environment() -> Any:
    """The Jinja2 environment over the package's templates, autoescaping HTML."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("naio_nlp", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _safe_href(url: str | None) -> str | None:
    if url and re.match(r"https?://", url.strip(), flags=re.IGNORECASE):
        return url.strip()
    return None


def _is_loopback(url: str | None) -> bool:
    """Whether ``url`` points at this machine (the demo's site, a test server).

    Such a link is dead once that server stops, so the report says so and
    leaves the stored text copy as the link that keeps working.
    """
    if not url:
        return False
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".")
        if host == "localhost" or host.endswith(".localhost"):
            return True
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a malformed URL ("http://[::1") or a host that is a name
        return False


def _type_view(kind: str) -> dict[str, str]:
    return {
        "name": _display(kind, TYPE_NAMES),
        "colour": _type_colour(kind),
        "description": ARTIFACT_TYPES[kind].description if kind in ARTIFACT_TYPES else "",
    }


def _domain_views(domains: Sequence[str]) -> list[dict[str, str]]:
    return [
        {
            "name": _display(d, DOMAIN_NAMES),
            "description": DOMAINS[d].description if d in DOMAINS else "",
        }
        for d in domains
    ]


def _flatten(info: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in info.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.extend(_flatten(value, f"{name}."))
        elif isinstance(value, float):
            out.append((name, f"{value:.3f}"))
        elif isinstance(value, list | tuple):
            out.append((name, ", ".join(str(v) for v in value)))
        else:
            out.append((name, "" if value is None else str(value)))
    return out


def _model_view(t: _Tables, model_info: Mapping[str, Any] | None) -> dict[str, Any]:
    rows = _flatten(model_info or {})
    if t.model_versions and not any(k in ("version", "model_version") for k, _ in rows):
        noun = "model version" if len(t.model_versions) == 1 else "model versions"
        rows.append((f"{noun} in the data", ", ".join(t.model_versions)))
    if not rows:
        rows.append(("model", "not recorded"))
    labels = [
        {
            "name": s.capitalize(),
            "colour": STATUS_COLOURS[s],
            "description": STATUSES[s].description,
        }
        for s in STATUSES
    ] + [
        {
            "name": _display(x, TYPE_NAMES),
            "colour": _type_colour(x),
            "description": ARTIFACT_TYPES[x].description,
        }
        for x in ARTIFACT_TYPES
    ]
    return {"rows": rows, "labels": labels}


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EVIDENCE_CHARS else text[: _EVIDENCE_CHARS - 1].rstrip() + "…"


def _doc_view(d: _Doc, copies: Mapping[str, str], led: Ledger) -> dict[str, Any]:
    a, p = d.article, d.prediction
    entry = led.entry_for(a.id)
    return {
        "date": "–" if d.day is None else d.day.isoformat(),
        "fetched": d.basis == "fetched",
        "title": a.title.strip() or a.id,
        "href": _safe_href(a.url),
        "href_local": _is_loopback(a.url),
        "text_href": copies.get(a.id),
        "source": a.source or "",
        "type": None if p.artifact_type is None else _type_view(p.artifact_type),
        "domains": _domain_views(p.domains),
        "confidence": _pct(p.confidence),
        "review": p.needs_review,
        "evidence": _clip(_top_evidence(p)),
        "entry": None if entry is None else entry.artifact_id,
    }


def _ledger_view(lt: _LedgerTables, t: _Tables, copies: Mapping[str, str]) -> dict[str, Any]:
    docs = {d.article.id: d for d in t.docs}
    entries = []
    for e in sorted(
        lt.ledger.entries,
        key=lambda e: (e.launched_on or e.announced_on or date.min, e.artifact_id),
        reverse=True,
    ):
        stages = []
        for rec in e.stages:
            links = []
            for aid in rec.article_ids:
                doc = docs.get(aid)
                report = next(r for r in e.reports if r.article_id == aid)
                links.append(
                    {
                        "title": report.title or aid,
                        "source": report.source or (doc.source if doc else "") or aid,
                        "href": _safe_href(report.url),
                        "href_local": _is_loopback(report.url),
                        "text_href": copies.get(aid),
                    }
                )
            stages.append(
                {
                    "stage": rec.stage,
                    "date": "undated" if rec.date is None else rec.date.isoformat(),
                    "docs": links,
                }
            )
        entries.append(
            {
                "id": e.artifact_id,
                "name": e.name,
                "aliases": "; ".join(e.aliases),
                "type": None if e.artifact_type is None else _type_view(e.artifact_type),
                "domains": _domain_views(e.domains),
                "current": e.current_stage,
                "flags": ", ".join(f.replace("_", " ") for f in e.flags),
                "reports": len(e.reports),
                "stages": stages,
            }
        )
    return {
        "n": len(lt.ledger),
        "entries": entries,
        "flagged": sum(bool(e.flags) for e in lt.ledger.entries),
        "conversion_text": _conversion_sentences(lt),
        "conversion_limits": _CONVERSION_LIMITS,
    }


def _chart_pair(draw: Any, *args: Any) -> dict[str, Markup]:
    """A chart drawn twice: wide for screens, narrow for phones (text stays >= 10 px)."""
    return {"wide": Markup(draw(*args, narrow=False)), "narrow": Markup(draw(*args, narrow=True))}


def _write_copies(t: _Tables, out_dir: Path) -> dict[str, str]:
    """Each document's text as a UTF-8 file beside the report; article id -> relative path.

    The report's links to sources then survive the source (or the demo's
    loopback server) going away.
    """
    folder = out_dir / COPIES_DIR
    folder.mkdir(exist_ok=True)
    copies: dict[str, str] = {}
    for d in t.docs:
        a = d.article
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", a.id)[:60]
        name = f"{safe}-{hashlib.sha256(a.id.encode()).hexdigest()[:8]}.txt"
        head = [a.title, "", f"id: {a.id}"]
        if a.url:
            head.append(f"url: {a.url}")
        if a.source:
            head.append(f"source: {a.source}")
        if d.day is not None:
            head.append(f"date: {d.day.isoformat()} ({d.basis})")
        (folder / name).write_text("\n".join(head) + "\n\n" + a.text + "\n", encoding="utf-8")
        copies[a.id] = f"{COPIES_DIR}/{name}"
    return copies


def _page(
    title: str,
    t: _Tables,
    lt: _LedgerTables,
    model_info: Mapping[str, Any] | None,
    headline: list[str],
    copies: Mapping[str, str],
) -> str:
    generated = datetime.now(UTC).strftime("%d %b %Y, %H:%M UTC")
    n_docs = len(t.docs)
    meta = (
        f"Generated {generated} by naio-nlp {__version__} from {n_docs} classified "
        f"document{'s' if n_docs != 1 else ''}"
    )
    if t.model_versions:
        meta += " · model " + ", ".join(t.model_versions)
    ctx: dict[str, Any] = {
        "version": __version__,
        "title": title,
        "meta": meta,
        "empty": not t.docs,
        "model": _model_view(t, model_info),
        "csv_files": CSV_FILES,
        "ledger_files": LEDGER_FILES,
        "copies": COPIES_DIR if copies else None,
    }
    if t.docs:
        ctx.update(_content_view(t, lt, headline, copies))
    html_text: str = _environment().get_template("report.html").render(ctx)
    return html_text


def _content_view(
    t: _Tables, lt: _LedgerTables, headline: list[str], copies: Mapping[str, str]
) -> dict[str, Any]:
    a, s, u = t.status["artifact"], t.status["symbolic"], t.status["unrelated"]
    conv = lt.conversion
    tiles = [
        {"cls": "launched", "n": str(lt.launched), "label": "distinct outputs launched"},
        {
            "cls": "",
            "n": "–" if conv.share is None else _pct(conv.share),
            "label": f"announced → launched ({conv.launched} of {conv.announced})",
        },
        {
            "cls": "",
            "n": "–" if conv.median_days is None else f"{conv.median_days:.0f} d",
            "label": "median announcement → launch",
        },
        {"cls": "artifact", "n": str(a), "label": "artifact reports"},
        {"cls": "symbolic", "n": str(s), "label": "symbolic reports"},
        {"cls": "unrelated", "n": str(u), "label": "unrelated (not in share)"},
    ]
    undated = sum(t.undated.values())
    notes = []
    if undated:
        notes.append(
            f"{undated} document{'s have' if undated != 1 else ' has'} no date and "
            f"{'are' if undated != 1 else 'is'} counted in the “Undated” row only, "
            "not in the chart."
        )
    if t.fetched_basis:
        notes.append(
            f"{t.fetched_basis} document{'s are' if t.fetched_basis != 1 else ' is'} dated by "
            "when it was fetched because no publication date was found."
        )
    small = sum(1 for r in t.monthly if 0 < r.counts["artifact"] + r.counts["symbolic"] <= 3)
    if small:
        notes.append(
            f"{small} month{'s have' if small != 1 else ' has'} only 1–3 NAIO-related documents: "
            "its share is shown with its count and a 95% Wilson interval, and a single "
            "document moves it by a third or more."
        )
    chart = None
    if t.naio and t.monthly:
        chart = _chart_pair(_chart_monthly, t, lt)
    elif not t.monthly:
        notes.insert(0, "No document has a date, so there is no timeline to draw.")
    else:
        notes.insert(0, "No NAIO-related documents yet, so there is no index to draw.")
    rows = []
    for r in reversed(t.monthly):
        rows.append(_month_view(_month_name(r.month), r.counts, lt.new_by_month.get(r.month, 0)))
    if t.undated:
        rows.append(_month_view("Undated", t.undated, lt.new_undated, undated=True))
    over_time = {
        "chart": chart,
        "caption": "Top: distinct outputs by the month of their first launch report. Bottom: "
        "artifact share of NAIO-related reports — a dot per month (larger with more "
        "documents) with its 95% interval, the line a rolling three-month share, the dashed "
        "line the overall share.",
        "notes": notes,
        "rows": rows,
        "open": len(t.monthly) <= 12,
    }
    by_type = [
        {
            **_type_view(x),
            "n": t.by_type[x],
            "share": "–" if not a else _pct(t.by_type[x] / a),
        }
        for x in sorted(ARTIFACT_TYPES, key=lambda x: (-t.by_type[x], x))
    ]
    domain_rows = []
    for d in sorted(DOMAINS, key=lambda d: (-t.by_domain[d]["artifact"], d)):
        c = t.by_domain[d]
        sh = _share(c["artifact"], c["symbolic"])
        domain_rows.append(
            {
                "name": _display(d, DOMAIN_NAMES),
                "description": DOMAINS[d].description,
                "artifact": c["artifact"],
                "symbolic": c["symbolic"],
                "unrelated": c["unrelated"],
                "share": "–" if sh is None else _pct(sh),
            }
        )
    top = max((c for row in t.domain_by_type.values() for c in row.values()), default=0)
    cross_rows = []
    for d in DOMAINS:
        row = t.domain_by_type[d]
        cells = []
        for x in ARTIFACT_TYPES:
            v = row[x]
            alpha = "" if not top or not v else f"{0.10 + 0.5 * v / top:.2f}"
            cells.append({"v": v if v else "·", "alpha": alpha})
        cross_rows.append(
            {
                "name": _display(d, DOMAIN_NAMES),
                "description": DOMAINS[d].description,
                "cells": cells,
                "total": t.by_domain[d]["artifact"],
            }
        )
    types = {
        "types_chart": _chart_pair(_chart_types, t) if a else None,
        "domains_chart": _chart_pair(_chart_domains, t) if t.naio else None,
        "type_rows": by_type,
        "domain_rows": domain_rows,
        "cross_head": [("Domain \\ type", False)]
        + [(_display(x, TYPE_NAMES), True) for x in ARTIFACT_TYPES]
        + [("All artifacts", True)],
        "cross_rows": cross_rows,
    }
    sources = {
        "chart": _chart_pair(_chart_sources, t),
        "rows": [
            {
                "source": src,
                "artifact": c["artifact"],
                "symbolic": c["symbolic"],
                "unrelated": c["unrelated"],
                "total": sum(c.values()),
                "share": "–" if (sh := _share(c["artifact"], c["symbolic"])) is None else _pct(sh),
            }
            for src, c in _sources_sorted(t)
        ],
    }
    symbolic = [
        _doc_view(d, copies, lt.ledger)
        for d in sorted(
            (d for d in t.docs if d.status == "symbolic"),
            key=lambda d: (d.day is not None, d.day or date.min, d.article.title),
            reverse=True,
        )
    ]
    return {
        "headline": headline,
        "tiles": tiles,
        "over_time": over_time,
        "ledger": _ledger_view(lt, t, copies),
        "types": types,
        "sources": sources,
        "artifacts": [_doc_view(d, copies, lt.ledger) for d in t.artifacts],
        "symbolic": symbolic,
    }


def _month_view(
    name: str, counts: Mapping[str, int], new_outputs: int, *, undated: bool = False
) -> dict[str, Any]:
    k, n = counts["artifact"], counts["artifact"] + counts["symbolic"]
    ci = wilson_interval(k, n)
    return {
        "month": name,
        "undated": undated,
        "new_outputs": new_outputs,
        "artifact": k,
        "symbolic": counts["symbolic"],
        "unrelated": counts["unrelated"],
        "n": n,
        "share": "–" if not n else _pct(k / n),
        "ci": "" if ci is None else f"{_pct(ci[0])}–{_pct(ci[1])}",
        "small": 0 < n <= 3,
    }


# --------------------------------------------------------------------------- entry point


def build_report(
    rows: Iterable[tuple[Article, Prediction]],
    *,
    out_dir: Path,
    model_info: Mapping[str, Any] | None = None,
    title: str = DEFAULT_TITLE,
    ledger: Ledger | None = None,
    reviewed: int = 0,
) -> ReportSummary:
    """Write ``out_dir/index.html``, one CSV per table, the ledger and the documents' texts.

    ``reviewed`` is how many of ``rows`` carry a reviewer's labels (see
    :meth:`~naio_nlp.store.Store.reviewed_predictions`); the headline says so.

    ``rows`` are classified documents. ``ledger`` is the artifact ledger of
    those documents (built from ``rows`` when None). ``model_info`` (name,
    version, trained date, test metrics — any mapping, nested mappings are
    flattened) is shown as the report's model table. An empty ``rows`` gives a
    report that says there is nothing yet.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = list(rows)
    t = _tabulate(rows)
    if ledger is None:
        ledger = build(rows)
    lt = _ledger_tables(ledger)
    headline = _headline(t, lt)
    if reviewed:
        headline.append(
            f"{reviewed} of the {len(t.docs)} documents carry labels set by a reviewer "
            "(naio-nlp review) in place of the model's."
        )
    csvs: dict[str, Path] = {}
    for name, (header, body) in _csv_tables(t).items():
        path = out_dir / name
        _write_csv(path, header, body)
        csvs[name] = path
    ledger.write_csv(out_dir / "ledger.csv")
    ledger.write_json(out_dir / "ledger.json")
    copies = _write_copies(t, out_dir) if t.docs else {}
    page = out_dir / "index.html"
    page.write_text(_page(title, t, lt, model_info, headline, copies), encoding="utf-8")
    c = lt.conversion
    return ReportSummary(
        out_dir=out_dir,
        html=page,
        csvs=MappingProxyType(csvs),
        documents=len(t.docs),
        artifacts=t.status["artifact"],
        symbolic=t.status["symbolic"],
        unrelated=t.status["unrelated"],
        undated=sum(t.undated.values()),
        months=len(t.monthly),
        headline=" ".join(headline),
        model_versions=t.model_versions,
        outputs=len(ledger),
        outputs_launched=lt.launched,
        announced=c.announced,
        announced_launched=c.launched,
        median_lag_days=c.median_days,
        reviewed=reviewed,
    )
