"""Ids that repeat across a batch: counted in bounded memory, named once at the end."""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import ARTICLES, write_jsonl

from naio_nlp import classify_files
from naio_nlp.batch import RepeatedIds, _IdCheck
from naio_nlp.classifier import Classifier

Cli = Callable[..., tuple[int, str, str]]


def _records(ids: list[str]) -> list[dict[str, Any]]:
    return [{**ARTICLES[i % len(ARTICLES)], "id": x} for i, x in enumerate(ids)]


def test_the_run_counts_ids_on_more_than_one_result_and_keeps_every_row(
    classifier: Classifier, tmp_path: Path
) -> None:
    one = write_jsonl(tmp_path / "one.jsonl", _records(["a1", "a2", "a1", "a3"]))
    two = write_jsonl(tmp_path / "two.jsonl", _records(["a2", "b1", "a1"]))
    run = classify_files([one, two], model=classifier)
    rows = [r.prediction.article_id for r in run]
    assert rows == ["a1", "a2", "a1", "a3", "a2", "b1", "a1"]  # nothing dropped or renamed
    assert run.repeated_ids() == RepeatedIds(
        ids=2,
        rows=3,
        examples=("a1", "a2"),
        places=(((str(one), 1), (str(one), 3)), ((str(one), 2), (str(two), 1))),
        sources=(str(one), str(two)),
    )

    distinct = classify_files([write_jsonl(tmp_path / "ok.jsonl", ARTICLES)], model=classifier)
    assert len(list(distinct)) == 3
    assert distinct.repeated_ids() == RepeatedIds()


def test_default_ids_of_a_file_read_twice_under_two_names_do_not_repeat(
    classifier: Classifier, tmp_path: Path
) -> None:
    """A record without an id gets <file>:<line>, so two copies of it are told apart."""
    records = [{k: v for k, v in a.items() if k != "id"} for a in ARTICLES]
    a = write_jsonl(tmp_path / "a.jsonl", records)
    b = write_jsonl(tmp_path / "b.jsonl", records)
    run = classify_files([a, b], model=classifier)
    assert len(list(run)) == 6
    assert run.repeated_ids() == RepeatedIds()


class _SyncClient:
    """Just enough of a Dask client for ``classify_files(client=...)``: runs each task here."""

    class _Done:
        def __init__(self, value: object) -> None:
            self.value = value

        def result(self) -> object:
            return self.value

    def scheduler_info(self) -> dict[str, Any]:
        return {"workers": {"w1": {}, "w2": {}}}

    def submit(self, fn: Callable[..., object], *args: object, pure: bool = True) -> _Done:
        return self._Done(fn(*args))


def test_the_dask_path_checks_ids_too(classifier: Classifier, tmp_path: Path) -> None:
    """With --dask, records are read and results yielded here: the same check applies."""
    src = write_jsonl(tmp_path / "a.jsonl", _records(["x", "y", "x", "z", "y"]))
    run = classify_files([src], model=classifier, client=_SyncClient(), batch_size=2)
    assert [r.prediction.article_id for r in run] == ["x", "y", "x", "z", "y"]
    assert run.repeated_ids() == RepeatedIds(
        ids=2,
        rows=2,
        examples=("x", "y"),
        places=(((str(src), 1), (str(src), 3)), ((str(src), 2), (str(src), 5))),
        sources=(str(src),),
    )


def test_the_check_is_exact_across_chunks_and_keeps_8_bytes_per_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_IdCheck, "CHUNK", 64)  # many chunks and merges from a few ids
    rng = random.Random(7)
    distinct = [f"doc-{i}" for i in range(5_000)]
    stream = distinct + [rng.choice(distinct) for _ in range(700)]
    rng.shuffle(stream)
    check = _IdCheck()
    for n, doc_id in enumerate(stream):
        check.add(doc_id, f"part{n // 100}.jsonl", n)
        assert len(check._pending) < _IdCheck.CHUNK  # ids wait as strings a chunk at most
        assert len(check._places) == len(check._pending)  # and their places as long
    result = check.result()
    counts = Counter(stream)
    repeated = {i: n for i, n in counts.items() if n > 1}
    assert (result.ids, result.rows) == (len(repeated), sum(n - 1 for n in repeated.values()))
    assert len(result.examples) == _IdCheck.EXAMPLES
    assert all(e in repeated for e in result.examples)
    # where each example's first two rows were: the first only while it was in the chunk
    unknown = 0
    for doc_id, (known, again) in zip(result.examples, result.places, strict=True):
        rows = [n for n, x in enumerate(stream) if x == doc_id]
        assert again == (f"part{rows[1] // 100}.jsonl", rows[1])
        if known is None:
            unknown += 1
            assert rows[1] // _IdCheck.CHUNK > rows[0] // _IdCheck.CHUNK
        else:
            assert known == (f"part{rows[0] // 100}.jsonl", rows[0])
    assert unknown  # with chunks of 64, some first rows are long gone
    # the files of repeated rows, in the order met, at most SOURCES of them
    assert len(result.sources) == _IdCheck.SOURCES == len(set(result.sources))
    # each distinct id is one 8-byte hash, in a few sorted arrays; each repeat one more hash
    assert sum(run.nbytes for run in check._runs) == 8 * len(counts)
    assert len(check._repeats) == 8 * result.rows
    assert len(check._runs) <= 12
    assert all((run[1:] > run[:-1]).all() for run in check._runs)
    assert result == check.result()  # asking twice gives the same answer


def test_classify_warns_once_at_the_end_naming_the_count_and_examples(
    cli: Cli, fast_load: Path, tmp_path: Path
) -> None:
    ids = [f"id{i}" for i in range(7)]
    src = write_jsonl(tmp_path / "a.jsonl", _records([*ids, *ids, "id0", "solo"]))
    log = tmp_path / "problems.jsonl"
    out = tmp_path / "l.csv"
    args = ["classify", str(src), "--model", str(fast_load), "-o", str(out)]
    code, _, err = cli(*args, "--errors", str(log))
    assert code == 0, err
    with out.open(encoding="utf-8", newline="") as f:
        assert len(list(csv.DictReader(f))) == 16  # every row is written
    message = (
        f"7 ids are each on more than one output row (8 extra rows): 'id0' ({src} lines 1 "
        f"and 8), 'id1' ({src} lines 2 and 9), 'id2' ({src} lines 3 and 10), 'id3' ({src} "
        f"lines 4 and 11), 'id4' ({src} lines 5 and 12) and 2 more; a join on id matches "
        "those rows more than once; give each document its own id (see --id-column) or "
        "drop the repeats"
    )
    flat = " ".join(err.split())
    assert flat.count("warning:") == 1
    assert f"warning: {src}: {message}" in flat
    assert flat.index("warning:") < flat.index("read 16, classified 16")  # then the summary
    assert [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] == [
        {"source": str(src), "line": None, "message": message, "level": "warning"}
    ]
    code, _, err = cli(*args, "--strict")
    assert code == 1
    assert "--strict: 1 input problem; exit 1" in err


def test_one_repeated_id_across_two_inputs(cli: Cli, fast_load: Path, tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", _records(["k1", "k2"]))
    b = write_jsonl(tmp_path / "b.jsonl", _records(["k2"]))
    code, out, err = cli("classify", str(a), str(b), "--model", str(fast_load))
    assert code == 0, err
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["k1", "k2", "k2"]
    flat = " ".join(err.split())
    assert (  # named by the file of the repeated row; the example says where both rows are
        f"warning: {b}: 1 id is on more than one output row (1 extra row): "
        f"'k2' ({a} line 2 and {b} line 1); "
    ) in flat
    code, _, err = cli("classify", str(a), "--model", str(fast_load))
    assert code == 0 and "warning" not in err


def test_the_warning_names_the_files_the_repeats_came_from_not_every_input(
    cli: Cli, fast_load: Path, tmp_path: Path
) -> None:
    """It said 'mixed.jsonl, broken.jsonl and notext.csv: ... 'a'' for a repeat in one file."""
    mixed = write_jsonl(tmp_path / "mixed.jsonl", _records(["a", "b", "c"]))
    with mixed.open("a", encoding="utf-8") as f:
        f.write("{oops\n" + json.dumps(_records(["a"])[0]) + "\n")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x", "text": "cut\n', encoding="utf-8")
    notext = tmp_path / "notext.csv"
    notext.write_text("id,body\na,hello\n", encoding="utf-8")
    args = [str(mixed), str(broken), str(notext), "--model", str(fast_load)]
    code, _, err = cli("classify", *args)
    assert code == 0, err
    flat = " ".join(err.split())
    assert (
        f"warning: {mixed}: 1 id is on more than one output row (1 extra row): "
        f"'a' ({mixed} lines 1 and 5); a join on id"
    ) in flat
    assert str(broken) not in flat.split("warning:")[1]
