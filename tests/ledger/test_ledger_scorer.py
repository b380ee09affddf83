"""The ledger's learned scorer, its cannot-link rules, the new terms, stages and blocking."""

from __future__ import annotations

import json
import random
import string
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pytest

from naio_nlp import ledger as L
from naio_nlp.errors import ConfigError
from naio_nlp.ledger import FEATURES, build, load_scorer, similarity
from naio_nlp.schema import Article, ArtifactSlots, Evidence, EvidenceSentence, Prediction

Pair = tuple[Article, Prediction]


def doc(
    aid: str,
    text: str,
    *,
    status: str = "artifact",
    kind: str | None = "action_plan",
    name: str | None = None,
    day: date | None = date(2025, 5, 1),
    lang: str = "en",
    agencies: tuple[str, ...] = (),
    title: str = "",
    source: str = "wire",
) -> Pair:
    article = Article(
        id=aid,
        text=text,
        title=title,
        url=f"https://example.org/{aid}",
        source=source,
        published=day,
        language=lang,
    )
    first = text.split(". ")[0]
    evidence = Evidence(
        sentences=(EvidenceSentence(first, 0, len(first), 2.0, "status"),),
        naio_role="operative" if status == "artifact" else "cited",
        artifact=ArtifactSlots(name=name, agencies=agencies) if status == "artifact" else None,
    )
    pred = Prediction(
        article_id=aid,
        status=status,
        artifact_type=kind if status == "artifact" else None,
        domains=("talent",),
        status_probs={status: 0.9},
        evidence=evidence,
    )
    return article, pred


def packaged() -> dict[str, object]:
    text = resources.files("naio_nlp").joinpath(L.SCORER_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def test_the_packaged_scorer_loads_and_matches_the_features() -> None:
    data = packaged()
    scorer = load_scorer(data)
    assert scorer.features == FEATURES
    assert len(scorer.coef) == len(FEATURES)
    assert 0.0 < scorer.threshold < 1.0
    assert scorer == L._SCORER  # the one loaded at import is the packaged one
    # plain numbers, no pickle: the file is JSON with these fields only
    assert set(data) == {"version", "features", "coef", "intercept", "threshold"}
    # a pair with everything in common scores above one with nothing in common
    same = [1.0] * len(FEATURES)
    for neg in ("unshared_distinctive", "different_head", "different_type", "log_date_gap"):
        same[FEATURES.index(neg)] = 0.0
    assert scorer.probability(same) > scorer.threshold > scorer.probability([0.0] * len(FEATURES))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(features=list(reversed(d["features"]))),
        lambda d: d.update(features=d["features"][:-1], coef=d["coef"][:-1]),
        lambda d: d.update(features=[*d["features"], "brand_new_feature"]),
    ],
)
def test_a_scorer_trained_on_other_features_is_refused(change) -> None:  # type: ignore[no-untyped-def]
    data = packaged()
    change(data)
    with pytest.raises(ConfigError, match="retrain"):
        load_scorer(data)


def test_bad_scorer_numbers_are_refused() -> None:
    for key, value in (("threshold", 1.5), ("coef", [1.0]), ("version", 99), ("intercept", "x")):
        data = packaged()
        data[key] = value
        with pytest.raises(ConfigError):
            load_scorer(data)


LEAD = (
    "The sandbox lets companies test AI products with real users for 12 months under a "
    "regulator's watch; the first cohort covers Islamic finance, logistics and telehealth."
)


@pytest.mark.parametrize(
    ("national", "regional", "lang"),
    [
        ("National AI Sandbox", "Selangor AI Sandbox", "en"),
        ("Kotak Pasir AI Nasional", "Kotak Pasir AI Selangor", "ms"),
    ],
)
def test_a_written_look_alike_is_vetoed(national: str, regional: str, lang: str) -> None:
    pairs = [
        doc("n1", f"NAIO opened the {national} today. {LEAD}", name=national, lang=lang),
        doc(
            "r1",
            f"The state opened the {regional} today. {LEAD}",
            name=regional,
            lang=lang,
            day=date(2025, 5, 2),
        ),
    ]
    ledger = build(pairs)
    first, second = ledger.entry_for("n1"), ledger.entry_for("r1")
    assert first is not None and second is not None
    assert first.artifact_id != second.artifact_id
    # the owners' rule vetoes the pair outright, whatever the scorer would say
    report = L.read_report(*pairs[1])
    assert report is not None
    assert ledger._vetoed(report, regional, L._key(regional), first.artifact_id)
    # and an unmarked name does not clash with either
    plain = "AI Sandbox"
    assert not ledger._owners_clash(first.artifact_id, plain)


def test_two_councils_of_different_bodies_never_merge() -> None:
    text = "The council of 15 members met for the first time on Monday in Putrajaya."
    ledger = build(
        [
            doc("e", f"NAIO convened the AI Ethics Council. {text}", name="AI Ethics Council"),
            doc(
                "i",
                f"Majlis Penasihat Industri AI bersidang. {text}",
                name="Majlis Penasihat Industri AI",
                lang="ms",
                day=date(2025, 5, 2),
            ),
            doc(
                "e2",
                f"Majlis Etika AI bersidang. {text}",
                name="Majlis Etika AI",
                lang="ms",
                day=date(2025, 5, 3),
            ),
        ]
    )
    ids = {a: ledger.entry_for(a).artifact_id for a in ("e", "i", "e2")}  # type: ignore[union-attr]
    assert ids["e"] == ids["e2"] != ids["i"]


def test_a_successor_does_not_join_its_predecessor() -> None:
    first = doc(
        "x1",
        "NAIO ran the National AI Red-Teaming Exercise with nine teams this week.",
        name="National AI Red-Teaming Exercise",
        day=date(2025, 8, 26),
    )
    second = doc(
        "x2",
        "NAIO ran the second National AI Red-Teaming Exercise with twelve teams.",
        name="National AI Red-Teaming Exercise",
        day=date(2026, 8, 18),
    )
    ledger = build([first, second])
    assert ledger.entry_for("x1") != ledger.entry_for("x2")


def test_new_terms_merge_english_and_malay_names() -> None:
    assert similarity("Dana Padanan Pengkomersialan AI", "AI Commercialisation Matching Fund") == 1
    assert similarity("Pusat Kecemerlangan AI Kebangsaan", "National AI Centre of Excellence") == 1
    ledger = build(
        [
            doc(
                "f-en",
                "NAIO launched the AI Commercialisation Matching Fund with RM100 million today.",
                name="AI Commercialisation Matching Fund",
                kind="commercialization_pathway",
            ),
            doc(
                "f-ms",
                "NAIO melancarkan Dana Padanan Pengkomersialan AI bernilai RM100 juta.",
                name="Dana Padanan Pengkomersialan AI",
                kind="commercialization_pathway",
                lang="ms",
                day=date(2025, 5, 2),
            ),
        ]
    )
    assert ledger.entry_for("f-en") == ledger.entry_for("f-ms")


def test_results_cues_mean_operational_only_well_after_the_launch() -> None:
    name = "AI Chip Design Academy"
    launch = doc("a0", f"NAIO launched the {name} in Penang today.", name=name)
    # launch-day coverage that already mentions the first cohort is still the launch
    same_week = doc(
        "a1",
        f"The {name} opened with its first cohort; the second cohort is due in 2026.",
        name=name,
        day=date(2025, 5, 5),
    )
    months_on = doc(
        "a2",
        f"The {name} has admitted its second cohort of 40 engineers.",
        name=name,
        day=date(2025, 5, 1) + timedelta(days=60),
    )
    drafting = doc(
        "a3",
        f"The {name} is being drafted by NAIO, which is expected to finish it next year.",
        name=name,
        day=date(2025, 1, 10),
    )
    entry = build([launch, same_week, months_on, drafting]).entry_for("a0")
    assert entry is not None
    stage = {r.article_id: r.stage for r in entry.reports}
    assert stage == {
        "a3": "announced",
        "a0": "launched",
        "a1": "launched",
        "a2": "operational",
    }


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(9)).title()


def test_blocking_never_compares_all_pairs() -> None:
    rng = random.Random(7)
    n = 300
    pairs = [
        doc(
            f"b{i:03d}",
            f"NAIO launched the {w} {v} Programme today. Officials said work would continue.",
            name=f"{w} {v} Programme",
            day=date(2025, 1, 1) + timedelta(days=i),
        )
        for i, (w, v) in enumerate((_word(rng), _word(rng)) for _ in range(n))
    ]
    ledger = build(pairs)
    assert len(ledger) == n  # all different outputs
    # words shared by every document (NAIO, launched, officials) propose no candidates;
    # names share nothing, so next to no report is compared with any entry
    all_pairs = n * (n - 1) // 2
    assert ledger.comparisons < all_pairs / 100
    # a report of an existing output is compared with a few entries, not all of them
    slots = pairs[5][1].evidence.artifact
    assert slots is not None
    again = L.update(
        ledger,
        [doc("again", f"The {slots.name} took its second intake this week.", name=slots.name)],
    )
    joined, original = again.entry_for("again"), ledger.entry_for("b005")
    assert joined is not None and original is not None
    assert joined.artifact_id == original.artifact_id
    assert 1 <= again.comparisons <= L._MAX_CANDIDATES + L._MAX_CONTEXT_CANDIDATES


#: What every report of the blueprint says about it: the context words it links by.
BLUEPRINT_CONTEXT = (
    " The blueprint reserves GPU capacity in Cyberjaya and Kulim for university"
    " researchers and Malay language models."
)


def blueprint(aid: str, sentence: str, *, day: date = date(2025, 5, 1), **kw: Any) -> Pair:
    """A report of the Sovereign AI Blueprint (or one of its phases) on ``day``."""
    return doc(aid, sentence + BLUEPRINT_CONTEXT, day=day, **kw)


def test_two_phases_of_one_plan_are_two_outputs() -> None:
    assert L._phase("Pelan Induk AI Berdaulat Fasa Kedua") == "2"
    assert L._phase("the second phase of the plan") == "2"
    assert L._phase("Sovereign AI Blueprint Phase 1") == "1"
    assert L._phase("Sovereign AI Blueprint") is None
    assert similarity("Sovereign AI Blueprint Phase 1", "Sovereign AI Blueprint Phase 2") == 0
    assert similarity("Sovereign AI Blueprint Phase 2", "Pelan Induk AI Berdaulat Fasa 2") > 0.5
    # a number after "Phase" stays in the name read from the text
    assert L._capitalised_names("NAIO today launched the Sovereign AI Blueprint Phase 2.") == [
        "Sovereign AI Blueprint Phase 2"
    ]
    one = "Sovereign AI Blueprint Phase 1"
    two = "Sovereign AI Blueprint Phase 2"
    ledger = build(
        [
            blueprint("p1", f"NAIO launched the {one} with 18 initiatives.", name=one),
            blueprint(
                "p1-later", f"The {one} has met 9 of 18 targets.", name=one, day=date(2025, 9, 1)
            ),
            # named without its phase, but "Phase 2 of" stands before the name
            blueprint(
                "p2-consult",
                "NAIO opened a consultation on Phase 2 of the Sovereign AI Blueprint.",
                status="symbolic",
                day=date(2027, 6, 1),
            ),
            blueprint("p2", f"NAIO launched the {two}.", name=two, day=date(2027, 11, 24)),
        ]
    )
    first, later, second = (ledger.entry_for(a) for a in ("p1", "p1-later", "p2"))
    assert first is not None and first == later
    assert second is not None and second != first
    assert ledger.entry_for("p2-consult") in (None, second)


def test_phase_words_that_are_not_phases() -> None:
    assert L._phase("Kenderaan Autonomi Tahap 4") is None  # a level, not a phase
    assert L._phase("National AI Roadmap Phase I expects") is None  # the pronoun
    assert L._phase("Fasa ke-2") == "2" and L._phase("Phase 10") == "10"
    assert L._capitalised_names("NAIO melancarkan Pelan Induk AI Berdaulat Fasa Kedua.") == [
        "Pelan Induk AI Berdaulat Fasa Kedua"
    ]
    # a phase word left without its number is not kept in the name
    assert L._capitalised_names("NAIO launched the Sovereign AI Blueprint Phase today.") == [
        "Sovereign AI Blueprint"
    ]
    assert L._is_successor(
        "Sovereign AI Blueprint", "work on the second phase of the Sovereign AI Blueprint began"
    )


def test_a_phase_two_entry_keeps_its_own_later_reports() -> None:
    """A later phase is a successor of the entry before it, not of its own entry."""
    two = "Sovereign AI Blueprint Phase 2"
    ledger = build(
        [
            blueprint("a", f"NAIO launched the {two} with 22 initiatives.", name=two),
            blueprint("b", f"The {two} has met 9 of 22 targets.", name=two, day=date(2026, 2, 1)),
        ]
    )
    assert ledger.entry_for("a") is not None
    assert ledger.entry_for("a") == ledger.entry_for("b")


def test_an_entry_that_numbers_its_phase_refuses_another_phase() -> None:
    """Only the phase rule keeps these apart: the third report comes within 90 days, so
    the successor rule does not apply, and the entry also holds the name without a phase."""
    others = [
        doc(f"o{i}", f"NAIO launched the {w} Programme with partners.", name=f"{w} Programme")
        for i, w in enumerate(["Seniors Literacy", "Port Automation", "Zakat Chatbot"])
    ]
    phase_one, plain, phase_two = (
        "Sovereign AI Blueprint Phase 1",
        "Sovereign AI Blueprint",
        "Sovereign AI Blueprint Phase 2",
    )
    ledger = build(
        [
            *others,
            blueprint("a", f"NAIO launched the {phase_one}.", name=phase_one, title=phase_one),
            blueprint(
                "b",
                f"NAIO published the {plain} targets.",
                name=plain,
                day=date(2025, 5, 2),
                title=f"{plain} targets",
            ),
            blueprint(
                "c",
                f"NAIO opened the {phase_two} consultation.",
                name=phase_two,
                day=date(2025, 6, 1),
                title=f"{phase_two} consultation",
            ),
        ]
    )
    assert ledger.entry_for("a") is not None and ledger.entry_for("a") == ledger.entry_for("b")
    assert ledger.entry_for("c") != ledger.entry_for("a")


def test_a_report_long_after_any_launch_report_without_stage_words_is_operational() -> None:
    name = "AI Scam Call Detection Pilot"
    ledger = build(
        [
            # the launch report has no launch word either ("began"): its stage is the default
            doc("s0", f"The {name} began with three mobile operators.", name=name),
            doc(
                "s1",
                f"The {name} flagged 1.9 million suspected scam calls, NAIO said.",
                name=name,
                day=date(2025, 11, 1),
            ),
        ]
    )
    entry = ledger.entry_for("s0")
    assert entry is not None and ledger.entry_for("s1") == entry
    stage = {r.article_id: r.stage for r in entry.reports}
    assert stage == {"s0": "launched", "s1": "operational"}


def test_an_entry_is_named_by_its_formal_name_before_a_headline() -> None:
    headline = L.read_report(
        *doc(
            "h1",
            "The office doubled its youth panel to 50 members.",
            name="AI office doubles youth panel",
        )
    )
    formal = L.read_report(
        *doc(
            "h2",
            "The office will convene the Youth AI Advisory Panel in June.",
            status="symbolic",
            day=date(2025, 3, 2),
        )
    )
    assert headline is not None and formal is not None
    assert formal.name == "Youth AI Advisory Panel" and formal.status == "symbolic"
    # written as often as the headline's phrase, so the formal name wins, even from a
    # symbolic report
    assert L._summarise("A0001", [headline, formal]).name == "Youth AI Advisory Panel"


def test_a_slot_name_without_its_phase_takes_the_phase_its_sentence_gives() -> None:
    """The classifier's name can stop short of "Phase 2"; the sentence still says it."""
    one = blueprint(
        "s1",
        "NAIO launched the Sovereign AI Blueprint Phase 1 with 18 initiatives.",
        name="Sovereign AI Blueprint",
    )
    two = blueprint(
        "s2",
        "NAIO launched the Sovereign AI Blueprint Phase 2 (2028-2030) with 22 initiatives.",
        name="Sovereign AI Blueprint",
        day=date(2025, 6, 1),
    )
    ledger = build([one, two])
    first, second = ledger.entry_for("s1"), ledger.entry_for("s2")
    assert first is not None and second is not None and first != second
    assert (first.name, second.name) == (
        "Sovereign AI Blueprint Phase 1",
        "Sovereign AI Blueprint Phase 2",
    )
