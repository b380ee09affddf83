"""The labelled corpus: reading, validating, describing and splitting it.

A corpus is JSONL, one labelled document a line (see ``corpus/CODEBOOK.md``).
Validation collects *every* problem with its file, line and field rather than
stopping at the first, because annotators fix files in batches.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ._text import json_problem
from .errors import CorpusError
from .labels import ARTIFACT_TYPES, DOMAINS, LANGUAGES, STATUSES

__all__ = [
    "GENRES",
    "MINIMUMS",
    "CorpusRecord",
    "DomainRationale",
    "NearDuplicate",
    "Rationale",
    "ValidationReport",
    "agreement",
    "corpus_files",
    "corpus_hash",
    "corpus_stats",
    "find_near_duplicates",
    "read_corpus",
    "record_from_mapping",
    "split_corpus",
    "validate_corpus",
]

GENRES = (
    "press_release",
    "news",
    "op_ed",
    "speech",
    "event_recap",
    "grant_notice",
    "social_post",
    "analysis",
    "interview",
    "newsletter",
    "parliamentary_reply",
)
REQUIRED = ("id", "title", "text", "lang", "genre", "status", "artifact_type", "domains")
OPTIONAL = (
    "date",
    "source",
    "url",
    "rationale",
    "domain_rationale",
    "patterns",
    "pair_of",
    "provenance",
)
#: What ``provenance`` may hold: where a reviewed record came from (``corpus add-reviewed``).
PROVENANCE = ("url", "reviewer", "reviewed_at", "model_version", "model_labels", "note")
#: The codebook's three tests, as rationale spans name them.
TESTS = ("O", "S", "R")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: The minimums the corpus issue sets; ``corpus stats`` checks them.
MINIMUMS: dict[str, int] = {
    "documents": 800,
    "status": 200,
    "artifact_type": 45,
    "domain": 100,
    "malay_share_pct": 30,
}


@dataclass(frozen=True, slots=True)
class Rationale:
    """A span of the body that carries (``holds``) or fails one of the tests O, S, R."""

    test: str
    holds: bool
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DomainRationale:
    """A span of the body that treats a domain substantively (codebook R4)."""

    domain: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CorpusRecord:
    """One labelled document; ``rationale`` spans are offsets into ``text``."""

    id: str
    title: str
    text: str
    lang: str
    genre: str
    status: str
    artifact_type: str | None
    domains: tuple[str, ...]
    date: str | None = None
    source: str | None = None
    path: str = ""
    line: int = 0
    provenance: dict[str, Any] | None = None
    url: str | None = None
    rationale: tuple[Rationale, ...] = ()
    domain_rationale: tuple[DomainRationale, ...] = ()
    patterns: tuple[str, ...] = ()
    pair_of: str | None = None

    @property
    def group(self) -> str:
        """The writing batch (id prefix before the first ``-``), for group-wise CV."""
        return self.id.split("-", 1)[0]

    @property
    def n_words(self) -> int:
        return len(self.text.split())

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "lang": self.lang,
            "genre": self.genre,
            "date": self.date,
            "source": self.source,
            "status": self.status,
            "artifact_type": self.artifact_type,
            "domains": list(self.domains),
            **self._annotations(),
        }
        if self.provenance is not None:  # only reviewed records: other hashes stay as they were
            d["provenance"] = self.provenance
        return d

    def _annotations(self) -> dict[str, Any]:
        """The optional annotation fields, only when present (older records hash as before)."""
        out: dict[str, Any] = {}
        if self.url is not None:
            out["url"] = self.url
        if self.rationale:
            out["rationale"] = [
                {
                    "test": r.test,
                    "holds": r.holds,
                    "start": r.start,
                    "end": r.end,
                    "text": self.text[r.start : r.end],
                }
                for r in self.rationale
            ]
        if self.domain_rationale:
            out["domain_rationale"] = [
                {
                    "domain": r.domain,
                    "start": r.start,
                    "end": r.end,
                    "text": self.text[r.start : r.end],
                }
                for r in self.domain_rationale
            ]
        if self.patterns:
            out["patterns"] = list(self.patterns)
        if self.pair_of is not None:
            out["pair_of"] = self.pair_of
        return out


@dataclass
class ValidationReport:
    """Everything the validator found: errors fail validation, warnings do not."""

    records: list[CorpusRecord] = field(default_factory=list)
    errors: list[CorpusError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def corpus_files(path: Path) -> list[Path]:
    """The JSONL files a corpus path stands for (a file, or the *.jsonl in a folder)."""
    if path.is_dir():
        files = sorted(p for p in path.glob("*.jsonl") if p.is_file())
        if not files:
            raise CorpusError(str(path), 0, None, "no .jsonl files in this folder")
        return files
    if not path.exists():
        raise CorpusError(str(path), 0, None, "no such file or folder")
    return [path]


def _check_record(obj: Any, where: str, line: int) -> tuple[CorpusRecord | None, list[CorpusError]]:
    errors: list[CorpusError] = []

    def err(fld: str | None, msg: str) -> None:
        errors.append(CorpusError(where, line, fld, msg))

    if not isinstance(obj, dict):
        err(None, f"expected a JSON object, got {type(obj).__name__}")
        return None, errors
    if "text" in obj and not any(k in obj for k in ("status", "artifact_type", "domains")):
        err(
            None,
            "has no labels (status, artifact_type, domains): a corpus holds labelled "
            "documents; to label new ones, use `naio-nlp classify`",
        )
        return None, errors
    for name in REQUIRED:
        if name not in obj:
            err(name, "missing")
    for name in obj:
        if name not in REQUIRED and name not in OPTIONAL:
            err(name, "unknown field")
    for name in ("id", "title", "text"):
        if name in obj and not isinstance(obj[name], str):
            err(name, f"must be a string, got {type(obj[name]).__name__}")
    if isinstance(obj.get("id"), str) and not obj["id"].strip():
        err("id", "empty")
    if isinstance(obj.get("text"), str) and not obj["text"].strip():
        err("text", "empty")
    if "lang" in obj and obj["lang"] not in LANGUAGES:
        err("lang", f"{obj['lang']!r} is not one of {', '.join(LANGUAGES)}")
    if "genre" in obj and obj["genre"] not in GENRES:
        err("genre", f"{obj['genre']!r} is not one of {', '.join(GENRES)}")
    status = obj.get("status")
    if "status" in obj and status not in STATUSES:
        err("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    atype = obj.get("artifact_type")
    if "artifact_type" in obj:
        if status == "artifact":
            if atype not in ARTIFACT_TYPES:
                err(
                    "artifact_type",
                    f"{atype!r} is not one of {', '.join(ARTIFACT_TYPES)} "
                    "(required when status is 'artifact')",
                )
        elif status in STATUSES and atype is not None:
            err("artifact_type", f"must be null when status is {status!r} (got {atype!r})")
    domains = obj.get("domains")
    if "domains" in obj:
        if not isinstance(domains, list):
            err("domains", f"must be a list, got {type(domains).__name__}")
        else:
            for d in domains:
                if d not in DOMAINS:
                    err("domains", f"{d!r} is not one of {', '.join(DOMAINS)}")
            if len(set(map(str, domains))) != len(domains):
                err("domains", "repeats a domain")
    d = obj.get("date")
    if d is not None:
        if not isinstance(d, str) or not _DATE.match(d):
            err("date", f"{d!r} is not an ISO date YYYY-MM-DD")
        else:
            try:
                date.fromisoformat(d)
            except ValueError:
                err("date", f"{d!r} is not a real calendar date")
    src = obj.get("source")
    if src is not None and not isinstance(src, str):
        err("source", "must be a string or null")
    prov = obj.get("provenance")
    if prov is not None:
        if not isinstance(prov, dict):
            err("provenance", f"must be an object, got {type(prov).__name__}")
        else:
            for key in prov:
                if key not in PROVENANCE:
                    err("provenance", f"unknown key {key!r} (known: {', '.join(PROVENANCE)})")
            for key in ("url", "reviewer", "reviewed_at"):
                if not isinstance(prov.get(key), str) or not prov[key].strip():
                    err("provenance", f"{key!r} must be a non-empty string")
    for name in ("url", "pair_of"):
        if obj.get(name) is not None and not isinstance(obj[name], str):
            err(name, "must be a string or null")
    patterns = obj.get("patterns") or []
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        err("patterns", "must be a list of strings")
        patterns = []
    text = str(obj["text"]) if isinstance(obj.get("text"), str) else ""
    rationale = _check_spans(obj.get("rationale"), "rationale", text, err, status, domains)
    domain_rationale = _check_spans(
        obj.get("domain_rationale"), "domain_rationale", text, err, status, domains
    )
    if errors:
        return None, errors
    return (
        CorpusRecord(
            id=obj["id"],
            title=obj["title"],
            text=obj["text"],
            lang=obj["lang"],
            genre=obj["genre"],
            status=str(status),
            artifact_type=atype,
            domains=tuple(domains or ()),
            date=d,
            source=src,
            path=where,
            line=line,
            provenance=prov,
            url=obj.get("url"),
            rationale=tuple(r for r in rationale if isinstance(r, Rationale)),
            domain_rationale=tuple(r for r in domain_rationale if isinstance(r, DomainRationale)),
            patterns=tuple(patterns),
            pair_of=obj.get("pair_of"),
        ),
        [],
    )


def _check_spans(
    spans: Any, name: str, text: str, err: Any, status: Any, domains: Any
) -> list[Rationale | DomainRationale]:
    """Rationale spans: a known test or domain, offsets inside ``text`` that quote it exactly."""
    if spans is None:
        return []
    if not isinstance(spans, list):
        err(name, f"must be a list, got {type(spans).__name__}")
        return []
    out: list[Rationale | DomainRationale] = []
    for k, span in enumerate(spans):
        where = f"{name}[{k}]"
        if not isinstance(span, dict):
            err(where, "must be an object")
            continue
        start, end, quoted = span.get("start"), span.get("end"), span.get("text")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
            err(where, "start and end must be integers")
            continue
        if not 0 <= start < end <= len(text):
            err(where, f"offsets {start}:{end} are outside the text (length {len(text)})")
            continue
        if quoted is not None and text[start:end] != quoted:
            err(
                where,
                f"text[{start}:{end}] is {text[start:end][:40]!r}, not the quoted "
                f"{str(quoted)[:40]!r} (offsets are Python str indices into 'text')",
            )
            continue
        if name == "rationale":
            test, holds = span.get("test"), span.get("holds")
            if test not in TESTS:
                err(where, f"test {test!r} is not one of {', '.join(TESTS)}")
                continue
            if not isinstance(holds, bool):
                err(where, "holds must be true or false")
                continue
            out.append(Rationale(test, holds, start, end))
        else:
            domain = span.get("domain")
            if domain not in DOMAINS:
                err(where, f"domain {domain!r} is not one of {', '.join(DOMAINS)}")
                continue
            if isinstance(domains, list) and domain not in domains:
                err(where, f"domain {domain!r} is not among the record's domains")
                continue
            out.append(DomainRationale(str(domain), start, end))
    return out


def record_from_mapping(obj: Mapping[str, Any], where: str) -> CorpusRecord:
    """One record from a mapping in the corpus format; the first problem as a CorpusError."""
    record, errors = _check_record(dict(obj), where, 0)
    if record is None:
        first = errors[0]
        raise CorpusError(first.path, first.line, first.field, first.message)
    return record


def _read_file(path: Path, report: ValidationReport) -> None:
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.errors.append(CorpusError(where, 0, None, f"cannot read: {exc.strerror}"))
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        report.errors.append(CorpusError(where, bad_line, None, "not valid UTF-8"))
        return
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            report.errors.append(
                CorpusError(where, lineno, None, f"invalid JSON ({json_problem(exc)})")
            )
            continue
        record, errors = _check_record(obj, where, lineno)
        report.errors.extend(errors)
        if record is not None:
            report.records.append(record)


def validate_corpus(
    path: Path | Sequence[Path], *, near_duplicate_threshold: float = 0.9
) -> ValidationReport:
    """Check schema, vocabulary, unique ids and train/test near-duplicates."""
    paths = [path] if isinstance(path, Path) else list(path)
    report = ValidationReport()
    for p in paths:
        try:
            report.files.extend(corpus_files(p))
        except CorpusError as exc:
            report.errors.append(exc)
    for f in report.files:
        _read_file(f, report)
    seen: dict[str, CorpusRecord] = {}
    for r in report.records:
        first = seen.get(r.id)
        if first is not None:
            report.errors.append(
                CorpusError(r.path, r.line, "id", f"{r.id!r} repeats {first.path}:{first.line}")
            )
        else:
            seen[r.id] = r
    if len(report.records) > 1:
        for dup in find_near_duplicates(report.records, threshold=near_duplicate_threshold):
            a, b = dup.first, dup.second
            msg = f"near-duplicate of {a.path}:{a.line} ({a.id}), cosine {dup.similarity:.2f}"
            if Path(a.path).name != Path(b.path).name and "test" in (
                Path(a.path).stem + Path(b.path).stem
            ):
                report.errors.append(CorpusError(b.path, b.line, "text", msg + " across splits"))
            else:
                report.warnings.append(f"{b.path}:{b.line}: text: {msg}")
    return report


def read_corpus(path: Path | Sequence[Path]) -> list[CorpusRecord]:
    """Read and validate; raise the first :class:`CorpusError` if anything is wrong."""
    paths = [path] if isinstance(path, Path) else list(path)
    report = ValidationReport()
    for p in paths:
        report.files.extend(corpus_files(p))
    for f in report.files:
        _read_file(f, report)
    if report.errors:
        first = report.errors[0]
        more = len(report.errors) - 1
        suffix = f" (and {more} more; run `naio-nlp corpus validate`)" if more else ""
        raise CorpusError(first.path, first.line, first.field, first.message + suffix)
    return report.records


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    first: CorpusRecord
    second: CorpusRecord
    similarity: float


def find_near_duplicates(
    records: Sequence[CorpusRecord], *, threshold: float = 0.9
) -> list[NearDuplicate]:
    """Pairs whose word 1-2-gram TF-IDF cosine reaches ``threshold``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{r.title}\n{r.text}" for r in records]
    vectors = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True).fit_transform(texts)
    sims = (vectors @ vectors.T).tocoo()
    found: list[NearDuplicate] = []
    for i, j, v in zip(sims.row, sims.col, sims.data, strict=True):
        if i < j and v >= threshold:
            found.append(NearDuplicate(records[i], records[j], float(v)))
    found.sort(key=lambda d: -d.similarity)
    return found


def corpus_hash(records: Iterable[CorpusRecord]) -> str:
    """SHA-256 over the records' canonical JSON, in id order (pins the data a model saw)."""
    h = hashlib.sha256()
    for r in sorted(records, key=lambda r: r.id):
        h.update(json.dumps(r.to_json(), sort_keys=True, ensure_ascii=False).encode())
        h.update(b"\n")
    return h.hexdigest()


def _length_bucket(n: int) -> str:
    for upper, name in ((70, "<70"), (150, "70-149"), (300, "150-299"), (600, "300-599")):
        if n < upper:
            return name
    return "600-999" if n < 1000 else "1000+"


def corpus_stats(records: Sequence[CorpusRecord]) -> dict[str, Any]:
    """Counts by label, language, genre, length and domains per document, plus minimum checks."""
    n = len(records)
    status = Counter(r.status for r in records)
    atype = Counter(r.artifact_type for r in records if r.artifact_type)
    domain = Counter(d for r in records for d in r.domains)
    lang = Counter(r.lang for r in records)
    genre = Counter(r.genre for r in records)
    lengths = Counter(_length_bucket(r.n_words) for r in records)
    n_domains = Counter(min(len(r.domains), 3) for r in records)
    words = [r.n_words for r in records]
    malay_pct = 100.0 * lang.get("ms", 0) / n if n else 0.0
    checks = [
        ("documents", n, MINIMUMS["documents"]),
        *((f"status {s}", status.get(s, 0), MINIMUMS["status"]) for s in STATUSES),
        *((f"type {t}", atype.get(t, 0), MINIMUMS["artifact_type"]) for t in ARTIFACT_TYPES),
        *((f"domain {d}", domain.get(d, 0), MINIMUMS["domain"]) for d in DOMAINS),
        ("Malay share %", math.floor(malay_pct), MINIMUMS["malay_share_pct"]),
        ("code-mixed documents", lang.get("mixed", 0), 1),
        *(
            (f"documents with {k} domains", n_domains.get(i, 0), 1)
            for i, k in ((0, "0"), (1, "1"), (2, "2"), (3, "3+"))
        ),
    ]
    return {
        "documents": n,
        "status": {s: status.get(s, 0) for s in STATUSES},
        "artifact_type": {t: atype.get(t, 0) for t in ARTIFACT_TYPES},
        "domains": {d: domain.get(d, 0) for d in DOMAINS},
        "lang": dict(sorted(lang.items())),
        "genre": dict(sorted(genre.items())),
        "length_words": {
            "min": min(words, default=0),
            "max": max(words, default=0),
            "buckets": {
                b: lengths.get(b, 0)
                for b in ("<70", "70-149", "150-299", "300-599", "600-999", "1000+")
            },
        },
        "domains_per_document": {
            k: n_domains.get(i, 0) for i, k in enumerate(("0", "1", "2", "3+"))
        },
        "minimums": [
            {"check": name, "value": value, "minimum": minimum, "met": value >= minimum}
            for name, value, minimum in checks
        ],
    }


def split_corpus(
    records: Sequence[CorpusRecord], *, test_size: float = 0.2, seed: int = 13
) -> tuple[list[CorpusRecord], list[CorpusRecord]]:
    """Stratified split by (status, lang): ``test_size`` of each stratum goes to test."""
    strata: dict[tuple[str, str], list[CorpusRecord]] = {}
    for r in sorted(records, key=lambda r: r.id):
        strata.setdefault((r.status, r.lang), []).append(r)
    rng = random.Random(seed)
    train: list[CorpusRecord] = []
    test: list[CorpusRecord] = []
    for key in sorted(strata):
        items = strata[key]
        rng.shuffle(items)
        k = round(len(items) * test_size)
        test.extend(items[:k])
        train.extend(items[k:])
    return sorted(train, key=lambda r: r.id), sorted(test, key=lambda r: r.id)


def agreement(first: Sequence[CorpusRecord], second: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Cohen's kappa between two annotations of the same documents (matched by id)."""
    from sklearn.metrics import cohen_kappa_score

    by_id = {r.id: r for r in first}
    pairs: list[tuple[CorpusRecord, dict[str, Any]]] = []
    missing: list[str] = []
    for s in second:
        r = by_id.get(s["id"])
        if r is None:
            missing.append(s["id"])
        else:
            pairs.append((r, s))
    if not pairs:
        raise CorpusError("second annotation", 0, "id", "no id matches the first annotation")

    def kappa(a: list[Any], b: list[Any]) -> float:
        if len(set(a) | set(b)) < 2:
            return 1.0
        return float(cohen_kappa_score(a, b))

    status_a = [r.status for r, _ in pairs]
    status_b = [s["status"] for _, s in pairs]
    both_art = [(r, s) for r, s in pairs if r.status == "artifact" and s["status"] == "artifact"]
    result: dict[str, Any] = {
        "documents": len(pairs),
        "unmatched_ids": missing,
        "status_kappa": kappa(status_a, status_b),
        "status_agreement": sum(a == b for a, b in zip(status_a, status_b, strict=True))
        / len(pairs),
        "artifact_type_kappa": kappa(
            [r.artifact_type for r, _ in both_art], [s["artifact_type"] for _, s in both_art]
        )
        if both_art
        else None,
        "artifact_type_documents": len(both_art),
        "domain_kappa": {
            d: kappa([d in r.domains for r, _ in pairs], [d in s["domains"] for _, s in pairs])
            for d in DOMAINS
        },
        "status_confusion": {
            a: {
                b: sum(1 for x, y in zip(status_a, status_b, strict=True) if x == a and y == b)
                for b in STATUSES
            }
            for a in STATUSES
        },
    }
    return result


def write_jsonl(path: Path, records: Iterable[CorpusRecord]) -> int:
    """Write records as corpus JSONL; returns how many."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
            n += 1
    return n


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Plain JSONL reader for auxiliary files (second annotations), naming bad lines."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise CorpusError(str(path), lineno, None, f"invalid JSON ({exc.msg})") from exc
