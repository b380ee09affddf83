"""naio_nlp on a real Dask LocalCluster of two worker processes on 127.0.0.1."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client

from naio_nlp import ModelError
from naio_nlp.batch import RepeatedIds, classify_files, flat_record
from naio_nlp.classifier import Classifier, load_verified
from naio_nlp.distributed import (
    OUTPUT_COLUMNS,
    classify_dataframe,
    classify_parquet,
    classify_table,
    local_cluster,
    output_schema,
    part_name,
)
from naio_nlp.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "src" / "naio_nlp" / "examples"  # examples/ links here


def _docs(n: int) -> list[dict[str, str]]:
    with (ROOT / "corpus" / "train.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [
        {"id": f"d{i:05d}", "title": r["title"], "text": r["text"]}
        for i, r in enumerate(rows[i % len(rows)] for i in range(n))
    ]


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with local_cluster(2) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def model(trained_model_path: Path) -> Classifier:
    return Classifier.from_disk(trained_model_path)


def _expected(model: Classifier, docs: list[dict[str, str]]) -> dict[str, dict[str, object]]:
    return {p.article_id: {**flat_record(p), "error": None} for p in model.classify_many(docs)}


def _profile(dask_worker: Any) -> tuple[bool, int]:
    import dask

    return dask.config.get("distributed.worker.profile.enabled"), len(dask_worker.profile_history)


def test_the_workers_naio_nlp_starts_keep_no_stack_profile(client: Client) -> None:
    """Dask's profiler keeps 1,000 seconds of stack samples per worker: ~50 MB in long runs."""
    assert len(client.scheduler_info()["workers"]) == 2
    assert set(client.run(_profile).values()) == {(False, 0)}


#: Read at import, before any cluster: a nanny writes its pre-spawn settings into the
#: environment of the process that starts it, and leaves them there.
_TRIM_BEFORE_ANY_CLUSTER = os.environ.get("MALLOC_TRIM_THRESHOLD_")


def _environ(names: tuple[str, ...]) -> tuple[str | None, ...]:
    return tuple(os.environ.get(name) for name in names)


def test_the_workers_naio_nlp_starts_keep_the_system_allocator_settings(client: Client) -> None:
    """Dask's MALLOC_TRIM_THRESHOLD_=65536 cost the labelling thread ten times the page faults."""
    names = ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS")
    # the trim threshold is what this process had (normally unset), not Dask's 65536; the
    # one-thread BLAS setting Dask adds for its workers is kept
    expected = (_TRIM_BEFORE_ANY_CLUSTER, os.environ.get(names[1], "1"))
    assert set(client.run(_environ, names).values()) == {expected}
    assert os.environ.get(names[0]) == _TRIM_BEFORE_ANY_CLUSTER  # nor left in ours


def test_pickled_classifier_is_its_folder_and_digest(model: Classifier) -> None:
    blob = pickle.dumps(model)
    assert len(blob) < 2000  # a path and a digest, not the arrays
    back = pickle.loads(blob)
    text = "NAIO launched the AI Talent Roadmap on 3 March 2025 with 12 universities."
    assert back.classify(text).to_dict() == model.classify(text).to_dict()


def test_unpickled_where_it_was_loaded_it_is_the_same_model(
    model: Classifier, tmp_path: Path
) -> None:
    """Dask's scheduler unpickles task arguments in the process that loaded the model (a
    LocalCluster's): that must not load a second copy, while the files are unchanged."""
    assert model.path is not None
    copy = tmp_path / "copy"
    shutil.copytree(model.path, copy)
    clf = Classifier.from_disk(copy)
    assert pickle.loads(pickle.dumps(clf)) is clf
    (copy / "lexicon.json").write_text(
        json.dumps(json.loads((copy / "lexicon.json").read_text(encoding="utf-8"))), "utf-8"
    )
    other = Classifier.from_disk(copy)  # the folder now holds other bytes: another model
    assert pickle.loads(pickle.dumps(other)) is other


def test_a_model_changed_after_pickling_is_refused(model: Classifier, tmp_path: Path) -> None:
    assert model.path is not None
    copy = tmp_path / "copy"
    shutil.copytree(model.path, copy)
    clf = Classifier.from_disk(copy)
    blob = pickle.dumps(clf)
    lexicon = copy / "lexicon.json"  # same content, other bytes: still loads, other digest
    lexicon.write_text(json.dumps(json.loads(lexicon.read_text(encoding="utf-8"))), "utf-8")
    with pytest.raises(ModelError, match="changed after"):
        pickle.loads(blob)


def test_an_unsaved_classifier_cannot_be_pickled(model: Classifier) -> None:
    clf = Classifier.from_disk(model.path)  # type: ignore[arg-type]
    clf.path = None
    with pytest.raises(ModelError, match="to_disk"):
        pickle.dumps(clf)


def test_classify_table_keeps_every_row_and_names_bad_ones(model: Classifier) -> None:
    docs = _docs(5)
    table = pa.table(
        {
            "id": [d["id"] for d in docs] + ["empty", "null"],
            "text": [d["text"] for d in docs] + ["   ", None],
        }
    )
    out = classify_table(table, model=model)
    assert out.column_names == list(OUTPUT_COLUMNS)
    rows = out.to_pylist()
    assert [r["id"] for r in rows] == table.column("id").to_pylist()
    expected = _expected(model, [{"id": d["id"], "text": d["text"]} for d in docs])
    for r in rows[:5]:
        assert r == expected[r["id"]]
    for r in rows[5:]:
        assert r["status"] is None
        assert "no text" in r["error"]
    frame = classify_table(table.to_pandas(), model=model)
    assert list(frame["id"]) == table.column("id").to_pylist()
    with pytest.raises(InputError, match="'body'"):
        classify_table(table, model=model, text_column="body")


def test_dask_dataframe_output_is_identical_to_in_process(
    client: Client, model: Classifier
) -> None:
    import dask.dataframe as dd
    import pandas as pd

    docs = _docs(300)
    ddf = dd.from_pandas(pd.DataFrame(docs), npartitions=6)
    got = classify_dataframe(ddf, model=model).compute()
    expected = _expected(model, docs)
    assert len(got) == len(docs)
    assert sorted(got["id"]) == sorted(expected)
    rows = pa.Table.from_pandas(got, schema=output_schema(), preserve_index=False).to_pylist()
    for row in rows:
        assert row == expected[row["id"]]


def test_each_worker_loads_the_model_once(client: Client, model: Classifier) -> None:
    assert model.path is not None
    path, digest = str(model.path), model.digest
    assert digest is not None
    futures = [client.submit(_pid_and_model, path, digest, i, pure=False) for i in range(24)]
    seen = client.gather(futures)
    per_pid: dict[int, set[int]] = {}
    for pid, model_id in seen:
        per_pid.setdefault(pid, set()).add(model_id)
    assert len(per_pid) == 2  # both workers took tasks
    assert all(len(ids) == 1 for ids in per_pid.values())


def _pid_and_model(path: str, digest: str, _: int) -> tuple[int, int]:
    return os.getpid(), id(load_verified(path, digest))


def _write_parts(folder: Path, docs: list[dict[str, str]], parts: int) -> list[Path]:
    folder.mkdir()
    size = len(docs) // parts
    paths = []
    for k in range(parts):
        chunk = docs[k * size : (k + 1) * size]
        path = folder / f"part{k:02d}.parquet"
        pq.write_table(pa.Table.from_pylist(chunk), path)
        paths.append(path)
    return paths


def test_parquet_parts_survive_a_killed_worker_and_reruns_skip_them(
    client: Client, model: Classifier, tmp_path: Path
) -> None:
    docs = _docs(1600)
    inputs = _write_parts(tmp_path / "in", docs, 8)
    out = tmp_path / "out"
    pids = list(client.run(os.getpid).values())
    killed = threading.Event()

    def kill_one(_: object) -> None:
        if not killed.is_set():  # after the first part: a worker dies mid-job
            killed.set()
            os.kill(pids[0], signal.SIGKILL)

    run = classify_parquet(
        str(tmp_path / "in" / "*.parquet"), out, client=client, model=model, progress=kill_one
    )
    assert killed.is_set()
    assert run.rows == len(docs) and run.errors == 0 and run.skipped == 0
    table = pa.concat_tables([pq.read_table(out / part_name(p)) for p in inputs])
    ids = table.column("id").to_pylist()
    assert sorted(ids) == sorted(d["id"] for d in docs)  # every row exactly once
    expected = _expected(model, docs)
    for row in table.to_pylist():
        assert row == expected[row["id"]]
    assert not list(out.glob(".*.part"))
    again = classify_parquet(inputs, out, client=client, model=model)
    assert again.skipped == len(inputs) and again.rows == 0


def test_classify_files_on_a_cluster_matches_one_process(
    client: Client, model: Classifier, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.jsonl"  # its four ids repeat those of the first input
    shutil.copy(EXAMPLES / "articles.jsonl", copy)
    inputs = [str(EXAMPLES / "articles.jsonl"), str(EXAMPLES / "html"), str(copy)]
    local_run = classify_files(inputs, model=model)
    local = [r.prediction.to_dict() for r in local_run]
    remote_run = classify_files(inputs, model=model, client=client, batch_size=2)
    remote = [r.prediction.to_dict() for r in remote_run]
    assert remote == local
    assert remote_run.stats.classified == len(local)
    # read here, labelled there: repeated ids are found on the cluster path as well
    assert remote_run.repeated_ids() == local_run.repeated_ids()
    first, again = str(EXAMPLES / "articles.jsonl"), str(copy)
    assert remote_run.repeated_ids() == RepeatedIds(
        ids=4,
        rows=4,
        examples=("ex-001", "ex-002", "ex-003", "ex-004"),
        places=tuple(((first, n), (again, n)) for n in (1, 2, 3, 4)),
        sources=(again,),  # where the repeats (each row after its id's first) came from
    )


def test_cli_classify_with_dask_scheduler_address(
    client: Client, trained_model_path: Path, tmp_path: Path, cli
) -> None:
    src = EXAMPLES / "articles.jsonl"
    code, _, err = cli(
        "classify", str(src), "--model", str(trained_model_path), "-o", str(tmp_path / "a.csv")
    )
    assert code == 0, err
    code, _, err = cli(
        "classify",
        str(src),
        "--model",
        str(trained_model_path),
        "-o",
        str(tmp_path / "b.csv"),
        "--dask",
        client.scheduler.address,
    )
    assert code == 0, err
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert "classified 4" in err
    # the workers load the model before the timed run, and the summary says so
    assert re.search(r"model loaded in [\d.]+ s here and on 2 workers", err), err


def test_cli_rejects_a_bad_cluster_spec(cli) -> None:
    code, _, err = cli("classify", str(EXAMPLES / "articles.jsonl"), "--dask", "local:x")
    assert code != 0
    assert "local:N" in err


def test_cli_says_which_scheduler_did_not_answer_within_dask_timeout(cli) -> None:
    """A loopback port nobody listens on: one error naming the address and what to do."""
    import socket

    with socket.socket() as probe:  # free a moment ago; nobody listens on it
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    src = str(EXAMPLES / "articles.jsonl")
    code, out, err = cli("classify", src, "--dask", address, "--dask-timeout", "0.5")
    assert code == 1 and out == ""
    message = " ".join(err.split())
    assert message.startswith(
        f"error: --dask {address}: no Dask scheduler answered at this address within 0.5 s"
    )
    assert "--dask-timeout" in message and "Traceback" not in err
    code, _, err = cli("classify", src, "--dask", address, "--dask-timeout", "0")
    assert code == 2 and "'--dask-timeout': 0 is not a number of seconds > 0" in err


def test_a_part_read_in_small_batches_is_written_whole_and_in_few_row_groups(
    model: Classifier, tmp_path: Path
) -> None:
    """Input is read READ_ROWS at a time; labels are gathered into row groups of
    WRITE_ROWS rows, and the last, partial group is not lost."""
    from naio_nlp import distributed

    n = distributed.WRITE_ROWS + distributed.READ_ROWS + 7
    docs = [{**d, "text": d["text"][:200]} for d in _docs(n)]  # short: this is about rows
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(docs), source)
    result = distributed.classify_part(str(source), str(tmp_path / "out.parquet"), model=model)
    written = pq.ParquetFile(tmp_path / "out.parquet")
    assert result.rows == n and written.metadata.num_rows == n
    groups = [
        written.metadata.row_group(i).num_rows for i in range(written.metadata.num_row_groups)
    ]
    assert groups == [distributed.WRITE_ROWS, n - distributed.WRITE_ROWS]
    out = written.read()
    assert out.column("id").to_pylist() == [d["id"] for d in docs]
    sample = {d["id"]: d for d in docs[:: distributed.READ_ROWS // 2]}
    expected = _expected(model, list(sample.values()))
    for row in out.to_pylist():
        if row["id"] in sample:
            assert row == expected[row["id"]]
