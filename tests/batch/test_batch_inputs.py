"""Each input format, mixed inputs, ids and order (classify_files, the Python API)."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_helpers import ARTICLES, Problems, html_page, write_jsonl

from naio_nlp import InputError, classify_files
from naio_nlp import classifier as classifier_module
from naio_nlp.batch import MAX_CHARS, BatchResult, count_documents
from naio_nlp.classifier import Classifier


def ids(results: list[BatchResult]) -> list[str]:
    return [r.prediction.article_id for r in results]


def test_jsonl_gives_one_prediction_per_line_in_order(
    classifier: Classifier, articles_jsonl: Path, problems: Problems
) -> None:
    run = classify_files([articles_jsonl], model=classifier, errors=problems)
    results = list(run)
    assert ids(results) == ["a1", "a2", "a3"]
    assert [r.line for r in results] == [1, 2, 3]
    assert {r.source for r in results} == {str(articles_jsonl)}
    assert problems == []
    s = run.stats
    assert (s.read, s.classified, s.skipped, s.truncated, s.errors) == (3, 3, 0, 0, 0)


def test_one_path_given_alone_is_one_input(classifier: Classifier, articles_jsonl: Path) -> None:
    # a bare string is a path, not a list of one-letter paths
    assert ids(list(classify_files(str(articles_jsonl), model=classifier))) == ["a1", "a2", "a3"]
    assert ids(list(classify_files(articles_jsonl, model=classifier))) == ["a1", "a2", "a3"]
    assert count_documents(str(articles_jsonl)) == 3


def test_batch_output_equals_classify_many(classifier: Classifier, articles_jsonl: Path) -> None:
    batch = [r.prediction for r in classify_files([articles_jsonl], model=classifier)]
    direct = list(classifier.classify_many(ARTICLES))
    assert [p.to_dict() for p in batch] == [p.to_dict() for p in direct]


def test_csv_with_mapped_columns_and_default_ids(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["key", "title", "body", "lang"])
        w.writerow(["k1", ARTICLES[0]["title"], ARTICLES[0]["text"], "en"])
        # a quoted cell spanning lines, then a row without an id
        w.writerow(["", ARTICLES[1]["title"], ARTICLES[1]["text"].replace(". ", ".\n"), "ms"])
        w.writerow(["k3", ARTICLES[2]["title"], ARTICLES[2]["text"], ""])
    run = classify_files(
        [path], model=classifier, text_column="body", id_column="key", errors=problems
    )
    results = list(run)
    assert ids(results) == ["k1", f"{path}:3", "k3"]
    assert [r.line for r in results] == [2, 3, 4]
    assert problems == []


def test_csv_with_semicolons_is_read_so(
    classifier: Classifier, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Excel writes ';' between fields where the decimal mark is a comma
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["id", "title", "text"])
        for a in ARTICLES:
            w.writerow([a["id"], a["title"], a["text"]])
    with caplog.at_level("WARNING"):
        assert ids(list(classify_files([path], model=classifier))) == ["a1", "a2", "a3"]
    assert "separated by ';'" in caplog.text
    # a comma in the header: a comma-separated file, whatever its cells hold
    path.write_text('id,text\nb1,"a; b; c NAIO"\n', encoding="utf-8")
    assert ids(list(classify_files([path], model=classifier))) == ["b1"]


def test_json_arrays_objects_and_misnamed_json_lines(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    import json

    array = tmp_path / "array.json"
    array.write_text(json.dumps(ARTICLES), encoding="utf-8")
    assert ids(list(classify_files(array, model=classifier))) == ["a1", "a2", "a3"]
    held = tmp_path / "held.json"
    held.write_text(json.dumps({"source": "export", "articles": ARTICLES[:2]}), "utf-8")
    assert ids(list(classify_files(held, model=classifier))) == ["a1", "a2"]
    # JSON Lines saved as .json: read as such
    lines = tmp_path / "lines.json"
    lines.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    assert ids(list(classify_files(lines, model=classifier))) == ["a1", "a2", "a3"]
    # a bad item costs itself only, named by its place in the array
    mixed = tmp_path / "mixed.json"
    mixed.write_text(json.dumps([ARTICLES[0], 5, {"id": "x"}, ARTICLES[1]]), "utf-8")
    run = classify_files(mixed, model=classifier, errors=problems)
    assert ids(list(run)) == ["a1", "a2"]
    assert [(line, message.split(";")[0]) for _, _, line, message in problems] == [
        (2, "array item is int, not a JSON object"),
        (3, "missing text: no 'text' field"),
    ]
    # a file that is no JSON at all is one error
    problems.clear()
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": 1,]', encoding="utf-8")
    assert list(classify_files(broken, model=classifier, errors=problems)) == []
    assert len(problems) == 1 and "malformed JSON" in problems[0][3]
    assert count_documents([array]) is None  # no cheap count: no ETA


def test_tsv_is_read_with_tabs(classifier: Classifier, tmp_path: Path) -> None:
    path = tmp_path / "export.tsv"
    rows = ["id\ttext"] + [f"{a['id']}\t{a['text']}" for a in ARTICLES]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert ids(list(classify_files([path], model=classifier))) == ["a1", "a2", "a3"]


def test_parquet_is_read_in_record_batches(classifier: Classifier, tmp_path: Path) -> None:
    path = tmp_path / "articles.parquet"
    table = pa.Table.from_pylist(
        [{"id": a["id"], "title": a["title"], "text": a["text"]} for a in ARTICLES]
        + [{"id": None, "title": "t", "text": ARTICLES[0]["text"]}]
    )
    pq.write_table(table, path, row_group_size=2)
    results = list(classify_files([path], model=classifier))
    assert ids(results) == ["a1", "a2", "a3", f"{path}:4"]
    assert [r.line for r in results] == [1, 2, 3, 4]


def test_folder_of_html_and_text_is_sorted_recursive_and_extracted(
    classifier: Classifier, tmp_path: Path, problems: Problems
) -> None:
    root = tmp_path / "saved"
    (root / "2025" / "07").mkdir(parents=True)
    (root / "b.html").write_text(
        html_page(ARTICLES[0]["title"], ARTICLES[0]["text"]), encoding="utf-8"
    )
    (root / "a.txt").write_text(f"{ARTICLES[1]['title']}\n{ARTICLES[1]['text']}\n", "utf-8")
    (root / "2025" / "07" / "c.htm").write_text(
        html_page(ARTICLES[2]["title"], ARTICLES[2]["text"]), encoding="utf-8"
    )
    (root / "notes.md").write_text("ignored: not an input type", encoding="utf-8")
    (root / ".hidden.txt").write_text("ignored: hidden", encoding="utf-8")
    results = list(classify_files([root], model=classifier, errors=problems))
    expected = [root / "2025" / "07" / "c.htm", root / "a.txt", root / "b.html"]
    assert ids(results) == [str(p) for p in expected]
    assert all(r.line is None for r in results)
    assert problems == []
    assert count_documents([root]) == 3


def test_html_goes_through_the_extractor(classifier: Classifier, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(html_page(ARTICLES[0]["title"], ARTICLES[0]["text"]), encoding="utf-8")
    from_file = next(classify_files([page], model=classifier)).prediction
    direct = classifier.classify(ARTICLES[0]["text"], ARTICLES[0]["title"], article_id=str(page))
    assert from_file.status_probs == pytest.approx(direct.status_probs)


def test_mixed_inputs_keep_argument_order(classifier: Classifier, tmp_path: Path) -> None:
    jsonl = write_jsonl(tmp_path / "one.jsonl", ARTICLES[:1])
    csv_path = tmp_path / "two.csv"
    csv_path.write_text(f'id,text\ncsv-1,"{ARTICLES[1]["text"]}"\n', encoding="utf-8")
    folder = tmp_path / "three"
    folder.mkdir()
    (folder / "x.txt").write_text(ARTICLES[2]["text"], encoding="utf-8")
    results = list(classify_files([folder, jsonl, csv_path], model=classifier))
    assert ids(results) == [str(folder / "x.txt"), "a1", "csv-1"]


def test_stdin_stream(classifier: Classifier, tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "in.jsonl", [{"text": ARTICLES[0]["text"]}])
    with data.open("rb") as stdin:
        results = list(classify_files(["-"], model=classifier, stdin=stdin))
    assert ids(results) == ["<stdin>:1"]


def test_a_missing_path_fails_before_any_work(classifier: Classifier, tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(InputError, match=r"nope\.jsonl: no such file or directory"):
        classify_files([missing], model=classifier)


def test_an_unknown_extension_is_refused(classifier: Classifier, tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(InputError, match=r"unknown input format '\.xlsx'"):
        classify_files([path], model=classifier)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["a.jsonl", "a.jsonl"], r"^a\.jsonl: file given twice; "),
        (["a.jsonl", "./a.jsonl"], r"^\./a\.jsonl: file given twice \(first as a\.jsonl\); "),
        (["a.jsonl", "link.jsonl"], r"^link\.jsonl: file given twice \(first as a\.jsonl\); "),
        (["a.jsonl", "hard.jsonl"], r"^hard\.jsonl: file given twice \(first as a\.jsonl\); "),
        (["pages", "pages/"], r"^pages/: folder given twice \(first as pages\); "),
        (["pages", "pages/more"], r"^pages/more: folder inside the folder pages, "),
        (["pages/p.html", "pages"], r"^pages/p\.html: file read already as part of the folder "),
    ],
)
def test_an_input_given_twice_is_refused_before_the_model_loads(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    given: list[str],
    message: str,
) -> None:
    """Read twice, every document would be labelled twice and its id repeat in the output."""
    write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "a.jsonl")
    (tmp_path / "hard.jsonl").hardlink_to(tmp_path / "a.jsonl")
    (tmp_path / "pages" / "more").mkdir(parents=True)
    (tmp_path / "pages" / "p.html").write_text(html_page("T", ARTICLES[0]["text"]), "utf-8")
    monkeypatch.chdir(tmp_path)

    def no_model(*args: object) -> None:
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(classifier_module, "load", no_model)
    with pytest.raises(InputError, match=message) as caught:
        classify_files(given)
    assert "labelled twice" in str(caught.value)
    from naio_nlp.batch import read_articles  # the ledger's reader refuses it alike

    with pytest.raises(InputError, match=message):
        read_articles(given)


def test_inputs_that_only_look_alike_are_read(classifier: Classifier, tmp_path: Path) -> None:
    """Two copies of a file, a hidden folder inside a folder, a data file in a folder: fine."""
    write_jsonl(tmp_path / "a.jsonl", ARTICLES[:1])
    (tmp_path / "pages" / ".cache").mkdir(parents=True)
    (tmp_path / "pages" / "p.txt").write_text("Title\n\n" + ARTICLES[1]["text"], "utf-8")
    write_jsonl(tmp_path / "pages" / "b.jsonl", ARTICLES[2:])  # a folder reads no JSONL
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes((tmp_path / "a.jsonl").read_bytes())
    given = [
        tmp_path / "a.jsonl",
        copy,
        tmp_path / "pages",
        tmp_path / "pages" / ".cache",
        tmp_path / "pages" / "b.jsonl",
    ]
    assert ids(list(classify_files(given, model=classifier))) == [
        "a1",
        "a1",
        str(tmp_path / "pages" / "p.txt"),
        "a3",
    ]


def test_options_are_checked(classifier: Classifier, articles_jsonl: Path) -> None:
    with pytest.raises(ValueError, match="workers"):
        classify_files([articles_jsonl], model=classifier, workers=0)
    with pytest.raises(ValueError, match="max_chars"):
        classify_files([articles_jsonl], model=classifier, max_chars=MAX_CHARS + 1)


def test_the_batch_limit_is_the_pipelines() -> None:
    assert MAX_CHARS == classifier_module.MAX_CHARS


def test_folder_warns_about_data_files_it_does_not_read_and_about_being_empty(
    classifier: Classifier, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    write_jsonl(folder / "june.jsonl", ARTICLES[:1])
    empty = tmp_path / "empty"
    empty.mkdir()
    with caplog.at_level("WARNING", logger="naio_nlp.batch"):
        results = list(classify_files([folder, empty], model=classifier))
    assert results == []
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        "1 data file in this folder is not read" in m and "june.jsonl" in m for m in messages
    )
    assert any(m.endswith("no .html, .htm or .txt files in this folder") for m in messages)
