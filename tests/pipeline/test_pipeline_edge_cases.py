"""Edge cases of the batch-vectorised classifier, from a review of it.

Uses the shipped model. The tests pin that a document's labels do not depend
on its batch, that odd inputs do not crash, that predictions hold only
built-in types, and two bugs the review found (both fixed):

* ``_WordTable`` was not safe when one Classifier is used from several
  threads: a reader could take a slot's values before another thread filled
  it and its key after, and two threads could fill one slot with each other's
  values. Each thread test forces one interleaving: a hook on the table's
  arrays starts the other (real) thread at the racy point and waits up to a
  second for it. Inserts now take a lock and readers read keys first, so the
  other thread waits or reads a consistent slot.
* partners searched sentence by sentence lost "Acme Robotics Sdn. Bhd."
  (the sentence rules split after "Sdn."); they are searched over the body
  again, on one line at a time.
"""

from __future__ import annotations

import json
import random
import string
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from naio_nlp import load
from naio_nlp.classifier import Classifier
from naio_nlp.features import _CONNECTORS, _MONTHS, _WordTable
from naio_nlp.schema import Prediction


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return load()


def _new_words(tag: str, n: int, seed: int = 0) -> list[str]:
    """Words no vocabulary has seen (unique per tag)."""
    rnd = random.Random(f"{tag}-{seed}")
    letters = string.ascii_lowercase
    return [
        "".join(rnd.choice(letters) for _ in range(rnd.randint(4, 10))) + f"q{tag}{i}"
        for i in range(n)
    ]


def _odd_documents() -> list[dict[str, Any]]:
    new = _new_words("odd", 300)
    rows: list[tuple[str, str]] = [
        ("", ""),
        ("", " "),
        ("", "\n"),
        ("", "\r\n\r\n"),
        ("  ", ""),
        ("\n", "\n"),
        ("T", ""),
        ("NAIO launches AI Guidelines", ""),
        ("NAIO", "   \n\n  "),
        ("", "!!!"),
        ("", "... ??? !!! … ."),
        ("", "12345"),
        ("", "2025 2026 2027"),
        ("", "1 2 3. 4 5 6."),
        ("", "NAIO"),
        ("NAIO", "NAIO"),
        ("", "x" * 5000),
        ("", "a" * 120_000 + " NAIO"),  # longer than MAX_CHARS
        ("Long", "word " * 25_000),
        ("x" * 3000, "body"),  # title longer than the 2,000 kept
        ("", "国家人工智能办公室发布了指南。国家人工智能办公室。"),
        ("", "مكتب الذكاء الاصطناعي الوطني"),
        ("", "Национальный офис ИИ опубликовал руководство."),
        ("", "🤖🤖🤖 NAIO 🚀 launches AI Guidelines 🎉."),
        ("", "\x00\x01\x02 NAIO\x07 published\x1b the Guidelines.\x0b\x0c"),
        (
            "NAIO publishes AI Code",
            "The National AI Office (NAIO) today published the\r\nAI Code of Practice 2025.\r\n"
            "It takes effect on 1 January 2026.\r\n",
        ),
        ("", "\u2028NAIO\u2029published\u0085the AI Guidelines\u00a0today"),
        ("Framework", "Framework"),
        ("AI Action Plan", "of"),
        ("", "of AI Action Plan"),
        ("The", "Plan of AI Guidelines"),
        ("", 'e.g. the Dr. Aminah said. "Quoted." (The end).'),
        ("", "Dis 2025 Mac 2026 Jan"),
        (
            "NAIO " + new[0].title() + " Framework",
            "The National AI Office published the "
            + " ".join(w.title() for w in new[:5])
            + " Guidelines. "
            + " ".join(new)
            + ".",
        ),
        (
            "Pejabat AI Negara terbitkan garis panduan",
            "Pejabat AI Negara hari ini menerbitkan Garis Panduan Etika AI bagi sektor awam. "
            "Garis panduan itu berkuat kuasa pada 1 Januari 2026.",
        ),
        (
            "NAIO publishes Generative AI Use Guidelines",
            "PUTRAJAYA, 14 October 2025 – The National AI Office (NAIO) today published the "
            "Generative AI Use Guidelines for the Public Service, drafted with the Public Service "
            "Department and MAMPU. The guidelines take effect on 1 January 2026.",
        ),
    ]
    items: list[dict[str, Any]] = [{"title": t, "text": x} for t, x in rows]
    # the same texts with the language given, so both tokenizers see every case
    items += [{"title": t, "text": x, "lang": "ms"} for t, x in rows[:12]]
    items += [{"title": t, "text": x, "lang": "en"} for t, x in rows[-3:]]
    for i, item in enumerate(items):
        item["id"] = f"odd{i}"
    return items


ODD = _odd_documents()


def test_batch_labels_every_odd_document_as_if_it_were_alone(clf: Classifier) -> None:
    alone = [next(iter(clf.classify_many([item]))) for item in ODD]
    together = list(clf.classify_many(ODD, batch_size=len(ODD)))
    assert [p.article_id for p in together] == [item["id"] for item in ODD]
    for a, t in zip(alone, together, strict=True):
        assert a == t, a.article_id
    # another partition and order
    order = list(range(len(ODD)))
    random.Random(5).shuffle(order)
    shuffled = list(clf.classify_many([ODD[i] for i in order], batch_size=7))
    for i, p in zip(order, shuffled, strict=True):
        assert p == alone[i], p.article_id


def test_odd_documents_give_json_ready_builtin_values(clf: Classifier) -> None:
    allowed = (str, int, float, bool, type(None))

    def walk(x: Any, where: str) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                assert type(k) is str, where
                walk(v, f"{where}.{k}")
        elif isinstance(x, list):
            for j, v in enumerate(x):
                walk(v, f"{where}[{j}]")
        else:
            assert type(x) in allowed, (where, type(x))

    for p in clf.classify_many(ODD, batch_size=len(ODD)):
        d = p.to_dict()
        walk(d, p.article_id)
        assert Prediction.from_dict(json.loads(json.dumps(d, allow_nan=False))) == p
        assert type(p.needs_review) is bool
        for s in p.evidence.sentences:
            assert type(s.start) is int and type(s.end) is int and type(s.score) is float


def test_evidence_quotes_the_body_of_odd_documents(clf: Classifier) -> None:
    for item, p in zip(ODD, clf.classify_many(ODD, batch_size=len(ODD)), strict=True):
        body = item["text"][:100_000]
        for s in p.evidence.sentences:
            assert body[s.start : s.end] == s.text, item["id"]
            assert s.text and s.text == s.text.strip(" \t\r\n"), item["id"]


def test_batch_size_one_and_many_match(clf: Classifier) -> None:
    items = ODD[:20]
    assert list(clf.classify_many(items, batch_size=1)) == list(
        clf.classify_many(items, batch_size=10_000)
    )


def test_two_worker_processes_match_one(clf: Classifier) -> None:
    items = [it for it in ODD if len(it["text"]) < 10_000]
    one = list(clf.classify_many(items, batch_size=4))
    two = list(clf.classify_many(items, batch_size=4, n_process=2))
    assert one == two


def test_word_table_agrees_with_the_lexemes_including_its_overflow(clf: Classifier) -> None:
    """Single-threaded, the table (slots and sorted overflow) returns what spaCy says."""
    nlp = clf.analyzer.pipelines["en"]
    table = _WordTable(nlp, _MONTHS, _CONNECTORS, ["plan", "framework"])
    words = [*_new_words("table", 6000), "Plan", "2025", "January", ".", "\n\n", "of", "42"]
    orths = np.array([nlp.vocab[w].orth for w in words], dtype=np.uint64)
    expected = table._describe(orths)
    rnd = np.random.default_rng(0)
    for _ in range(4):  # overlapping calls, repeats inside a call
        pick = rnd.integers(0, orths.size, 3000)
        lower, length, flags = table.lookup(orths[pick])
        assert (lower == expected[pick, 0]).all()
        assert (length.astype(np.uint64) == expected[pick, 1]).all()
        assert (flags.astype(np.uint64) == expected[pick, 2]).all()
    assert table._overflow[0].size > 0  # 6,000 words in 2**18 slots: some must spill


# ----------------------------------------------------------------------------- thread safety


class _Hooked(np.ndarray):
    """An array view that runs ``hook`` once, on the first ``take`` (``_HookedWrite``: on
    the first item assignment): another thread's work, forced in at that point."""

    hook: Callable[[], None] | None = None

    def _fire(self) -> None:
        hook, _Hooked.hook = _Hooked.hook, None
        if hook is not None:
            hook()

    def take(self, *args: Any, **kwargs: Any) -> Any:
        self._fire()
        return np.asarray(self).take(*args, **kwargs)


class _HookedWrite(_Hooked):
    def take(self, *args: Any, **kwargs: Any) -> Any:
        return np.asarray(self).take(*args, **kwargs)

    def __setitem__(self, key: Any, value: Any) -> None:
        np.asarray(self).__setitem__(key, value)
        self._fire()


class _OtherThread:
    """Runs ``work`` in a second thread when the hook fires, and waits up to ``wait``
    seconds for it: long enough to finish unless a lock (a fix) makes it wait for us."""

    def __init__(self, work: Callable[[], object], wait: float = 1.0) -> None:
        self.thread = threading.Thread(target=work, daemon=True)
        self.wait = wait

    def __call__(self) -> None:
        self.thread.start()
        self.thread.join(self.wait)

    def finish(self) -> None:
        if self.thread.is_alive():
            self.thread.join(30)


def _colliding_words(nlp: Any, slots: int) -> tuple[str, str]:
    seen: dict[int, str] = {}
    for i in range(100_000):
        w = f"collide{i}zq"
        slot = nlp.vocab.strings.add(w) & (slots - 1)
        if slot in seen:
            return seen[slot], w
        seen[slot] = w
    raise AssertionError("no collision found")


def test_word_table_reader_racing_an_insert_of_the_same_word(clf: Classifier) -> None:
    nlp = clf.analyzer.pipelines["en"]
    table = _WordTable(nlp, _MONTHS, _CONNECTORS, [])
    word = _new_words("reader", 1)[0].title()
    orth = np.array([nlp.vocab[word].orth], dtype=np.uint64)
    # thread B inserts the word after thread A gathered lower/length/flags, before the keys
    other = _OtherThread(lambda: table.lookup(orth))
    table._keys = table._keys.view(_Hooked)
    _Hooked.hook = other
    lower, length, flags = table.lookup(orth)  # thread A
    other.finish()
    lex = nlp.vocab[word]
    assert (int(lower[0]), int(length[0])) == (lex.lower, len(word))
    assert int(flags[0]) != 0  # a title-case word


def test_word_table_two_inserts_into_one_slot(clf: Classifier) -> None:
    nlp = clf.analyzer.pipelines["en"]
    table = _WordTable(nlp, _MONTHS, _CONNECTORS, [])
    a, b = _colliding_words(nlp, table.SLOTS)
    oa = np.array([nlp.vocab[a].orth], dtype=np.uint64)
    ob = np.array([nlp.vocab[b].orth], dtype=np.uint64)
    # thread A has written the slot's lower id when thread B fills the same (still keyless) slot
    table._lower = table._lower.view(_HookedWrite)
    other = _OtherThread(lambda: table.lookup(ob))
    _Hooked.hook = other
    table.lookup(oa)
    other.finish()
    table._lower = np.asarray(table._lower)
    # long after both threads are done, every lookup of ``a`` is wrong
    assert int(table.lookup(oa)[0][0]) == nlp.vocab[a].lower


def test_classifier_shared_by_two_threads_end_to_end() -> None:
    own = load()  # its word table must not know the words yet
    words = _new_words("threads", 400)
    sentences = [" ".join(words[i : i + 10]).capitalize() + "." for i in range(0, 400, 10)]
    doc = {
        "id": "x",
        "title": "NAIO publishes the AI Governance Framework",
        "text": "The National AI Office (NAIO) today published the AI Governance Framework. "
        + " ".join(sentences),
    }
    expected = next(iter(load().classify_many([doc])))
    keys = own.analyzer._words["en"]._keys
    own.analyzer._words["en"]._keys = keys.view(_Hooked)
    other = _OtherThread(lambda: list(own.classify_many([dict(doc, id="other thread")])), 5.0)
    _Hooked.hook = other
    got = next(iter(own.classify_many([doc])))
    other.finish()
    assert got == expected


# ----------------------------------------------------------------------------- artifact slots


def test_partner_written_sdn_dot_bhd_dot(clf: Classifier) -> None:
    pred = clf.classify(
        "PUTRAJAYA – The National AI Office (NAIO) today published the AI Governance "
        "Guidelines for the public sector, prepared with Acme Robotics Sdn. Bhd. after three "
        "rounds of consultation.",
        title="NAIO publishes AI Governance Guidelines",
    )
    assert pred.status == "artifact"
    slots = pred.evidence.artifact
    assert slots is not None
    assert "Bhd" not in slots.partners
    assert any(p.startswith("Acme Robotics Sdn. Bhd") for p in slots.partners)


def test_partner_names_stop_at_a_line_break(clf: Classifier) -> None:
    pred = clf.classify(
        "The National AI Office (NAIO) today published the AI Governance Guidelines with "
        "Acme Robotics Sdn Bhd and Universiti Malaya.\nAbout MDEC\nThe Malaysia Digital "
        "Economy Corporation leads the digital economy.",
        title="NAIO publishes AI Governance Guidelines",
    )
    slots = pred.evidence.artifact
    assert slots is not None
    assert all("\n" not in p for p in slots.partners)
    assert "The Malaysia Digital Economy Corporation" in slots.partners


def test_a_lone_surrogate_is_classified_with_offsets_intact(clf: Classifier) -> None:
    text = (
        "The National AI Office (NAIO) today published the AI Procurement Checklist \ud800 "
        "for 40 agencies. It takes effect on 1 May 2026."
    )
    batch = list(clf.classify_many([{"id": "s", "text": text}, {"id": "ok", "text": "Hello."}]))
    assert [p.article_id for p in batch] == ["s", "ok"]
    for s in batch[0].evidence.sentences:
        assert s.text == text[s.start : s.end].replace("\ud800", "\ufffd")
    json.dumps(batch[0].to_dict())
