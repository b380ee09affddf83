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
import html
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from ._version import __version__
from .labels import ARTIFACT_TYPES, DOMAINS, STATUSES
from .schema import Article, Prediction

__all__ = [
    "CSV_FILES",
    "DOMAIN_NAMES",
    "STATUS_COLOURS",
    "TYPE_COLOURS",
    "TYPE_NAMES",
    "ReportSummary",
    "build_report",
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


def _headline(t: _Tables) -> list[str]:
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
    sentences = [first + "."]
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
            sentences.append(
                f"In the latest {_RECENT_MONTHS} months ({_month_name(recent[0].month)} – "
                f"{_month_name(recent[-1].month)}) the artifact share was {_pct(now)}, "
                f"{trend} {_pct(before)} before."
            )
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


def _svg(fig: Any, label: str) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    svg = text[text.index("<svg") :]
    svg = re.sub(r'<svg\s+width="[^"]*"\s+height="[^"]*"', "<svg", svg, count=1)
    return svg.replace(
        "<svg", f'<svg role="img" aria-label="{html.escape(label)}" class="chart"', 1
    )


def _figure(width: float, height: float) -> Any:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _month_ticks(months: Sequence[str]) -> tuple[list[int], list[str]]:
    step = 1 if len(months) <= 24 else 3 if len(months) <= 60 else 12
    ticks, labels = [], []
    for i, m in enumerate(months):
        if i % step and not m.endswith("-01"):
            continue
        name = date(int(m[:4]), int(m[5:]), 1).strftime("%b")
        ticks.append(i)
        labels.append(f"{name}\n{m[:4]}" if i == 0 or m.endswith("-01") else name)
    return ticks, labels


def _chart_monthly(t: _Tables) -> str:
    import matplotlib

    months = [r.month for r in t.monthly]
    art = [r.counts["artifact"] for r in t.monthly]
    sym = [r.counts["symbolic"] for r in t.monthly]
    shares = [float("nan") if r.share is None else 100 * r.share for r in t.monthly]
    rolling = []
    for i in range(len(t.monthly)):
        window = t.monthly[max(0, i - 2) : i + 1]
        ra = sum(r.counts["artifact"] for r in window)
        rs = sum(r.counts["symbolic"] for r in window)
        rolling.append(float("nan") if ra + rs == 0 else 100 * ra / (ra + rs))
    x = list(range(len(months)))
    with matplotlib.rc_context(_RC):
        fig = _figure(10, 5.4)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1.7])
        top.bar(x, art, color=STATUS_COLOURS["artifact"], width=0.72, label="Artifacts")
        top.bar(x, sym, bottom=art, color=STATUS_COLOURS["symbolic"], width=0.72, label="Symbolic")
        _style(top)
        top.set_ylabel("NAIO-related documents")
        top.yaxis.get_major_locator().set_params(integer=True)
        top.set_ylim(0, max(a + b for a, b in zip(art, sym, strict=True)) * 1.12 + 0.5)
        top.legend(loc="upper left", frameon=False, ncols=2)
        bottom.plot(
            x,
            shares,
            color=STATUS_COLOURS["artifact"],
            marker="o",
            markersize=3.5,
            linewidth=0,
            alpha=0.45,
            label="month",
        )
        bottom.plot(
            x, rolling, color=STATUS_COLOURS["artifact"], linewidth=2.2, label="3-month rolling"
        )
        overall = 100 * t.status["artifact"] / t.naio if t.naio else 0.0
        bottom.axhline(overall, color=_MUTED, linewidth=1, linestyle=(0, (4, 3)))
        bottom.annotate(
            f"overall {overall:.0f}%",
            xy=(1.0, overall),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=_MUTED,
        )
        bottom.set_ylim(-8, 108)
        bottom.set_yticks([0, 50, 100], ["0%", "50%", "100%"])
        bottom.set_ylabel("Artifact share")
        _style(bottom)
        ticks, labels = _month_ticks(months)
        bottom.set_xticks(ticks, labels)
        bottom.set_xlim(-0.6, len(months) - 0.4)
        bottom.set_xlabel("Month (publication date; fetch date when unknown)")
        return _svg(fig, "Artifacts and symbolic mentions per month, and the artifact share")


def _hbar_height(n: int) -> float:
    return 0.9 + 0.42 * n


def _chart_types(t: _Tables) -> str:
    import matplotlib

    kinds = sorted(ARTIFACT_TYPES, key=lambda x: (t.by_type[x], x))
    counts = [t.by_type[x] for x in kinds]
    with matplotlib.rc_context(_RC):
        fig = _figure(5.2, _hbar_height(len(DOMAINS)) + 0.35)
        ax = fig.subplots()
        ax.barh(
            [_display(x, TYPE_NAMES) for x in kinds],
            counts,
            color=[_type_colour(x) for x in kinds],
            height=0.66,
        )
        for i, c in enumerate(counts):
            ax.annotate(
                str(c), (c, i), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9
            )
        _style(ax, grid_axis="x")
        ax.set_xlabel("Artifacts")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlim(0, max(max(counts, default=0), 1) * 1.15)
        return _svg(fig, "Artifacts by type")


def _stacked_hbar(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int]]],
    *,
    xlabel: str,
    aria: str,
    notes: Sequence[str] | None = None,
    width: float = 5.2,
) -> str:
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = _figure(width, _hbar_height(len(labels)) + 0.35)
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
                    fontsize=8.5,
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
            fontsize=9,
        )
        return _svg(fig, aria)


def _chart_domains(t: _Tables) -> str:
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
    )


def _chart_sources(t: _Tables) -> str:
    items = list(reversed(_sources_sorted(t)))
    return _stacked_hbar(
        [src for src, _ in items],
        [(_STATUS_NAMES[s], STATUS_COLOURS[s], [c[s] for _, c in items]) for s in STATUSES],
        xlabel="Documents",
        aria="Documents per source by status",
        width=10,
    )


# --------------------------------------------------------------------------- HTML

_CSS: Final = """
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#e4e7eb;--bg:#f5f6f8;--card:#fff;
--artifact:#0f766e;--symbolic:#d97706;--unrelated:#a8a29e}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",
Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:40px 24px 72px}
header .kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;font-weight:600;
color:var(--artifact);margin:0}
h1{font-size:32px;line-height:1.2;margin:4px 0 6px;letter-spacing:-.01em}
h2{font-size:21px;margin:0 0 4px}
h3{font-size:15px;margin:18px 0 6px;color:var(--muted)}
.meta{color:var(--muted);font-size:14px;margin:0}
.lede{font-size:20px;line-height:1.5;background:var(--card);border:1px solid var(--line);
border-left:5px solid var(--artifact);border-radius:8px;padding:18px 22px;margin:24px 0 16px}
.lede p{margin:0}.lede p+p{margin-top:8px;font-size:17px;color:#3e4c59}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:0}
.tile{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.tile .n{display:block;font-size:30px;font-weight:700;line-height:1.1;
font-variant-numeric:tabular-nums}
.tile .l{display:block;font-size:13px;color:var(--muted)}
.tile.artifact .n{color:var(--artifact)}.tile.symbolic .n{color:var(--symbolic)}
.tile.unrelated .n{color:#78716c}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;
padding:22px 26px;margin-top:22px}
section>p.note,.note{color:var(--muted);font-size:14px;margin:4px 0 12px}
figure{margin:12px 0}
figure svg.chart{display:block;width:100%;height:auto}
figcaption{color:var(--muted);font-size:13px;margin-top:4px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:20px}
@media (max-width:820px){.grid2{grid-template-columns:1fr}}
.scroll{overflow-x:auto}
table.domain-by-type th{white-space:normal;vertical-align:bottom;min-width:5.5em}
table{border-collapse:collapse;width:100%;font-size:14px}
th{text-align:left;font-weight:600;color:var(--muted);border-bottom:2px solid var(--line);
padding:6px 8px;white-space:nowrap;font-size:13px}
td{padding:7px 8px;border-top:1px solid var(--line);vertical-align:top}
tbody tr:first-child td{border-top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.date{white-space:nowrap;font-variant-numeric:tabular-nums}
td.ev{color:#3e4c59;font-size:13px;width:38%}
td.title{width:30%}
.src{color:var(--muted);font-size:12px;margin-top:2px}
.doms{margin-top:4px}
td .flag{margin-top:4px}
td:first-child{white-space:nowrap}
table.model th{white-space:normal;width:32%;border-bottom:0;border-top:1px solid var(--line);
font-size:14px;padding:7px 8px}
table.model tr:first-child th{border-top:0}
code{white-space:nowrap}
tr.undated td{color:var(--muted);font-style:italic}
a{color:#1d4ed8;text-decoration:none}a:hover{text-decoration:underline}
.chip{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;
color:#fff;white-space:nowrap}
.dom{display:inline-block;padding:0 7px;margin:1px 2px 1px 0;border-radius:4px;font-size:12px;
background:#eef2f6;color:#3e4c59;white-space:nowrap}
.flag{display:inline-block;padding:0 7px;border-radius:4px;font-size:12px;font-weight:600;
background:#fef3c7;color:#92400e}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:0}
details summary{cursor:pointer;color:#1d4ed8;font-size:14px;margin:8px 0}
dl.labels{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;font-size:14px;
margin:8px 0}
dl.labels dt{font-weight:600}dl.labels dd{margin:0;color:#3e4c59}
.empty{text-align:center;padding:48px 24px}
.empty h2{font-size:26px}
.empty p{color:var(--muted);max-width:560px;margin:8px auto}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em;
background:#eef2f6;padding:1px 5px;border-radius:4px}
footer{color:var(--muted);font-size:13px;margin-top:28px}
footer a{margin-right:10px}
"""

_e = html.escape


def _num(x: object) -> str:
    return f'<td class="num">{_e(str(x))}</td>'


def _share_cell(x: float | None) -> str:
    return _num("–" if x is None else _pct(x))


def _safe_href(url: str | None) -> str | None:
    if url and re.match(r"https?://", url.strip(), flags=re.IGNORECASE):
        return url.strip()
    return None


def _type_chip(kind: str) -> str:
    return (
        f'<span class="chip" style="background:{_type_colour(kind)}" '
        f'title="{_e(ARTIFACT_TYPES[kind].description) if kind in ARTIFACT_TYPES else ""}">'
        f"{_e(_display(kind, TYPE_NAMES))}</span>"
    )


def _domain_tags(domains: Sequence[str]) -> str:
    return "".join(
        f'<span class="dom" title="{_e(DOMAINS[d].description)}">'
        f"{_e(_display(d, DOMAIN_NAMES))}</span>"
        for d in domains
    )


def _swatch(colour: str) -> str:
    return f'<span class="swatch" style="background:{colour}"></span>'


def _table(head: Sequence[tuple[str, bool]], body: Iterable[str], *, cls: str = "") -> str:
    ths = "".join(
        f'<th class="num">{_e(h)}</th>' if num else f"<th>{_e(h)}</th>" for h, num in head
    )
    rows = "\n".join(body)
    return (
        f'<div class="scroll"><table class="{cls}"><thead><tr>{ths}</tr></thead>'
        f"<tbody>\n{rows}\n</tbody></table></div>"
    )


def _monthly_table(t: _Tables) -> str:
    body = []
    for r in reversed(t.monthly):
        c = r.counts
        body.append(
            f'<tr><td class="date">{_e(_month_name(r.month))}</td>{_num(c["artifact"])}'
            f"{_num(c['symbolic'])}{_share_cell(r.share)}{_num(c['unrelated'])}</tr>"
        )
    if t.undated:
        u = t.undated
        body.append(
            f'<tr class="undated"><td>Undated</td>{_num(u["artifact"])}{_num(u["symbolic"])}'
            f"{_share_cell(_share(u['artifact'], u['symbolic']))}{_num(u['unrelated'])}</tr>"
        )
    return _table(
        [
            ("Month", False),
            ("Artifacts", True),
            ("Symbolic", True),
            ("Artifact share", True),
            ("Unrelated", True),
        ],
        body,
        cls="monthly",
    )


def _type_table(t: _Tables) -> str:
    a = t.status["artifact"]
    body = [
        f'<tr><td>{_swatch(_type_colour(x))}<span title="{_e(ARTIFACT_TYPES[x].description)}">'
        f"{_e(_display(x, TYPE_NAMES))}</span></td>{_num(t.by_type[x])}"
        f"{_share_cell(t.by_type[x] / a if a else None)}</tr>"
        for x in sorted(ARTIFACT_TYPES, key=lambda x: (-t.by_type[x], x))
    ]
    return _table([("Type", False), ("Artifacts", True), ("Share", True)], body, cls="by-type")


def _domain_table(t: _Tables) -> str:
    body = []
    for d in sorted(DOMAINS, key=lambda d: (-t.by_domain[d]["artifact"], d)):
        c = t.by_domain[d]
        body.append(
            f'<tr><td title="{_e(DOMAINS[d].description)}">{_e(_display(d, DOMAIN_NAMES))}</td>'
            f"{_num(c['artifact'])}{_num(c['symbolic'])}"
            f"{_share_cell(_share(c['artifact'], c['symbolic']))}{_num(c['unrelated'])}</tr>"
        )
    return _table(
        [
            ("Domain", False),
            ("Artifacts", True),
            ("Symbolic", True),
            ("Artifact share", True),
            ("Unrelated", True),
        ],
        body,
        cls="by-domain",
    )


def _cross_table(t: _Tables) -> str:
    top = max((c for row in t.domain_by_type.values() for c in row.values()), default=0)
    kinds = list(ARTIFACT_TYPES)
    head = [("Domain \\ type", False)] + [(_display(x, TYPE_NAMES), True) for x in kinds]
    head.append(("All artifacts", True))
    body = []
    for d in DOMAINS:
        row = t.domain_by_type[d]
        cells = []
        for x in kinds:
            v = row[x]
            alpha = 0.0 if not top or not v else 0.10 + 0.5 * v / top
            style = f' style="background:rgba(15,118,110,{alpha:.2f})"' if v else ""
            cells.append(f'<td class="num"{style}>{v if v else "·"}</td>')
        body.append(
            f'<tr><td title="{_e(DOMAINS[d].description)}">{_e(_display(d, DOMAIN_NAMES))}</td>'
            + "".join(cells)
            + _num(t.by_domain[d]["artifact"])
            + "</tr>"
        )
    return _table(head, body, cls="domain-by-type")


def _source_table(t: _Tables) -> str:
    body = [
        f"<tr><td>{_e(src)}</td>{_num(c['artifact'])}{_num(c['symbolic'])}{_num(c['unrelated'])}"
        f"{_num(sum(c.values()))}{_share_cell(_share(c['artifact'], c['symbolic']))}</tr>"
        for src, c in _sources_sorted(t)
    ]
    return _table(
        [
            ("Source", False),
            ("Artifacts", True),
            ("Symbolic", True),
            ("Unrelated", True),
            ("Total", True),
            ("Artifact share", True),
        ],
        body,
        cls="by-source",
    )


def _artifact_table(t: _Tables) -> str:
    body = []
    for d in t.artifacts:
        a, p = d.article, d.prediction
        title = a.title.strip() or a.id
        href = _safe_href(a.url)
        link = f'<a href="{_e(href)}" rel="noopener">{_e(title)}</a>' if href else _e(title)
        source = f'<div class="src">{_e(a.source)}</div>' if a.source else ""
        when = "–" if d.day is None else d.day.isoformat()
        if d.basis == "fetched":
            when += '<div class="src" title="no publication date was found">fetched</div>'
        ev = _top_evidence(p)
        if len(ev) > _EVIDENCE_CHARS:
            ev = ev[: _EVIDENCE_CHARS - 1].rstrip() + "…"
        review = '<div><span class="flag">review</span></div>' if p.needs_review else ""
        body.append(
            f'<tr><td class="date">{when}</td><td class="title">{link}{source}</td>'
            f"<td>{_type_chip(p.artifact_type or '')}"
            f'<div class="doms">{_domain_tags(p.domains)}</div></td>'
            f'<td class="num">{_pct(p.confidence)}{review}</td><td class="ev">{_e(ev)}</td></tr>'
        )
    return _table(
        [
            ("Date", False),
            ("Title", False),
            ("Type · domains", False),
            ("Confidence", True),
            ("Top evidence", False),
        ],
        body,
        cls="artifacts",
    )


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


def _model_section(t: _Tables, model_info: Mapping[str, Any] | None) -> str:
    rows = _flatten(model_info or {})
    if t.model_versions and not any(k in ("version", "model_version") for k, _ in rows):
        rows.append(("model version(s) in the data", ", ".join(t.model_versions)))
    if not rows:
        rows.append(("model", "not recorded"))
    body = [f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in rows]
    table = f'<div class="scroll"><table class="model"><tbody>{"".join(body)}</tbody></table></div>'
    labels = "".join(
        f"<dt>{_swatch(STATUS_COLOURS[s])}{_e(s.capitalize())}</dt>"
        f"<dd>{_e(STATUSES[s].description)}</dd>"
        for s in STATUSES
    ) + "".join(
        f"<dt>{_swatch(_type_colour(x))}{_e(_display(x, TYPE_NAMES))}</dt>"
        f"<dd>{_e(ARTIFACT_TYPES[x].description)}</dd>"
        for x in ARTIFACT_TYPES
    )
    return (
        '<section id="model"><h2>The model behind the labels</h2>'
        '<p class="note">Every document was labelled by a classifier; the figures above are '
        "its labels, not a person's. Rows flagged <em>review</em> were close calls.</p>"
        f'{table}<h3>What the labels mean</h3><dl class="labels">{labels}</dl></section>'
    )


def _figure_html(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>"


def _page(title: str, t: _Tables, model_info: Mapping[str, Any] | None, headline: list[str]) -> str:
    generated = datetime.now(UTC).strftime("%d %b %Y, %H:%M UTC")
    n_docs = len(t.docs)
    meta = (
        f"Generated {generated} by naio-nlp {__version__} from {n_docs} classified "
        f"document{'s' if n_docs != 1 else ''}"
    )
    if t.model_versions:
        meta += " · model " + ", ".join(t.model_versions)
    lede = "".join(f"<p>{_e(s)}</p>" for s in headline)
    parts = [
        "<header>",
        '<p class="kicker">Malaysia · National AI Office</p>',
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(meta)}</p>',
        "</header>",
    ]
    if not t.docs:
        parts.append(
            '<section class="empty" id="nothing-yet"><h2>Nothing to report yet</h2>'
            "<p>No classified documents were found, so there are no counts, charts or "
            "artifacts to show.</p><p>Collect and classify some announcements first — for "
            "example <code>naio-nlp run --demo</code> — then build the report again.</p>"
            "</section>"
        )
        parts.append(_model_section(t, model_info))
        return _wrap(title, "\n".join(parts))

    a, s, u = t.status["artifact"], t.status["symbolic"], t.status["unrelated"]
    undated = sum(t.undated.values())
    parts.append(f'<div class="lede" id="headline">{lede}</div>')
    tiles = [
        ("", t.naio, "NAIO-related documents"),
        ("artifact", a, "execution artifacts"),
        ("symbolic", s, "symbolic mentions"),
        ("", "–" if not t.naio else _pct(a / t.naio), "artifact share"),
        ("unrelated", u, "unrelated (not in share)"),
    ]
    parts.append(
        '<div class="tiles">'
        + "".join(
            f'<div class="tile {cls}"><span class="n">{_e(str(n))}</span>'
            f'<span class="l">{_e(label)}</span></div>'
            for cls, n, label in tiles
        )
        + "</div>"
    )

    # 1. execution index over time
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
    sec = ['<section id="over-time"><h2>Execution index over time</h2>']
    sec.append(
        '<p class="note">Artifacts against symbolic mentions of NAIO per month, and the share '
        "of NAIO-related documents that report an execution artifact. Unrelated documents "
        "are not part of the share.</p>"
    )
    if t.naio and t.monthly:
        sec.append(
            _figure_html(
                _chart_monthly(t),
                "Top: NAIO-related documents per month. Bottom: artifact share — a dot per "
                "month, the line a rolling three-month share, the dashed line the overall share.",
            )
        )
    elif not t.monthly:
        sec.append('<p class="note">No document has a date, so there is no timeline to draw.</p>')
    else:
        sec.append(
            '<p class="note">No NAIO-related documents yet, so there is no index to draw.</p>'
        )
    sec.extend(f'<p class="note">{_e(n)}</p>' for n in notes)
    sec.append("<details><summary>Monthly table</summary>")
    sec.append(_monthly_table(t))
    sec.append("</details></section>")
    parts.append("".join(sec))

    # 2. types and domains
    sec = ['<section id="types-domains"><h2>What kind of artifacts, in which domains</h2>']
    sec.append(
        '<p class="note">Artifact types follow the codebook; domains are NAIO\'s seven '
        "working groups. A document can cover several domains.</p>"
    )
    if a:
        sec.append('<div class="grid2">')
        sec.append(
            _figure_html(_chart_types(t), "Artifacts by type.")
            + _figure_html(
                _chart_domains(t),
                "NAIO-related documents by working-group domain; label: share that are artifacts.",
            )
        )
        sec.append("</div>")
    elif t.naio:
        sec.append(
            _figure_html(_chart_domains(t), "NAIO-related documents by working-group domain.")
        )
        sec.append('<p class="note">No artifacts yet, so there are no types to count.</p>')
    sec.append('<div class="grid2"><div><h3>By type</h3>')
    sec.append(_type_table(t))
    sec.append("</div><div><h3>By domain</h3>")
    sec.append(_domain_table(t))
    sec.append("</div></div><h3>Artifacts: domain × type</h3>")
    sec.append(_cross_table(t))
    sec.append("</section>")
    parts.append("".join(sec))

    # 3. sources
    sec = ['<section id="sources"><h2>Where the documents come from</h2>']
    sec.append(_figure_html(_chart_sources(t), "Documents per source, by status."))
    sec.append(_source_table(t))
    sec.append("</section>")
    parts.append("".join(sec))

    # 4. artifacts
    sec = [f'<section id="artifacts"><h2>The artifacts, newest first ({a})</h2>']
    if a:
        sec.append(
            '<p class="note">Each row is a document the classifier labelled an execution '
            "artifact, with the sentence that weighed most in that decision.</p>"
        )
        sec.append(_artifact_table(t))
    else:
        sec.append('<p class="note">No document has been labelled an artifact yet.</p>')
    sec.append("</section>")
    parts.append("".join(sec))

    parts.append(_model_section(t, model_info))
    return _wrap(title, "\n".join(parts))


def _wrap(title: str, body: str) -> str:
    links = "".join(f'<a href="{name}">{name}</a>' for name in CSV_FILES)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="naio-nlp {__version__}">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n"
        f"<body><main>\n{body}\n"
        f"<footer>The tables as CSV: {links}</footer>\n</main></body></html>\n"
    )


# --------------------------------------------------------------------------- entry point


def build_report(
    rows: Iterable[tuple[Article, Prediction]],
    *,
    out_dir: Path,
    model_info: Mapping[str, Any] | None = None,
    title: str = DEFAULT_TITLE,
) -> ReportSummary:
    """Write ``out_dir/index.html`` and one CSV per table; return what was written.

    ``rows`` are classified documents. ``model_info`` (name, version, trained
    date, test metrics — any mapping, nested mappings are flattened) is shown
    as the report's model table. An empty ``rows`` gives a report that says
    there is nothing yet.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    t = _tabulate(rows)
    headline = _headline(t)
    csvs: dict[str, Path] = {}
    for name, (header, body) in _csv_tables(t).items():
        path = out_dir / name
        _write_csv(path, header, body)
        csvs[name] = path
    page = out_dir / "index.html"
    page.write_text(_page(title, t, model_info, headline), encoding="utf-8")
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
    )
