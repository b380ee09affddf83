"""The ledger links reports of one output, keeps look-alikes apart, tracks stages, keeps ids."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from naio_nlp.ledger import (
    Ledger,
    _other_owned,
    _sectors,
    build,
    read_report,
    similarity,
    update,
)
from naio_nlp.schema import Article, ArtifactSlots, Evidence, EvidenceSentence, Prediction
from naio_nlp.store import Store

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


PLAN_EN = doc(
    "en-1",
    "PUTRAJAYA — The National AI Office released the AI Technology Action Plan 2026-2030 "
    "today. The plan sets out 42 initiatives.",
    name="AI Technology Action Plan 2026-2030",
    day=date(2025, 11, 18),
)
PLAN_MS = doc(
    "ms-1",
    "KUALA LUMPUR — Pejabat AI Negara melancarkan Pelan Tindakan Teknologi AI 2026-2030 "
    "semalam. Pelan itu mengandungi 42 inisiatif.",
    name="Pelan Tindakan Teknologi AI 2026-2030",
    day=date(2025, 11, 19),
    lang="ms",
    source="berita",
)
PLAN_ANNOUNCED = doc(
    "ms-0",
    "Pejabat AI Negara berkata Pelan Tindakan Teknologi AI 2026-2030 sedang dirangka dan "
    "dijangka siap hujung tahun. Menurut kenyataan itu, rundingan awam akan diadakan.",
    status="symbolic",
    day=date(2025, 3, 19),
    lang="ms",
)
OLD_PLAN = doc(
    "en-old",
    "The ministry reviewed the AI Technology Action Plan 2021-2025 last week. It found gaps.",
    name="AI Technology Action Plan 2021-2025",
    day=date(2025, 1, 10),
)


def test_english_and_malay_reports_of_one_plan_share_an_entry() -> None:
    assert (
        similarity("AI Technology Action Plan 2026-2030", "Pelan Tindakan Teknologi AI 2026–2030")
        == 1.0
    )
    assert similarity("Garis Panduan Etika AI", "AI Ethics Guidelines") == 1.0
    assert similarity("Kotak Pasir Kawal Selia AI", "AI Regulatory Sandbox") == 1.0
    ledger = build([PLAN_EN, PLAN_MS, PLAN_ANNOUNCED, OLD_PLAN])
    entry = ledger.entry_for("en-1")
    assert entry is not None
    assert set(entry.article_ids) == {"ms-0", "en-1", "ms-1"}
    assert entry.name == "AI Technology Action Plan 2026-2030"
    assert "Pelan Tindakan Teknologi AI 2026-2030" in entry.aliases
    assert [s.stage for s in entry.stages] == ["announced", "launched"]
    assert entry.announced_on == date(2025, 3, 19) and entry.launched_on == date(2025, 11, 18)
    assert entry.current_stage == "launched"
    # a different plan period is a different output
    old = ledger.entry_for("en-old")
    assert old is not None and old.artifact_id != entry.artifact_id


def test_look_alikes_stay_apart() -> None:
    councils = [
        doc(
            "c1",
            "NAIO convened the National AI Ethics Council on Monday. It has 11 members.",
            name="National AI Ethics Council",
            kind="multi_agency_program",
        ),
        doc(
            "c2",
            "NAIO convened the National AI Talent Council on Tuesday. It has 9 members.",
            name="National AI Talent Council",
            kind="multi_agency_program",
        ),
        doc(
            "c3",
            "Majlis Etika AI Kebangsaan bersidang buat kali pertama. Ia dianggotai 11 ahli.",
            name="Majlis Etika AI Kebangsaan",
            kind="multi_agency_program",
            lang="ms",
        ),
    ]
    guides = [
        doc(
            "g1",
            "The Ministry of Health and NAIO published AI Guidelines for clinics.",
            name="AI Guidelines",
            kind="public_guidance",
            agencies=("Ministry of Health",),
        ),
        doc(
            "g2",
            "The Ministry of Education and NAIO published AI Guidelines for schools.",
            name="AI Guidelines",
            kind="public_guidance",
            agencies=("Ministry of Education",),
        ),
    ]
    ledger = build(councils + guides)
    ids = {aid: ledger.entry_for(aid).artifact_id for aid in ("c1", "c2", "c3", "g1", "g2")}  # type: ignore[union-attr]
    assert ids["c1"] == ids["c3"], "the Malay name of the ethics council is the same council"
    assert ids["c1"] != ids["c2"]
    assert ids["g1"] != ids["g2"]
    assert len(ledger) == 4


def test_operational_before_launch_is_flagged_not_reordered() -> None:
    launch = doc(
        "s-launch",
        "NAIO opened applications for the AI Regulatory Sandbox today. Up to 15 firms qualify.",
        name="AI Regulatory Sandbox",
        kind="commercialization_pathway",
        day=date(2025, 8, 12),
    )
    later = doc(
        "s-op",
        "NAIO has admitted 12 startups to the second cohort of its AI Regulatory Sandbox.",
        name="AI Regulatory Sandbox",
        kind="commercialization_pathway",
        day=date(2025, 6, 1),  # dated before the launch report: one of them is wrong
    )
    entry = build([launch, later]).entry_for("s-op")
    assert entry is not None
    assert [(s.stage, s.date) for s in entry.stages] == [
        ("launched", date(2025, 8, 12)),
        ("operational", date(2025, 6, 1)),
    ]
    assert entry.flags == ("operational_before_launch",)
    assert entry.current_stage == "operational"
    fine = build(
        [
            launch,
            doc(
                "s-op2",
                later[0].text,
                name="AI Regulatory Sandbox",
                kind="commercialization_pathway",
                day=date(2026, 5, 12),
            ),
        ]
    )
    assert fine.entry_for("s-op2").flags == ()  # type: ignore[union-attr]


def test_ids_are_stable_across_updates_and_saves(tmp_path: Path) -> None:
    first = build([PLAN_EN, OLD_PLAN])
    before = {e.artifact_id: e.article_ids for e in first}
    sandbox = doc(
        "sb",
        "NAIO launched the AI Regulatory Sandbox today with five regulators.",
        name="AI Regulatory Sandbox",
        kind="commercialization_pathway",
        day=date(2024, 12, 30),
    )  # older than everything: still gets a new id
    second = update(first, [PLAN_MS, sandbox, PLAN_EN])
    assert {e.artifact_id: e.article_ids for e in first} == before, "update leaves its input alone"
    plan_id = first.entry_for("en-1").artifact_id  # type: ignore[union-attr]
    assert second.entry_for("ms-1").artifact_id == plan_id  # type: ignore[union-attr]
    new_id = second.entry_for("sb").artifact_id  # type: ignore[union-attr]
    assert new_id not in before and new_id == "A0003"
    # saved and read back (JSON file and store table), then updated again: same ids
    path = second.write_json(tmp_path / "ledger.json")
    again = Ledger.read_json(path)
    assert [e.to_dict() for e in again] == [e.to_dict() for e in second]
    with Store(tmp_path / "s.db") as store:
        store.save_ledger(second, model_version="m1")
        loaded = store.ledger(model_version="m1")
    assert loaded is not None
    third = update(loaded, [PLAN_ANNOUNCED])
    assert third.entry_for("ms-0").artifact_id == plan_id  # type: ignore[union-attr]
    assert json.loads(json.dumps(third.to_dict()))["next_id"] == 4


def test_what_enters_the_ledger() -> None:
    unrelated = doc("u", "Telcos expand 5G.", status="unrelated")
    vague = doc("v", "NAIO officials attended a forum on AI in Kuching.", status="symbolic")
    intention = doc(
        "i",
        "NAIO will launch a national AI ethics framework by year-end, the minister said.",
        status="symbolic",
    )
    assert read_report(*unrelated) is None
    assert read_report(*vague) is None
    r = read_report(*intention)
    assert r is not None and r.stage == "announced" and "ethics framework" in r.name
    nameless = doc(
        "n",
        "NAIO and three firms signed an agreement on compute.",
        name=None,
        title="NAIO signs compute agreement",
    )
    r2 = read_report(*nameless)
    assert r2 is not None and not r2.linkable and r2.name == "NAIO signs compute agreement"


def test_build_is_order_independent() -> None:
    pairs = [PLAN_EN, PLAN_MS, PLAN_ANNOUNCED, OLD_PLAN]
    a = build(pairs).to_dict()
    b = build(list(reversed(pairs))).to_dict()
    assert a["entries"] == b["entries"]


def test_documents_read_are_not_read_again(tmp_path: Path) -> None:
    vague = doc("v", "NAIO officials attended a forum on AI in Kuching.", status="symbolic")
    ledger = build([PLAN_EN, vague])
    assert ledger.has_read("v") and "v" not in ledger and len(ledger) == 1
    with Store(tmp_path / "s.db") as store:
        store.save_ledger(ledger, model_version="m")
        loaded = store.ledger(model_version="m")
    assert loaded is not None and loaded.has_read("v") and loaded.has_read("en-1")
    # the same id again, even with new text, is not re-read
    renamed = doc("v", "NAIO launched the AI Regulatory Sandbox.", name="AI Regulatory Sandbox")
    assert len(update(loaded, [renamed])) == 1


def test_a_rebuild_for_a_new_model_keeps_the_old_ids() -> None:
    sandbox = doc(
        "sb",
        "NAIO launched the AI Regulatory Sandbox today with five regulators.",
        name="AI Regulatory Sandbox",
        kind="commercialization_pathway",
        day=date(2024, 12, 30),
    )
    old = build([PLAN_EN, OLD_PLAN, sandbox])  # sandbox A0001, old plan A0002, plan A0003
    council = doc(
        "c1",
        "NAIO convened the National AI Ethics Council on Monday. It has 11 members.",
        name="National AI Ethics Council",
        kind="multi_agency_program",
        day=date(2024, 12, 1),  # the earliest: a fresh build would call it A0001
    )
    fresh = build([council, OLD_PLAN, PLAN_EN, PLAN_MS])
    assert fresh.entry_for("c1").artifact_id == "A0001"  # type: ignore[union-attr]
    kept = build([council, OLD_PLAN, PLAN_EN, PLAN_MS], ids_from=old)
    for aid in ("en-old", "en-1"):
        assert kept.entry_for(aid).artifact_id == old.entry_for(aid).artifact_id  # type: ignore[union-attr]
    assert kept.entry_for("ms-1").artifact_id == old.entry_for("en-1").artifact_id  # type: ignore[union-attr]
    assert kept.entry_for("c1").artifact_id == "A0004", "new outputs come after the old ids"
    assert [e.artifact_id for e in kept] == ["A0002", "A0003", "A0004"]
    # and it goes on linking as usual
    later = update(kept, [PLAN_ANNOUNCED])
    assert later.entry_for("ms-0").artifact_id == old.entry_for("en-1").artifact_id  # type: ignore[union-attr]


def test_reports_that_name_no_output_join_by_what_they_report() -> None:
    """A pilot reported only by what it does ("AI screening of lorry X-rays at Bukit Kayu
    Hitam") is still one output: its reports meet through their titles and leads."""
    start = doc(
        "x-1",
        "BUKIT KAYU HITAM — An AI system that screens the X-ray images of cargo lorries went "
        "into use at the Bukit Kayu Hitam border complex today, in a pilot coordinated by the "
        "National AI Office with customs. Officers keep the final say on which lorries are "
        "opened.",
        name=None,
        kind="sector_proof_point",
        title="AI starts screening lorry X-rays at Bukit Kayu Hitam",
        day=date(2026, 2, 24),
    )
    results = doc(
        "x-2",
        "BUKIT KAYU HITAM — Seizures at the Bukit Kayu Hitam crossing rose since the AI "
        "screening of cargo X-ray images began in February, interim figures from the pilot "
        "show. Officers now open fewer lorries.",
        name=None,
        kind="sector_proof_point",
        title="Seizures up at Bukit Kayu Hitam since AI cargo screening began",
        day=date(2026, 6, 2),
    )
    malay = doc(
        "x-3",
        "BUKIT KAYU HITAM: Kadar rampasan di kompleks sempadan Bukit Kayu Hitam meningkat sejak "
        "sistem AI menyaring imej X-ray lori kargo mula digunakan, menurut angka interim "
        "Pejabat AI Negara.",
        name=None,
        kind="sector_proof_point",
        title="Rampasan di Bukit Kayu Hitam meningkat sejak imej X-ray lori disaring AI",
        day=date(2026, 6, 3),
        lang="ms",
    )
    other = doc(
        "d-1",
        "SEREMBAN — An AI system that predicts dengue hotspots three weeks ahead was tested in "
        "Seremban and Petaling from today, coordinated by the National AI Office with the state "
        "health departments.",
        name=None,
        kind="sector_proof_point",
        title="AI dengue hotspot forecasts tested in Seremban",
        day=date(2026, 3, 2),
    )
    ledger = build([start, results, malay, other])
    assert not read_report(*start).linkable  # type: ignore[union-attr]
    entry = ledger.entry_for("x-1")
    assert entry is not None and set(entry.article_ids) == {"x-1", "x-2", "x-3"}
    assert ledger.entry_for("d-1").artifact_id != entry.artifact_id  # type: ignore[union-attr]


def test_an_intention_named_only_by_what_it_is_enters_and_its_launch_joins_it() -> None:
    drafting = doc(
        "f-0",
        "The National AI Office is drafting a framework that would set out when government "
        "agencies can share their data with researchers to train AI models, an official said. "
        "A draft is expected in the coming months.",
        status="symbolic",
        title="Rules on sharing government data to train AI being drafted",
        day=date(2025, 6, 10),
    )
    launch = doc(
        "f-1",
        "The National AI Office launched the AI Training Data Sharing Framework today. It sets "
        "out when government agencies can share their data with researchers to train AI "
        "models.",
        name="AI Training Data Sharing Framework",
        kind="public_guidance",
        title="NAIO launches framework on sharing government data to train AI",
        day=date(2025, 11, 3),
    )
    r = read_report(*drafting)
    assert r is not None and r.stage == "announced" and r.name == "framework"
    # rarity is counted over the ledger's reports: a real one holds more than these two
    ledger = build([drafting, launch, PLAN_EN, PLAN_MS, PLAN_ANNOUNCED, OLD_PLAN])
    entry = ledger.entry_for("f-1")
    assert entry is not None and set(entry.article_ids) == {"f-0", "f-1"}
    assert entry.name == "AI Training Data Sharing Framework"
    assert [s.stage for s in entry.stages] == ["announced", "launched"]


def test_a_vague_announcement_meets_its_launch_through_their_head_noun() -> None:
    """Other stories on the same beat share more context words with the launch than its own
    announcement does; the announcement ("daftar itu") is still a candidate through its head."""
    announced = doc(
        "r-0",
        "Rakyat akan dapat menyemak sistem AI yang digunakan agensi kerajaan di kaunter. Daftar "
        "itu sedang disediakan oleh Pejabat AI Negara dan akan menyenaraikan setiap sistem AI "
        "yang digunakan dalam permohonan bantuan.",
        status="symbolic",
        title="Kerajaan akan senaraikan sistem AI yang digunakan agensi",
        day=date(2025, 4, 2),
        lang="ms",
    )
    beat = (
        "Civil servants at federal agencies will use AI systems at counters, in welfare "
        "applications and in licence renewals, with officers reviewing each decision, the "
        "public sector modernisation unit said."
    )
    others = [
        doc(
            f"b-{i}",
            f"The National AI Office launched the {name} today. {beat}",
            name=name,
            kind="sector_proof_point",
            title=f"{name} launched for federal agencies and civil servants",
            day=date(2025, 5, 10 + i),
        )
        for i, name in enumerate(
            [
                "Counter Chatbot Pilot",
                "Welfare Claims Triage Trial",
                "Licence Renewal Assistant",
                "Federal Translation Service",
                "Officer Decision Review Scheme",
            ]
        )
    ]
    launch = doc(
        "r-1",
        "The National AI Office launched the Public Sector AI Use Register today, listing the "
        f"AI systems government agencies use at counters and in welfare applications. {beat}",
        name="Public Sector AI Use Register",
        kind="public_guidance",
        title="Register of AI systems used by agencies goes online",
        day=date(2025, 9, 1),
    )
    r = read_report(*announced)
    assert r is not None and r.stage == "announced"
    ledger = build([announced, *others, launch])
    entry = ledger.entry_for("r-1")
    assert entry is not None and set(entry.article_ids) == {"r-0", "r-1"}


def test_a_report_without_a_language_field_says_the_detected_one() -> None:
    article, pred = doc(
        "ms-nolang",
        "Pejabat AI Negara hari ini melancarkan Pelan Tindakan Teknologi AI 2026-2030 yang "
        "menggariskan langkah kerajaan untuk lima tahun akan datang.",
        name="Pelan Tindakan Teknologi AI 2026-2030",
        title="Pelan tindakan AI dilancarkan",
        lang="ms",
    )
    bare = Article(id=article.id, text=article.text, title=article.title, url=article.url)
    assert bare.language is None
    report = read_report(bare, pred)
    assert report is not None and report.language == "ms"
    entry = build([(bare, pred)]).entry_for("ms-nolang")
    assert entry is not None and entry.reports[0].language == "ms"


def test_a_symbolic_mention_joins_a_running_output_but_never_opens_one() -> None:
    """An op-ed on a sandbox already running is one more report of it (codebook:
    symbolic, since NAIO does nothing in the op-ed); naming an output nobody
    reported launched, it stays out of the ledger."""
    launch = doc(
        "l",
        "NAIO opened the National AI Regulatory Sandbox to applications today. Twelve firms "
        "will be admitted in the first cohort.",
        name="National AI Regulatory Sandbox",
        kind="multi_agency_program",
        day=date(2025, 6, 2),
    )
    oped = doc(
        "o",
        "Eighteen months on, the National AI Regulatory Sandbox has admitted twelve firms, "
        "and the question is what regulators have learnt from them. Testing alone is not "
        "policy.",
        status="symbolic",
        day=date(2026, 1, 20),
        title="What the sandbox has taught us, so far",
    )
    stray = doc(
        "s",
        "The Malaysian AI Readiness Index ranks states on adoption. Penang came first again.",
        status="symbolic",
        day=date(2026, 2, 1),
    )
    r = read_report(*oped)
    assert r is not None and r.joins_only and r.name == "National AI Regulatory Sandbox"
    ledger = build([launch, oped, stray])
    entry = ledger.entry_for("o")
    assert entry is not None and set(entry.article_ids) == {"l", "o"}
    assert "s" not in ledger and len(ledger) == 1
    assert not ledger.has_read("s"), "a mention that joined nothing is read again next time"
    # crawl order is not date order: the op-ed first, its launch in a later update
    first = update(Ledger(), [oped])
    assert first.is_pending("o") and len(first) == 0
    first = Ledger.from_dict(first.to_dict())  # pending survives a save
    later = update(first, [oped, launch])  # as the runner gives every document not read
    assert set(later.entry_for("o").article_ids) == {"l", "o"}  # type: ignore[union-attr]
    # alone, the op-ed opens nothing: the ledger counts what NAIO produced, not what it is
    # written about
    assert len(build([oped])) == 0


def test_results_without_a_cohort_word_read_as_operation() -> None:
    """Early results, interim figures, an evaluation: a pilot at work, in both languages,
    even with no launch report in the ledger to date it against."""
    for aid, text, lang in [
        (
            "r-en",
            "Early results show the Port Klang Customs AI Screening Pilot, coordinated by NAIO, "
            "has cut manual inspections by 18%.",
            "en",
        ),
        (
            "r-ms",
            "Angka interim Perintis Saringan AI Kastam Pelabuhan Klang yang diselaras NAIO "
            "menunjukkan pemeriksaan manual berkurang 18 peratus.",
            "ms",
        ),
    ]:
        r = read_report(*doc(aid, text, kind="sector_proof_point", lang=lang))
        assert r is not None and r.stage == "operational", (aid, r)


def test_a_near_artifact_reads_as_one_but_only_joins() -> None:
    """A document the classifier called symbolic at 0.6 (artifact 0.4) may be an
    artifact: the ledger reads it as one, title and all, yet never opens an entry for it."""
    launch = doc(
        "k1",
        "NAIO and the Kedah agriculture department launched the Kedah Paddy Disease Pilot "
        "today across 40 blocks in the Muda area.",
        name="Kedah Paddy Disease Pilot",
        kind="sector_proof_point",
        day=date(2025, 3, 3),
    )
    art, pred = doc(
        "k2",
        "Drone images and an AI model flagged paddy blast disease early on 40 blocks in Muda "
        "this season, and farmers in the pilot lost less of their crop, the Kedah agriculture "
        "department said.",
        status="symbolic",
        day=date(2025, 9, 9),
        title="Kedah paddy disease pilot cuts crop losses in Muda",
    )
    near = (art, replace(pred, status_probs={"symbolic": 0.6, "artifact": 0.4}))
    far = (art, replace(pred, status_probs={"symbolic": 0.9, "artifact": 0.1}))
    r = read_report(*near)
    assert r is not None and r.joins_only
    # far from an artifact, a mention joins only by a name that says which output: a
    # lower-case one will do ("Kedah paddy disease pilot"), its title and lead will not
    r_far = read_report(*far)
    assert r_far is not None and r_far.joins_only and r_far.name == "Kedah paddy disease pilot"
    nameless = (replace(art, title="Crop losses fall in Muda"), far[1])
    assert read_report(*nameless) is None, "no name, no intention: a symbolic mention"
    assert read_report(nameless[0], near[1]) is not None
    entry = build([launch, near]).entry_for("k2")
    assert entry is not None and set(entry.article_ids) == {"k1", "k2"}
    assert len(build([near])) == 0


def test_a_mention_of_an_output_only_announced_does_not_launch_it() -> None:
    """'The Zeta Registry has yet to appear': commentary is no launch report."""
    promise = doc(
        "z1",
        "NAIO will launch the Zeta AI Systems Registry next year, the minister said.",
        status="symbolic",
        day=date(2025, 3, 1),
    )
    oped = doc(
        "z2",
        "The Zeta AI Systems Registry has yet to appear, and agencies keep buying AI tools "
        "nobody lists.",
        status="symbolic",
        day=date(2025, 9, 15),
        title="Where is the registry?",
    )
    ledger = build([promise, oped])
    entry = ledger.entry_for("z2")
    assert entry is not None and set(entry.article_ids) == {"z1", "z2"}
    assert entry.current_stage == "announced"
    assert entry.launched_on is None


def test_a_near_artifact_that_states_an_intention_still_opens_its_announcement() -> None:
    art, pred = doc(
        "n1",
        "NAIO will launch an AI toolkit for small businesses next year, the minister said.",
        status="symbolic",
    )
    near = (art, replace(pred, status_probs={"symbolic": 0.56, "artifact": 0.44}))
    r = read_report(*near)
    assert r is not None and r.stage == "announced" and not r.joins_only
    assert len(build([near])) == 1


def test_a_lower_case_name_ends_before_an_auxiliary_or_modal() -> None:
    # Malay: "wajib", "dapat" begin the predicate, not the name
    ms = read_report(
        *doc(
            "ms-modal",
            "Platform penghantaran wajib memaklumkan penghantar sebab akaun digantung.",
            title="Platform penghantaran wajib memaklumkan penghantar dalam 12 jam",
            lang="ms",
            kind="public_guidance",
        )
    )
    assert ms is not None and ms.name.lower() == "platform penghantaran"
    # English: "18 can register" is a subject and its verb, not a register: the story
    # names no output
    en = read_report(
        *doc(
            "en-modal",
            "Students aged 13 to 18 can register online until August.",
            title="Students aged 13 to 18 can register online",
            kind="multi_agency_program",
        )
    )
    assert en is not None and not en.linkable


def test_an_olympiad_is_an_output_named_in_both_languages() -> None:
    en = read_report(
        *doc(
            "en-olympiad",
            "Registration opened today for the first National AI Olympiad for school pupils.",
            title="Registration opens for first National AI Olympiad",
            kind="multi_agency_program",
        )
    )
    assert en is not None and en.linkable and en.name == "National AI Olympiad"
    assert similarity("National AI Olympiad", "Olimpiad AI Kebangsaan") >= 0.9


def test_an_intention_naming_only_a_head_takes_the_name_its_title_gives() -> None:
    # "panel itu akan ...": the panel the title names, not "panel itu" alone
    mention = read_report(
        *doc(
            "ms-anaphora",
            "PUTRAJAYA: Seramai 20 petani dilantik menganggotai panel yang bersidang hari ini. "
            "Pada mesyuarat pertama, panel bersetuju untuk menyediakan cadangan dan panel "
            "akan menerbitkan laporan dalam tempoh enam bulan.",
            status="symbolic",
            title="20 petani dilantik anggotai Panel Penasihat Petani AI",
            lang="ms",
        )
    )
    assert mention is not None and mention.stage == "announced"
    assert mention.name == "Panel Penasihat Petani AI"
    # a successor ("panel baharu") keeps its own reading: it is not the titled one
    successor = read_report(
        *doc(
            "ms-anaphora-new",
            "Pejabat AI Negara akan menubuhkan panel baharu tahun depan.",
            status="symbolic",
            title="Panel Penasihat Petani AI selesai penggal pertama",
            lang="ms",
        )
    )
    assert successor is not None and successor.name != "Panel Penasihat Petani AI"


def test_an_impact_assessment_is_an_output_named_in_both_languages() -> None:
    en = read_report(
        *doc(
            "en-assessment",
            "Hospitals must complete the Clinical AI Impact Assessment before a tool goes live.",
            title="Hospitals must assess AI tools before use",
            kind="public_guidance",
        )
    )
    ms = read_report(
        *doc(
            "ms-assessment",
            "Hospital perlu melengkapkan Penilaian Impak AI Klinikal sebelum alat digunakan.",
            title="Hospital wajib nilai alat AI sebelum digunakan",
            kind="public_guidance",
            lang="ms",
        )
    )
    assert en is not None and en.linkable and en.name == "Clinical AI Impact Assessment"
    assert ms is not None and ms.linkable and ms.name == "Penilaian Impak AI Klinikal"


def four_sandboxes() -> list[Pair]:
    """Four launched sandboxes of other sectors: entries for the scorer to weigh against."""
    return [
        doc(
            f"en-fill-{i}",
            f"PUTRAJAYA — The National AI Office launched the {w} AI Sandbox today. "
            "Ten firms joined.",
            name=f"{w} AI Sandbox",
            kind="multi_agency_program",
            day=date(2025, 6, i + 1),
        )
        for i, w in enumerate(["Fintech", "Telco", "Retail", "Tourism"])
    ]


def test_outputs_for_different_sectors_stay_apart() -> None:
    # two announced guidelines of one head, in two languages, for different sectors:
    # the scorer alone links them (same head, a new language, shared context words)
    sandboxes = four_sandboxes()
    builders = doc(
        "en-sector",
        "KUALA LUMPUR — The National AI Office is drafting guidelines for contractors using AI, "
        "covering worker safety, privacy and monitoring. The draft will go out for "
        "consultation next year.",
        status="symbolic",
        day=date(2025, 11, 4),
        title="AI guidelines on worker safety, privacy and monitoring coming",
    )
    estates = doc(
        "ms-sector",
        "KUALA LUMPUR — Pejabat AI Negara sedang menyediakan garis panduan AI untuk ladang "
        "sawit, merangkumi keselamatan pekerja, privasi dan pemantauan. Draf itu akan "
        "dirundingkan tahun depan.",
        status="symbolic",
        day=date(2025, 12, 16),
        lang="ms",
        title="Garis panduan AI mengenai keselamatan pekerja, privasi dan pemantauan",
    )
    led = build([*sandboxes, builders, estates])
    first, second = led.entry_for("en-sector"), led.entry_for("ms-sector")
    assert first is not None and second is not None
    assert first.artifact_id != second.artifact_id
    # the sector a name gives, or the words just after it in its sentence
    assert _sectors("AI guidance for builders") == {"construction"}
    assert _sectors("Garis Panduan AI Sektor Pembinaan") == {"construction"}
    assert _sectors(
        "AI Adoption Guidelines", "the AI Adoption Guidelines for the Plantation Sector released"
    ) == {"plantation"}
    assert _sectors("AI Adoption Guidelines", "the AI Adoption Guidelines released") == set()


def test_audiences_and_vague_names_say_whom_an_output_is_for() -> None:
    # an audience is read like a sector, in the name or in the words after it
    assert _sectors("Program Celik AI Warga Emas") == {"seniors"}
    assert _sectors(
        "AI literacy programme",
        "NAIO will run an AI literacy programme aimed at young people in rural areas.",
    ) == {"youth"}
    assert _sectors(
        "program kesedaran AI khusus", "program kesedaran AI khusus untuk warga emas"
    ) == {"seniors"}
    # a name that says only what the output is takes its sector from the whole sentence
    assert _sectors(
        "sandbox", "NAIO plans a sandbox that would let companies test AI on buses and trains."
    ) == {"transport"}
    # a distinctive name does not: the sentence's other words may be about anything
    assert _sectors(
        "Agritech AI Sandbox",
        "The Agritech AI Sandbox, announced at a forum on buses and trains, opened.",
    ) == {"plantation"}


def test_another_bodys_own_output_does_not_join_naios() -> None:
    sandboxes = four_sandboxes()
    naio = doc(
        "en-grant",
        "PUTRAJAYA — The National AI Office intends to offer a grant for groups using AI to "
        "help low-income households and rural patients. Non-profits would be eligible.",
        status="symbolic",
        day=date(2025, 5, 13),
        title="AI office to offer grant for non-profits using AI",
    )
    other = doc(
        "en-other-grant",
        "KUALA LUMPUR — Yayasan Sinar, the foundation of a bank, has launched an AI Community "
        "Grant for non-profits using AI to help low-income households. The National AI Office "
        "attended the launch.",
        status="symbolic",
        day=date(2025, 10, 15),
        title="Foundation launches AI grant for non-profits",
    )
    led = build([*sandboxes, naio, other])
    assert led.entry_for("en-grant") is not None
    assert led.entry_for("en-other-grant") is None  # a mention that joins nothing stays out
    # a body's own output ("sendiri", "its own", "the association's"), not NAIO's
    assert _other_owned("garis panduan AI sendiri", "Hospital swasta ada garis panduan AI sendiri")
    assert _other_owned("code", "The association adopted its own code on AI.")
    assert not _other_owned("code", "The National AI Office launched its own code on AI.")
    assert not _other_owned("AI Guidelines", "The association welcomed the AI Guidelines.")


def test_everyday_malay_words_of_a_lead_meet_the_english_ones() -> None:
    """A Malay lead and an English one about the same output share their everyday words
    ("bas" bus, "permintaan" demand, "diuji" test, "syarikat" company), and Malay function
    words ("bersama", "kini") are no more context than English ones."""
    from naio_nlp.ledger import _context_words

    ms = set(_context_words(["Bas ikut permintaan kini diuji bersama lapan syarikat"]))
    en = set(_context_words(["On-demand buses tested with eight companies"]))
    assert {"bus", "demand", "test", "company"} <= ms
    assert "bersama" not in ms and "kini" not in ms
    assert ms & en >= {"demand"}


def test_a_mention_dated_before_its_outputs_launch_joins_it_in_the_same_build() -> None:
    """Documents are linked in date order; a budget line naming a fund before the fund's
    launch still joins it when both come in one batch, as an announcement, not a launch."""
    budget = doc(
        "b",
        "The budget sets aside RM30 million for the Applied AI Seed Fund, with details to "
        "come. Officials gave no date.",
        status="symbolic",
        day=date(2025, 10, 14),
        title="Budget 2026: RM30 million for an AI seed fund",
    )
    launch = doc(
        "l",
        "NAIO opened the Applied AI Seed Fund to applications today. Startups may apply for "
        "matching grants of up to RM500,000.",
        name="Applied AI Seed Fund",
        kind="commercialization_pathway",
        day=date(2026, 1, 6),
    )
    ledger = build([budget, launch])
    entry = ledger.entry_for("b")
    assert entry is not None and set(entry.article_ids) == {"b", "l"}
    assert not ledger.is_pending("b")
    assert next(r for r in entry.reports if r.article_id == "b").stage == "announced"
    assert entry.stage("launched") is not None and entry.stage("launched").article_ids == ("l",)  # type: ignore[union-attr]


def test_a_headlines_event_words_and_a_sum_are_not_part_of_a_malay_name() -> None:
    """ "Permohonan", "Pembukaan", "Pusingan Kedua" before a Malay name are the headline's
    news, and "RM20 juta" after it is a sum: the name is what is left."""
    from naio_nlp.ledger import _capitalised_names

    assert _capitalised_names(
        "Kenyataan Media: Pembukaan Pusingan Kedua Dana Padanan Pengkomersialan AI"
    ) == ["Dana Padanan Pengkomersialan AI"]
    assert _capitalised_names("Permohonan Kotak Pasir AI Perikanan dibuka") == [
        "Kotak Pasir AI Perikanan"
    ]
    assert _capitalised_names("Dana Padanan Pengkomersialan AI RM20 juta dibuka") == [
        "Dana Padanan Pengkomersialan AI"
    ]


def test_a_second_round_of_an_output_is_that_output_not_a_successor() -> None:
    """The second call of a fund reports the fund; a second exercise is another output."""
    from naio_nlp.ledger import _is_successor

    fund = "AI Commercialisation Matching Fund"
    assert not _is_successor(fund, f"NAIO opened the second round of the {fund} today.")
    title = "Pusingan Kedua Dana Padanan Pengkomersialan AI"
    assert not _is_successor(title, f"Kenyataan Media: {title}")
    assert _is_successor(fund, f"NAIO will open a second {fund} next year.")
    launch = doc(
        "en",
        f"NAIO opened the {fund} to applications today. Firms may apply for RM1 million.",
        name=fund,
        kind="commercialization_pathway",
        day=date(2025, 9, 2),
    )
    second = doc(
        "ms",
        "Syarikat tempatan boleh memohon geran padanan sehingga RM1 juta mulai hari ini. "
        "Permohonan ditutup pada akhir bulan.",
        kind="commercialization_pathway",
        day=date(2026, 8, 11),
        lang="ms",
        title="Kenyataan Media: Pembukaan Pusingan Kedua Dana Padanan Pengkomersialan AI",
    )
    ledger = build([launch, second])
    assert len(ledger) == 1 and ledger.entry_for("ms") is ledger.entry_for("en")


def test_a_clinic_or_internet_centre_where_an_output_runs_is_a_place_not_an_output() -> None:
    """ "Klinik Kesihatan Pitas" holds the head "klinik" but names where a pilot runs; an
    AI clinic NAIO opens ("Klinik Nasihat AI PKS") is still an output."""
    from naio_nlp.ledger import _capitalised_names, _lowercase_names

    assert _capitalised_names("Perintis itu kini digunakan di Klinik Kesihatan Pitas.") == []
    assert _capitalised_names("Nurses at the Greentown Health Clinic use it daily.") == []
    assert _lowercase_names("Ia diuji di klinik kesihatan luar bandar.", "ms") == []
    assert _capitalised_names("NAIO membuka Klinik Nasihat AI PKS di enam bandar.") == [
        "Klinik Nasihat AI PKS"
    ]
    pilot = doc(
        "p",
        "NAIO launched the AI Tuberculosis Screening Pilot at ten clinics in Sabah today. "
        "Doctors will read chest X-rays with the model.",
        name="AI Tuberculosis Screening Pilot",
        kind="sector_proof_point",
        day=date(2025, 12, 2),
    )
    bulletin = doc(
        "b",
        "Perintis Saringan Tuberkulosis AI kini digunakan di Klinik Kesihatan Pitas, dengan "
        "masa diagnosis turun daripada tiga minggu kepada empat hari. Doktor membaca X-ray "
        "dada dengan model itu di sepuluh klinik di Sabah.",
        kind="sector_proof_point",
        day=date(2026, 7, 1),
        lang="ms",
        title="Buletin Digital: Dari Putrajaya ke Pitas",
    )
    r = read_report(*bulletin)
    assert r is not None and r.name == "Perintis Saringan Tuberkulosis AI"
    ledger = build([pilot, bulletin])
    assert len(ledger) == 1 and ledger.entry_for("b") is ledger.entry_for("p")


def test_a_mention_may_join_by_a_lower_case_name_that_says_which_output() -> None:
    """An op-ed writes "the Malay legal corpus", not its formal name: it joins the corpus
    NAIO released, and still opens nothing on its own."""
    launch = doc(
        "l",
        "NAIO released the Malay Legal Text Corpus today, with 700,000 pages of judgments "
        "under an open licence.",
        name="Malay Legal Text Corpus",
        kind="multi_agency_program",
        day=date(2026, 6, 30),
    )
    oped = doc(
        "o",
        "Practising lawyers say the Malay legal text corpus is useful, but judgments from the "
        "lower courts are missing. Judgments of the 1990s are scarce.",
        status="symbolic",
        day=date(2026, 9, 15),
        title="A lawyer's view: mind the gaps",
    )
    r = read_report(*oped)
    assert r is not None and r.joins_only and r.name == "Malay legal text corpus"
    ledger = build([launch, oped])
    assert ledger.entry_for("o") is ledger.entry_for("l") is not None
    assert len(build([oped])) == 0


def test_a_lower_case_name_reaches_back_over_no_preposition_or_owner() -> None:
    from naio_nlp.ledger import _lowercase_names

    assert _lowercase_names("Riders clash over the office's draft code on suspensions", "en") == [
        "draft code on suspensions"
    ]
    assert _lowercase_names("Ramai juga yang tanya pasal scheme ni.", "mixed") == []


def test_a_state_output_with_its_state_unnamed_is_not_the_national_one() -> None:
    """ "The state portal" is some state's: never the national portal, maybe Perak's."""
    from naio_nlp.ledger import _owner, _owners_differ

    assert _owner("state portal") == _owner("portal data negeri") == "a state"
    assert _owner("Negeri Sembilan AI Hub") == "negeri sembilan"
    assert _owners_differ("a state", frozenset({"national"}))
    assert not _owners_differ("a state", frozenset({"perak"}))
    assert not _owners_differ("perak", frozenset({"a state"}))
    assert _owners_differ("perak", frozenset({"a state", "selangor"}))
    assert _owners_differ("national", frozenset({"a state"}))


def test_an_entry_no_report_names_is_labelled_by_what_it_is_not_by_its_headline() -> None:
    """A story naming no output ("NAIO convenes its five advisory working groups") links
    by its title and lead as before, but the entry reads "five advisory working groups",
    and a Malay MoU story "MoU sediakan pemproses grafik tempatan", not its headline."""
    groups = doc(
        "g",
        "The office brought its newly formed groups together today, with 120 members from "
        "industry and universities.",
        kind="multi_agency_program",
        day=date(2025, 2, 28),
        title="NAIO convenes the first meeting of its five advisory working groups",
    )
    mou = doc(
        "m",
        "Pejabat AI Negara hari ini menandatangani perjanjian dengan dua syarikat tempatan. "
        "Kedua-dua syarikat akan menyediakan 500 unit pemproses grafik.",
        kind="commercialization_pathway",
        day=date(2026, 9, 15),
        lang="ms",
        title="NAIO dan dua syarikat meterai MoU sediakan pemproses grafik tempatan",
    )
    plain = doc(
        "p",
        "Officials said the results would be published later this year.",
        kind="sector_proof_point",
        day=date(2026, 3, 3),
        title="Flood warnings arrive two hours earlier in Kelantan",
    )
    ledger = build([groups, mou, plain])
    for aid, name in [
        ("g", "five advisory working groups"),
        ("m", "MoU sediakan pemproses grafik tempatan"),
        ("p", "Flood warnings arrive two hours earlier in Kelantan"),
    ]:
        entry = ledger.entry_for(aid)
        assert entry is not None and entry.name == name
        assert not entry.reports[0].linkable  # a label is never linked on
    again = Ledger.from_dict(json.loads(json.dumps(ledger.to_dict())))
    assert again.entry_for("g").name == "five advisory working groups"  # type: ignore[union-attr]


def test_a_malay_lower_case_name_ends_before_a_preposition() -> None:
    from naio_nlp.ledger import _lowercase_names

    assert _lowercase_names("NAIO lancar program perantisan AI bersama 25 syarikat.", "ms") == [
        "program perantisan AI"
    ]


def test_an_english_lower_case_name_does_not_run_on_across_a_colon() -> None:
    """ "the pilot: for now, ..." is the pilot; and a call centre is a workplace."""
    from naio_nlp.ledger import _lowercase_names

    assert _lowercase_names(
        "Farmers like the ripeness pilot: for smallholders it is free.", "en"
    ) == ["ripeness pilot"]
    assert _lowercase_names("Staff at the insurer's call centre were retrained.", "en") == []
    assert _lowercase_names("Pekerja pusat panggilan paling terdedah.", "ms") == []


def test_a_code_mixed_post_reads_a_shared_head_the_malay_way_when_that_says_more() -> None:
    """ "Program" is a head in both languages; in a code-mixed post "tamat program celik
    AI untuk belia" names the Malay way, and the post joins the programme."""
    from naio_nlp.ledger import _lowercase_names

    post = "Tahniah kepada 20 peserta yang tamat program celik AI untuk belia minggu ni!"
    assert _lowercase_names(post, "mixed") == ["program celik AI untuk belia"]
    assert _lowercase_names("So proud: the AI literacy program finally launched!", "mixed") == [
        "AI literacy program"
    ]
    launch = doc(
        "l",
        "Pejabat AI Negara melancarkan Program Celik AI Belia di 15 negeri hari ini.",
        name="Program Celik AI Belia",
        kind="multi_agency_program",
        day=date(2025, 10, 6),
        lang="ms",
    )
    mixed = doc(
        "x",
        post + " Best sangat, thanks NAIO dan fasilitator. Kohort seterusnya mula bulan depan.",
        kind="multi_agency_program",
        day=date(2026, 3, 2),
        lang="mixed",
    )
    ledger = build([launch, mixed])
    assert ledger.entry_for("x") is ledger.entry_for("l") is not None


def test_a_malay_lower_case_name_ends_before_a_pronoun() -> None:
    """ "panel kami serahkan dua dokumen" is "our panel handed in two papers"; "portal data
    kerajaan tu" is "that government data portal"."""
    from naio_nlp.ledger import _lowercase_names

    assert _lowercase_names("Bulan lepas panel kami serahkan dua dokumen.", "ms") == []
    assert _lowercase_names("Data dari portal data kerajaan tu, senang guna.", "mixed") == [
        "portal data kerajaan"
    ]


def test_the_store_keeps_a_ledgers_pending_mentions_and_upgrades_an_old_store(
    tmp_path: Path,
) -> None:
    """A mention that joined no entry is pending; the store saves that (schema version 3),
    so the runner does not count it as a new document on every run. A version-2 store is
    upgraded in place and reads as no mention pending."""
    import sqlite3

    from naio_nlp import store as store_module

    oped = doc(
        "o",
        "Eighteen months on, the National AI Fisheries Sandbox has admitted twelve firms. "
        "Testing alone is not policy.",
        status="symbolic",
        day=date(2026, 1, 20),
    )
    ledger = build([oped])
    assert ledger.is_pending("o")
    with Store(tmp_path / "new.db") as st:
        st.save_ledger(ledger, model_version="m1")
        again = st.ledger(model_version="m1")
    assert again is not None and again.is_pending("o") and not again.has_read("o")

    old = tmp_path / "old.db"
    with sqlite3.connect(old) as conn:
        conn.executescript(store_module._SCHEMA_V1 + store_module._LEDGER_TABLES)
        conn.execute("INSERT INTO schema_version VALUES (2)")
        conn.execute("INSERT INTO ledger_state VALUES ('m0', 3, '[\"x\"]', '2026-01-01')")
    with Store(old) as st:
        saved = st.ledger(model_version="m0")
        assert saved is not None and saved.has_read("x") and not saved.is_pending("x")
        st.save_ledger(ledger, model_version="m1")
        assert st.ledger(model_version="m1").is_pending("o")  # type: ignore[union-attr]
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [
            (store_module.SCHEMA_VERSION,)
        ]


def test_a_name_keeps_whom_it_is_for_after_for_the() -> None:
    """ "Generative AI Guidelines for the Public Service": English puts "the" where Malay
    puts no article ("... untuk Perkhidmatan Awam" is read whole), so the English name
    keeps its "for the ..." tail too; the head stays the guidelines, and a tail that is
    no name ("for the first time") or a name with no head before it is not read."""
    from naio_nlp.ledger import _capitalised_names, _key

    full = "Generative AI Guidelines for the Public Service"
    assert _capitalised_names(f"NAIO released the {full} on Monday.") == [full]
    assert _capitalised_names("NAIO opened the AI Sandbox for the first time.") == ["AI Sandbox"]
    assert _capitalised_names("Funding for the AI Sandbox rose.") == ["AI Sandbox"]
    assert _key(full).head == "guideline"
    malay = "Garis Panduan AI Generatif untuk Perkhidmatan Awam"
    assert similarity(full, malay) == 1.0
    # the classifier's name, cut before the tail, takes the tail its sentence gives it
    report = read_report(
        *doc(
            "g",
            f"The National AI Office released the {full} today. Officers may not paste "
            "restricted documents into chatbots.",
            name="Generative AI Guidelines",
            kind="public_guidance",
        )
    )
    assert report is not None and report.name == full


def test_a_bare_head_that_is_a_place_names_no_output() -> None:
    """ "Klinik kesihatan di Kedah akan guna AI ...": the clinics are where a pilot will run,
    not the output; the announcement takes the output its lead names ("projek perintis
    itu") and joins the pilot's launch, in English."""
    from naio_nlp.ledger import _bare_heads

    assert _bare_heads("Klinik kesihatan di Kedah akan guna AI untuk saringan mata") == []
    assert _bare_heads("Five health clinics will use the system") == []
    assert _bare_heads("NAIO akan membuka klinik AI untuk PKS") == ["klinik"]
    announced = doc(
        "ms-a",
        "Beberapa klinik kesihatan di Kedah akan menggunakan kecerdasan buatan (AI) untuk "
        "saringan retina pesakit diabetes. Pengarah Kesihatan Negeri Kedah berkata, projek "
        "perintis itu akan dilaksanakan dengan kerjasama Pejabat AI Negara (NAIO).",
        status="symbolic",
        lang="ms",
        day=date(2026, 2, 3),
        title="Klinik kesihatan di Kedah akan guna AI untuk saringan retina",
    )
    launched = doc(
        "en-l",
        "The National AI Office launched the AI Retina Screening Pilot in Kedah today. "
        "Diabetes patients at eight public clinics in Kedah will have retina photos read "
        "by the model.",
        name="AI Retina Screening Pilot in Kedah",
        kind="sector_proof_point",
        day=date(2026, 6, 9),
        title="AI retina screening pilot starts at eight Kedah clinics",
    )
    report = read_report(*announced)
    assert report is not None and report.name == "projek perintis"
    others = [PLAN_EN, PLAN_MS, OLD_PLAN]  # other outputs' reports: rare words weigh more
    ledger = build([*others, announced, launched])
    assert ledger.entry_for("ms-a") is ledger.entry_for("en-l") is not None


def test_a_headline_counting_impact_assessments_names_them() -> None:
    """ "What 67 impact assessments tell us ...": the plural of a head names the output
    its results are counted for (the question word is no part of it), and compares with
    the output's formal name."""
    from naio_nlp.ledger import _key, _lowercase_names

    title = "What 67 impact assessments tell us about how the government uses AI"
    assert _lowercase_names(title, "en") == ["67 impact assessments"]
    assert _key("67 impact assessments").head == _key("Penilaian Impak Algoritma").head
    assert similarity("67 impact assessments", "Public Sector Algorithmic Impact Assessment") > 0


#: (text, classifier name, title, language, the name the ledger reads)
_CUT_NAMES = {
    # "AI Sandbox" never stands alone: the report is of the EdTech AI Sandbox, not of any
    # sandbox (read as "AI Sandbox", the schools sandbox joined NAIO's transport sandbox)
    "cut": (
        "PUTRAJAYA -- The National AI Office (NAIO) today opened applications for the EdTech "
        "AI Sandbox, a supervised route for education technology companies. Up to 12 "
        "companies will run trials in 40 schools.",
        "AI Sandbox",
        "Media statement: NAIO opens EdTech AI Sandbox for trials in 40 schools",
        "en",
        "EdTech AI Sandbox",
    ),
    # a name the story also writes alone stays as it is
    "alone": (
        "The National AI Office opened the EdTech AI Sandbox today. The AI Sandbox takes 12 "
        "companies; the AI Sandbox secretariat answers questions.",
        "AI Sandbox",
        "",
        "en",
        "AI Sandbox",
    ),
    # a longer phrase that reaches it over a preposition is a speech, not the output
    "preposition before": (
        "Majlis Anugerah Guru Digital 2026 menghimpunkan 300 guru. Menteri berucap.",
        "Majlis Anugerah Guru Digital 2026",
        "Ucapan Timbalan Menteri di Majlis Anugerah Guru Digital 2026",
        "ms",
        "Majlis Anugerah Guru Digital 2026",
    ),
    # running on into a place says where it is, not which output
    "place after": (
        "NAIO launched the AI Chip Design Academy in Penang today.",
        "AI Chip Design Academy",
        "",
        "en",
        "AI Chip Design Academy",
    ),
}


@pytest.mark.parametrize("case", list(_CUT_NAMES))
def test_a_classifier_name_cut_from_a_longer_name_is_read_whole(case: str) -> None:
    """ "NAIO opens EdTech AI Sandbox": the classifier's name is read as the longer name
    the story always writes it inside, and only then."""
    text, name, title, lang, read_as = _CUT_NAMES[case]
    kind = "commercialization_pathway" if lang == "en" else "action_plan"
    report = read_report(*doc(f"{lang}-{case}", text, name=name, kind=kind, lang=lang, title=title))
    assert report is not None and report.name == read_as


def test_sector_technology_words_give_their_sector() -> None:
    """ "EdTech", "agritech", "agroteknologi", "fintech" say whom an output is for as
    "education" or "farm" do: an EdTech sandbox and a transport sandbox stay apart, and
    the English and Malay names of one agritech sandbox still agree."""
    assert _sectors("EdTech AI Sandbox") == {"education"}
    assert _sectors("Kotak Pasir AI Pengangkutan Awam") == {"transport"}
    assert (
        _sectors("National AI Agritech Sandbox")
        == _sectors("Kotak Pasir AI Agroteknologi Nasional")
        == {"plantation"}
    )
    assert _sectors("AI Fintech Sandbox") == {"finance"}


def test_drafting_begun_is_an_announcement() -> None:
    """ "Kami telah memulakan penggubalan fasa kedua Pelan Induk ...", "NAIO has begun
    drafting ...": work started on an output not yet out is an intention, so a speech
    saying so enters as the announcement of that phase, by its capitalised name."""
    speech = doc(
        "ms-draft",
        "Setahun yang lalu, kita melancarkan fasa pertama Pelan Induk AI Berdaulat. Atas "
        "sebab itu, kami telah memulakan penggubalan fasa kedua Pelan Induk AI Berdaulat "
        "bagi tempoh 2028 hingga 2030. Fasa kedua dijangka memberi tumpuan kepada pusat "
        "data AI.",
        status="symbolic",
        lang="ms",
        title="Ucaptama Ketua Pengarah Pejabat AI Negara",
    )
    report = read_report(*speech)
    assert report is not None and report.stage == "announced"
    assert report.name == "Pelan Induk AI Berdaulat fasa kedua"
    english = doc(
        "en-draft",
        "The National AI Office has begun drafting the AI Procurement Playbook, officials "
        "said. Agencies were consulted in May.",
        status="symbolic",
    )
    report = read_report(*english)
    assert report is not None and report.stage == "announced"
    assert report.name == "AI Procurement Playbook"


def test_an_output_named_only_deep_in_a_long_piece_joins_its_entry() -> None:
    """A feature on rice yields names the sandbox in paragraph six, beside NAIO; it was an
    entry of its own, named by its headline, that nothing else could join."""
    launch = doc(
        "launch",
        "NAIO opened the National AI Agritech Sandbox today, so that firms can test AI drones "
        "and soil sensors on rice fields in Kedah. Twelve firms will be chosen.",
        name="National AI Agritech Sandbox",
        kind="sector_proof_point",
        day=date(2025, 5, 6),
    )
    filler = " ".join(
        f"Rice farmers in Kedah district {n} said the weather mattered more than any drone."
        for n in range(8)
    )
    feature = doc(
        "feature",
        f"{filler} The agritech sandbox, which the National AI Office opened last May, "
        "admitted its second intake in March: nine companies. Yields rose in two pilots.",
        kind="sector_proof_point",
        day=date(2026, 4, 2),
        title="Can machines close the rice gap? Not on their own",
    )
    others = [OLD_PLAN, PLAN_EN, PLAN_MS]  # words rare among the stories linked so far count
    ledger = build([*others, launch, feature])
    assert len(ledger) == 3
    assert ledger.entry_for("feature") is ledger.entry_for("launch")
    # the name is read only where NAIO acts: a sentence without NAIO names nothing here
    other = doc(
        "other",
        f"{filler} The agritech sandbox run by the state admitted nine companies in March.",
        kind="sector_proof_point",
        day=date(2026, 4, 2),
        title="Can machines close the rice gap? Not on their own",
    )
    alone = build([*others, launch, other]).entry_for("other")
    assert alone is not None and alone.name == "Can machines close the rice gap? Not on their own"


def test_a_degree_before_the_head_is_part_of_the_name_not_its_owner() -> None:
    from naio_nlp.ledger import _lowercase_names

    assert _lowercase_names(
        "The first recipients of the national AI master's scholarship started today.", "en"
    ) == ["national AI master's scholarship"]
    assert _lowercase_names("The ministry's scholarship opened.", "en") == []


def test_the_next_edition_of_an_event_is_that_event_but_of_a_plan_is_another() -> None:
    """An olympiad held again is the same output run again; a plan's second edition is not."""
    from naio_nlp.ledger import _is_successor, _with_phase

    olympiad = "AI olympiad for secondary school students"
    for sentence in (
        f"Registrations for the second edition of the {olympiad} reached 11,200.",
        f"The second {olympiad} drew 11,200 entries.",
    ):
        assert not _is_successor(olympiad, sentence)
        assert _with_phase(olympiad, sentence) == olympiad
    assert not _is_successor("Olimpiad AI Kebangsaan", "Olimpiad AI Kebangsaan kedua bermula.")
    assert _is_successor("AI olympiad", "NAIO plans a new AI olympiad for primary pupils.")
    guide = "AI Ethics Guidelines"
    assert _is_successor(guide, f"The second edition of the {guide} is out.")
    assert _with_phase(guide, f"NAIO released the {guide} Edisi Kedua today.") != guide


def test_the_output_a_lead_describes_comes_before_a_name_met_once_further_down() -> None:
    """A red-team summary that named the vendor panel once, in passing, joined the panel."""
    from naio_nlp.ledger import read_report

    lead = (
        "A bank's loan assistant could be talked into approving ineligible applicants, "
        "according to the summary of this year's national AI red-teaming exercise. "
        "Twelve systems were tested over three weeks. "
    )
    later = (
        "NAIO said any AI system bought through the Government AI Vendor Panel would have "
        "to pass such a test from 2027."
    )
    report = read_report(*doc("red-team", lead + later, name="Government AI Vendor Panel"))
    assert report is not None
    assert report.name == "national AI red-teaming exercise"
    assert "Government AI Vendor Panel" in report.alternatives
    # a name the story keeps coming back to is what it is about
    again = " The Government AI Vendor Panel now lists 40 firms."
    report = read_report(*doc("panel", lead + later + again, name="Government AI Vendor Panel"))
    assert report is not None and report.name == "Government AI Vendor Panel"


@pytest.mark.parametrize(
    ("sentence", "lang", "names"),
    [
        # a Malay name ends where what it is about begins, or at a verb ...
        (
            "NAIO berbincang dengan penyedia aplikasi mengenai mekanisme pelaporan.",
            "ms",
            [],
        ),
        (
            "NAIO memohon platform media sosial menurunkannya segera.",
            "ms",
            ["platform media sosial"],
        ),
        # ... unless the verb says what the output is for
        (
            "NAIO sedang membangunkan penanda aras untuk menilai model bahasa besar.",
            "ms",
            ["penanda aras untuk menilai model bahasa", "model bahasa besar"],
        ),
        # an English name never reaches back over a headline's verb or a "for"
        (
            "NAIO and Ministry of Finance issue guidelines for public sector AI procurement",
            "en",
            ["guidelines for public sector AI procurement"],
        ),
        ("Applications for AI sandbox close on Friday.", "en", ["AI sandbox"]),
        (
            "NAIO baru keluarkan ringkasan untuk incident reporting protocol dia.",
            "mixed",
            ["incident reporting protocol"],
        ),
        # a code-mixed post may put an English head in Malay word order
        ("Dah baca data untuk benchmark LLM BM yang NAIO release.", "mixed", ["benchmark LLM BM"]),
    ],
)
def test_where_a_lower_case_name_begins_and_ends(
    sentence: str, lang: str, names: list[str]
) -> None:
    from naio_nlp.ledger import _lowercase_names

    assert _lowercase_names(sentence, lang) == names


def test_procedures_protocols_and_response_units_are_outputs_in_both_languages() -> None:
    from naio_nlp.ledger import _key

    assert _key("Tatacara Perolehan AI Sektor Awam").head == "procedure"
    assert _key("AI procurement procedures").head == "procedure"
    assert _key("incident reporting protocol").head == "protocol"
    cell, unit = _key("Deepfake Rapid Response Cell"), _key("Pasukan Tindakan Pantas Deepfake")
    assert cell.head == unit.head == "unit"


def test_the_classifiers_name_met_once_in_passing_yields_to_the_titles() -> None:
    """A written reply on an action plan was filed under the committee it reports to."""
    from naio_nlp.ledger import read_report

    text = (
        "The Public Sector AI Action Plan 2026–2028 was launched in December with 27 "
        "initiatives. Nine are complete. Its implementation is coordinated by NAIO, which "
        "reports progress every quarter to the National Digital Committee."
    )
    plan = "Public Sector AI Action Plan 2026-2028"
    title = "Written reply: Progress of the Public Sector AI Action Plan 2026–2028"
    report = read_report(*doc("reply", text, name="National Digital Committee", title=title))
    assert report is not None and report.name == plan
    # named again further down, the classifier's name stays first
    again = text + " The National Digital Committee meets in March."
    report = read_report(*doc("r2", again, name="National Digital Committee", title=title))
    assert report is not None and report.name == "National Digital Committee"


def test_an_untitled_post_naming_no_output_is_labelled_by_its_opening_words() -> None:
    """Its entry was named by the document's id ("ld4a-047"), which says nothing to a reader."""
    post = doc(
        "post-17",
        "Fun fact: the customs system everyone talks about was built by a local startup, and "
        "the office funded the RM2 million trial. Three months in, 312 containers were caught.",
        title="",
        lang="mixed",
    )
    entry = build([post]).entry_for("post-17")
    assert entry is not None
    assert entry.name == "Fun fact: the customs system everyone talks about was built by a…"


KIRA_EN = doc(
    "kira-en",
    "CYBERJAYA — The National AI Office opened the first call of the National Shared AI "
    "Compute Programme (KIRA) today, offering 40,000 GPU-hours to local start-ups.",
    name="National Shared AI Compute Programme",
    title="AI office opens first call for KIRA compute scheme",
    day=date(2025, 9, 2),
)
KIRA_MS = doc(
    "kira-ms",
    "PUTRAJAYA — Pejabat AI Negara hari ini melancarkan Inisiatif Kapasiti Infrastruktur "
    "Rangkaian AI (KIRA) dengan 40,000 jam GPU untuk syarikat pemula tempatan.",
    name="Inisiatif Kapasiti Infrastruktur Rangkaian AI",
    title="KIRA dibuka kepada syarikat pemula",
    day=date(2025, 9, 3),
    lang="ms",
    source="berita",
)


def test_an_acronym_both_reports_give_links_names_that_share_no_word() -> None:
    """A Malay name that is no translation of the English one ("Inisiatif Kapasiti
    Infrastruktur Rangkaian AI" for "National Shared AI Compute Programme") links by the
    acronym both give it, however the names read; and so does a later report, after the
    ledger was saved and read back."""
    ledger = build([KIRA_EN, KIRA_MS])
    entry = ledger.entry_for("kira-en")
    assert entry is not None and set(entry.article_ids) == {"kira-en", "kira-ms"}
    saved = Ledger.from_dict(json.loads(json.dumps(build([KIRA_EN]).to_dict())))
    later = update(saved, [KIRA_MS])
    assert len(later) == 1 and later.entry_for("kira-ms") is not None


def test_a_brand_is_not_a_dateline_a_wire_credit_a_plural_or_a_body() -> None:
    from naio_nlp.ledger import _brand_tokens

    text = (
        "KUANTAN, 17 Mac (ABS) -- PUTRAJAYA: JejakAI and PACU-AI reached 40 SMEs, "
        "with UKM and MDEC, on GPUs from KENYATAAN MEDIA. The KIRA call opened; CEOs "
        "cheered, NusaWire said."
    )
    assert _brand_tokens(text, source="NusaWire") == ["JejakAI", "PACU-AI", "KIRA"]
    # parties and bodies named by acronym in every Malaysian story are no output's brand
    assert _brand_tokens("Leaders of UMNO, PKR and DAP and the MACC back the KIRA call") == ["KIRA"]


def test_a_brand_two_entries_hold_identifies_neither() -> None:
    """An acronym the word lists miss (a body's, say) that two outputs' reports both
    carry is no output's brand: a third report carrying it joins by its name alone."""
    sandbox = doc(
        "sbx",
        "The National AI Office opened the AI Regulatory Sandbox with ZETA today.",
        name="AI Regulatory Sandbox",
        kind="commercialization_pathway",
        title="ZETA joins AI sandbox",
    )
    council = doc(
        "cnl",
        "The National AI Office convened the AI Ethics Council with ZETA today.",
        name="AI Ethics Council",
        kind="multi_agency_program",
        title="ZETA sits on new AI ethics council",
        day=date(2025, 5, 2),
    )
    guide = doc(
        "gd",
        "The National AI Office released the AI Procurement Guidelines with ZETA today.",
        name="AI Procurement Guidelines",
        kind="public_guidance",
        title="ZETA backs AI procurement guidelines",
        day=date(2025, 5, 3),
    )
    ledger = build([sandbox, council, guide])
    assert len({ledger.entry_for(i).artifact_id for i in ("sbx", "cnl", "gd")}) == 3  # type: ignore[union-attr]


def test_a_malay_head_may_translate_to_another_head_of_its_family() -> None:
    """A "Dana ..." is often reported in English as a "... Grant", a "Pakatan ..." as a
    "... Consortium": between names of two languages the heads of one family are one
    head. Within one language a fund and a grant stay two heads."""
    assert (
        similarity("Dana Padanan Pengkomersialan AI", "AI Commercialisation Matching Grant") == 1.0
    )
    assert similarity("Pakatan Model Bahasa Melayu", "Malay Language Model Consortium") >= 0.75
    assert (
        similarity("AI Commercialisation Matching Fund", "AI Commercialisation Matching Grant")
        == 0.0
    )
    grant_en = doc(
        "grant-en",
        "The National AI Office opened the AI Commercialisation Matching Grant today, with "
        "RM30 million for 60 local start-ups.",
        name="AI Commercialisation Matching Grant",
        kind="commercialization_pathway",
        day=date(2025, 6, 2),
    )
    grant_ms = doc(
        "grant-ms",
        "Pejabat AI Negara hari ini membuka Dana Padanan Pengkomersialan AI bernilai RM30 juta "
        "untuk 60 syarikat pemula tempatan.",
        name="Dana Padanan Pengkomersialan AI",
        kind="commercialization_pathway",
        day=date(2025, 6, 3),
        lang="ms",
        source="berita",
    )
    ledger = build([grant_en, grant_ms])
    assert len(ledger) == 1


def test_the_general_glossary_reads_names_and_what_the_names_phrases_leave() -> None:
    """Names of one output in two languages share their words once the Malay of
    government and policy names is read (``[ms_en_names]``). A story's context words
    are read with the names' phrases (``[ms_en]``) first and the glossary after, so a
    glossary phrase never eats a word a name's phrase would read."""
    from naio_nlp.ledger import _context_words

    assert similarity("Program Pemangkin Kerjaya AI", "AI Career Catalyst Programme") == 1.0
    assert similarity("Skim Penempatan Pakar AI", "AI Experts Placement Scheme") == 1.0
    assert (
        similarity("Dana Penyelidikan Kebolehpercayaan AI", "AI Trustworthiness Research Fund")
        == 1.0
    )
    assert "catalyst" in _context_words(["Program pemangkin itu bermula"])
    # "syarikat teknologi" is a glossary phrase, "teknologi pertanian" a name's: agritech
    assert _context_words(["tiga syarikat teknologi pertanian"]) == ("agritech", "company")
    # the news nouns of the glossary: incident, notification, failure, dependence
    assert (
        similarity("Garis Panduan Pemakluman Kejadian AI", "AI Incident Notification Guidelines")
        == 1.0
    )
    assert {"failure", "dependence"} <= set(_context_words(["kegagalan dan kebergantungan"]))
    # months and number words read as an English story's do
    assert {"six", "july"} <= set(_context_words(["Enam syarikat dipilih pada Julai"]))
    assert {"six", "july"} <= set(_context_words(["Six companies were chosen in July"]))


def test_a_malay_alliance_and_an_english_consortium_are_one_body() -> None:
    """Two bodies with different heads never merge ("a council is not a consortium"),
    but a "Pakatan ..." reported in English as a "... Consortium" is one body; a panel
    and a council of the same audience stay two."""
    pakatan = doc(
        "pakatan",
        "Sebelas organisasi hari ini menandatangani piagam Pakatan Pembangunan Model Bahasa "
        "Melayu yang diselaraskan oleh Pejabat AI Negara.",
        name="Pakatan Pembangunan Model Bahasa Melayu",
        kind="multi_agency_program",
        lang="ms",
        source="berita",
        day=date(2025, 10, 28),
    )
    consortium = doc(
        "consortium",
        "The Malaysian Language Model Consortium, convened by the National AI Office last "
        "October, this week released its first open model trained on Malay text.",
        name="Malaysian Language Model Consortium",
        kind="multi_agency_program",
        day=date(2026, 3, 2),
    )
    assert len(build([pakatan, consortium])) == 1
    panel = doc(
        "panel",
        "The National AI Office convened the first meeting of its Youth AI Advisory Panel.",
        name="Youth AI Advisory Panel",
        kind="multi_agency_program",
        day=date(2025, 4, 1),
    )
    majlis = doc(
        "majlis",
        "Kerajaan negeri hari ini menubuhkan Majlis Belia AI Pulau Pinang bagi anak muda negeri.",
        name="Majlis Belia AI Pulau Pinang",
        kind="multi_agency_program",
        lang="ms",
        source="berita",
        day=date(2025, 6, 1),
    )
    assert len(build([panel, majlis])) == 2


def test_a_brand_in_the_title_names_the_report_by_the_name_the_text_gives_it() -> None:
    """A newsletter titled by a brand ("PEMAI kohort kedua bermula") is about the output
    the brand stands for, not the first capitalised name of its body."""
    article, pred = doc(
        "pemai",
        "Majlis Apresiasi Akhir Tahun NAIO diadakan pada 19 Disember. Sementara itu, kohort "
        "kedua Program Pemangkin AI Penjawat Awam (PEMAI) bermula minggu ini dengan 41 "
        "projek dibangunkan.",
        status="artifact",
        kind="multi_agency_program",
        title="Buletin Pejabat AI: PEMAI kohort kedua bermula",
        lang="ms",
        source="buletin",
    )
    report = read_report(article, pred)
    assert report is not None and report.name == "Program Pemangkin AI Penjawat Awam"
    assert report.brands == ("PEMAI",) and report.defined_brands == ("PEMAI",)


def test_a_launch_told_as_past_makes_a_report_of_operation() -> None:
    """The first report the ledger has of an output may come months after its launch:
    "convened ... last October, this week released" tells of an output already
    running. A launch still to come ("will be launched in March") does not."""
    running = doc(
        "running",
        "The Malaysian Language Model Consortium, convened by the National AI Office last "
        "October, this week released its first open model for Malay text.",
        name="Malaysian Language Model Consortium",
        kind="multi_agency_program",
    )
    report = read_report(*running)
    assert report is not None and report.stage == "operational"
    ms = doc(
        "ms-running",
        "Kotak Pasir AI Nasional yang dibuka pada Mac lalu kini menempatkan 12 syarikat.",
        name="Kotak Pasir AI Nasional",
        kind="commercialization_pathway",
        lang="ms",
    )
    report = read_report(*ms)
    assert report is not None and report.stage == "operational"
    coming = doc(
        "coming",
        "The Malaysian Language Model Consortium will be launched in March, the National AI "
        "Office said, and released its charter today.",
        name="Malaysian Language Model Consortium",
        kind="multi_agency_program",
    )
    report = read_report(*coming)
    assert report is not None and report.stage != "operational"


def test_a_body_announced_by_a_description_meets_its_formal_name() -> None:
    """ "A consortium of universities" and the "Malaysian Language Model Consortium" share
    no distinctive word, but a description says too little to tell two bodies apart:
    only two formal names with nothing distinctive in common are two bodies."""
    announced = doc(
        "consortium-0",
        "The National AI Office plans to set up a consortium of universities, Dewan Bahasa "
        "dan Pustaka and technology firms to build an open Malay-language model for "
        "government chatbots, its chief executive said.",
        status="symbolic",
        day=date(2025, 7, 1),
    )
    launched = doc(
        "consortium-1",
        "Eleven organisations including four universities and Dewan Bahasa dan Pustaka today "
        "signed the charter of the Malaysian Language Model Consortium, convened by the "
        "National AI Office to build an open Malay-language model for government chatbots.",
        name="Malaysian Language Model Consortium",
        kind="multi_agency_program",
        day=date(2025, 10, 28),
    )
    others = [
        doc(
            f"other-{i}",
            f"The National AI Office released the {topic} today for {who}.",
            name=topic,
            kind="public_guidance",
            day=date(2025, 8, i + 1),
        )
        for i, (topic, who) in enumerate(
            [
                ("AI Procurement Guidelines", "ministries buying software"),
                ("Deepfake Response Protocol", "police and regulators"),
                ("AI Sandbox Rulebook", "fintech start-ups"),
            ]
        )
    ]
    ledger = build([announced, *others, launched])
    entry = ledger.entry_for("consortium-1")
    assert entry is not None and set(entry.article_ids) == {"consortium-0", "consortium-1"}
    ethics = doc(
        "council-a",
        "The National AI Office convened the AI Ethics Council today.",
        name="AI Ethics Council",
        kind="multi_agency_program",
    )
    industry = doc(
        "council-b",
        "The National AI Office convened the AI Industry Advisory Council today.",
        name="AI Industry Advisory Council",
        kind="multi_agency_program",
        day=date(2025, 5, 2),
    )
    assert len(build([ethics, industry])) == 2


def test_a_post_naming_an_output_by_its_brand_alone_joins_its_entry() -> None:
    """A symbolic post with no name but a brand ("ANJAK dah masuk kohort kedua") joins
    the entry whose reports give that brand; with no such entry it opens none."""
    launch = doc(
        "anjak-1",
        "Seramai 800 pekerja hari ini memulakan latihan di bawah Program Anjakan Kerjaya "
        "Digital Pintar (ANJAK) yang diselaraskan oleh Pejabat AI Negara.",
        name="Program Anjakan Kerjaya Digital Pintar",
        kind="multi_agency_program",
        lang="ms",
        source="berita",
        day=date(2025, 11, 11),
    )
    post = doc(
        "anjak-post",
        "ANJAK dah masuk kohort kedua, 300 peserta baru minggu ni. Siapa lagi nak join?",
        status="symbolic",
        lang="mixed",
        title="",
        source="social",
        day=date(2026, 6, 1),
    )
    ledger = build([launch, post])
    entry = ledger.entry_for("anjak-post")
    assert entry is not None and set(entry.article_ids) == {"anjak-1", "anjak-post"}
    assert len(build([post])) == 0


def test_a_persons_post_is_not_an_output_name() -> None:
    """ "Pengarah Dasar Pejabat AI Negara" (the office's Director of Policy) holds the head
    "Dasar" (policy), but it is someone's post: read as a name, it joined every story
    that quoted her. After "of (the)" a post may still name an output."""
    from naio_nlp.ledger import _capitalised_names

    assert _capitalised_names(
        "Pengarah Dasar Pejabat AI Negara, Puan Aida, berkata Garis Panduan Etika AI siap."
    ) == ["Garis Panduan Etika AI"]
    assert _capitalised_names("said the Director of Policy, Aida Rahman.") == []
    assert _capitalised_names("said the Head of the National AI Sandbox.") == [
        "National AI Sandbox"
    ]


def test_a_generic_title_name_yields_to_a_distinctive_one_mentioned_as_often() -> None:
    """A title's "Aplikasi AI" says what kind of thing, not which: the framework the lead
    names in full is the report's name."""
    article, pred = doc(
        "rk",
        "Rangka Kerja Pengelasan Aplikasi AI Mengikut Tahap Kesan membahagikan sistem AI "
        "kepada empat tahap, kata Pejabat AI Negara hari ini.",
        kind="public_guidance",
        title="Aplikasi AI kini dikelaskan kepada empat tahap risiko",
        lang="ms",
        source="berita",
    )
    report = read_report(article, pred)
    assert report is not None
    assert report.name == "Rangka Kerja Pengelasan Aplikasi AI Mengikut Tahap Kesan"


def test_a_brand_beside_a_head_noun_is_given_that_output() -> None:
    """ "Latihan CERMIN" (the CERMIN exercise) gives the brand to an output as "... (CERMIN)"
    would: an English story titled by the brand joins the Malay one, however differently
    the two name the exercise."""
    ms = doc(
        "cermin-ms",
        "Pejabat AI Negara hari ini memulakan Latihan CERMIN, iaitu Program Ujian Ketahanan "
        "Sistem AI Sektor Awam, melibatkan 12 chatbot kerajaan.",
        name="Program Ujian Ketahanan Sistem AI Sektor Awam",
        kind="multi_agency_program",
        title="Latihan CERMIN uji 12 chatbot kerajaan",
        lang="ms",
        source="berita",
        day=date(2025, 9, 1),
    )
    en = doc(
        "cermin-en",
        "The National AI Red-Teaming Exercise run by the National AI Office found 40 flaws "
        "in 12 government chatbots, officials said.",
        name="National AI Red-Teaming Exercise",
        kind="multi_agency_program",
        title="CERMIN finds 40 flaws in government chatbots",
        day=date(2025, 12, 1),
    )
    ledger = build([ms, en])
    assert len(ledger) == 1


def test_review_a_roundups_other_outputs_lend_it_no_brand() -> None:
    """A statement that launches one programme and lists the office's others with their
    acronyms gives only its own output a brand; else a later story of another one would
    join it by that brand."""
    roundup = doc(
        "roundup",
        "The National AI Office today launched the AI Talent Programme (ATP) for graduates. "
        "It joins the office's other schemes, the AI Sandbox Programme (ASP), the AI Research "
        "Programme (ARP) and the National AI Literacy Programme (NALP).",
        name="AI Talent Programme",
        kind="multi_agency_program",
    )
    report = read_report(*roundup)
    assert report is not None and report.defined_brands == ("ATP",)


def test_review_no_past_launch_in_naios_founding_a_future_or_a_negation() -> None:
    from naio_nlp.ledger import _launched_before

    for text in (
        "the national ai office, set up in december 2024, today launched the ai talent roadmap",
        "pejabat ai negara yang ditubuhkan pada disember 2024 hari ini melancarkan pelan itu",
        "the hub will be officially launched in march",
        "the portal is expected to be fully rolled out in 2026",
        "portal itu dijadualkan dilancarkan pada jun 2026",
        "the hub was not launched last year",
    ):
        assert not _launched_before(text), text
    assert _launched_before("the sandbox, opened in march 2025, has admitted 12 firms")


def test_review_an_english_title_is_a_post_only_before_of() -> None:
    from naio_nlp.ledger import _brand_tokens, _capitalised_names

    assert _capitalised_names("NAIO launched the Chief AI Officer Network today.") == [
        "Chief AI Officer Network"
    ]
    assert _brand_tokens("KIRA: 40,000 GPU-hours offered", title=True) == ["KIRA"]
    assert _brand_tokens("New KIRA AI compute call opens", title=True) == ["KIRA"]
    assert _brand_tokens("KENYATAAN MEDIA: PENERBITAN GARIS PANDUAN", title=True) == []
    assert _brand_tokens("Geran AI untuk usahawan OKU dibuka", title=True) == []


RIVER_EN = doc(
    "en-river",
    "KOTA BHARU — The National AI Office launched River Watch AI on Tuesday, a pilot that "
    "reads water levels along the Kelantan river and sends a phone alert to volunteer "
    "wardens before a flood.",
    name="River Watch AI",
    kind="sector_proof_point",
    day=date(2025, 11, 4),
    title="AI pilot to send flood alerts to phones in Kelantan",
)
RIVER_MS = doc(
    "ms-river",
    "KOTA BHARU — Sistem Amaran Awal Banjir Pintar yang diselaraskan Pejabat AI Negara "
    "menghantar amaran telefon kepada sukarelawan di tebing sungai di Kelantan tiga jam "
    "sebelum air naik minggu lalu.",
    name="Sistem Amaran Awal Banjir Pintar",
    kind="sector_proof_point",
    lang="ms",
    day=date(2025, 12, 9),
    source="berita",
    title="Amaran telefon sampai tiga jam sebelum banjir",
)


def test_malay_context_read_through_the_glossary_links_across_languages() -> None:
    # the names share nothing; "sungai", "telefon", "sukarelawan" are the glossary's
    # river, phone and volunteer, which the English report also says
    led = build([*four_sandboxes(), RIVER_EN, RIVER_MS])
    en, ms = led.entry_for("en-river"), led.entry_for("ms-river")
    assert en is not None and ms is not None
    assert en.artifact_id == ms.artifact_id
    assert {"river", "phone", "volunteer"} <= set(read_report(*RIVER_MS).context)


def test_programmes_for_different_audiences_stay_apart_across_languages() -> None:
    # announced on one day, in words that read alike once the Malay is in English:
    # classes for seniors and classes for rural youth are two programmes
    seniors = doc(
        "ms-seniors",
        "PUTRAJAYA — Pejabat AI Negara akan memperkenalkan program kesedaran AI khusus untuk "
        "warga emas bagi membantu mereka mengenal pasti suara dan video palsu yang dijana "
        "kecerdasan buatan, menurut kenyataan semalam.",
        status="symbolic",
        lang="ms",
        day=date(2025, 7, 22),
        source="berita",
        title="Kelas AI percuma untuk kenali penipuan suara palsu",
    )
    youth = doc(
        "en-youth",
        "PUTRAJAYA — The National AI Office will introduce an AI literacy programme aimed at "
        "young people in rural areas, teaching them to spot fake voices and videos made with "
        "artificial intelligence, a statement said yesterday.",
        status="symbolic",
        day=date(2025, 7, 22),
        title="Free AI classes to help spot fake voice scams",
    )
    led = build([*four_sandboxes(), seniors, youth])
    a, b = led.entry_for("ms-seniors"), led.entry_for("en-youth")
    assert a is not None and b is not None
    assert a.artifact_id != b.artifact_id


def test_copies_of_one_story_are_one_output_across_updates_and_saves(tmp_path: Path) -> None:
    # a wire story that names its output only by a brand the reader does not take for a
    # name, run by three outlets under other ids and dates: one output, three reports
    text = (
        "KUALA LUMPUR — The National AI Office today launched the Talent Bridge, run jointly "
        "with three universities. The first intake of 240 students began classes this week."
    )
    copies = [
        doc(f"copy-{i}", text, name=None, title=title, day=date(2026, 4, 14 + i), source=src)
        for i, (title, src) in enumerate(
            [("NAIO launches Talent Bridge", "wire"), ("Talent Bridge opens", "daily")]
        )
    ]
    led = build(copies)
    assert len(led) == 1
    # a third copy, in a later run, after the ledger was saved and read back
    path = led.write_json(tmp_path / "ledger.json")
    again = update(
        Ledger.read_json(path), [doc("copy-2", "  " + text.replace(". ", ".\n  "), name=None)]
    )
    assert len(again) == 1
    assert set(again.entries[0].article_ids) == {"copy-0", "copy-1", "copy-2"}
    # the same words in another story are not a copy of it
    other = doc("other", text + " A second intake opens in October.", name=None)
    assert read_report(*other).fingerprint != read_report(*copies[0]).fingerprint


def test_a_name_without_a_head_noun_is_read_from_its_apposition() -> None:
    # "the Skills Crossing, a programme ...": the name has no head noun, the words
    # after it say what it is; the intention, launch and results are one output
    announced = doc(
        "sc-1",
        "KUALA LUMPUR — The National AI Office plans to set up the Skills Crossing, a "
        "placement programme with four polytechnics, later this year, its chief said.",
        status="symbolic",
        day=date(2026, 2, 3),
        title="AI office to set up Skills Crossing",
    )
    launched = doc(
        "sc-2",
        "KUALA LUMPUR — The National AI Office today launched the Skills Crossing, a "
        "programme run with four polytechnics. The first 120 trainees began this week.",
        name=None,
        kind="multi_agency_program",
        day=date(2026, 5, 11),
        title="Skills Crossing opens with 120 trainees",
    )
    results = doc(
        "ms-sc-3",
        "SHAH ALAM — Seramai 96 daripada 120 pelatih pertama Skills Crossing, sebuah program "
        "Pejabat AI Negara bersama empat politeknik, sudah mendapat pekerjaan.",
        name=None,
        kind="multi_agency_program",
        lang="ms",
        source="berita",
        day=date(2026, 12, 1),
        title="96 pelatih dapat kerja",
    )
    led = build([announced, launched, results])
    assert len(led) == 1
    entry = led.entries[0]
    assert entry.name == "Skills Crossing"
    assert [s.stage for s in entry.stages] == ["announced", "launched", "operational"]
    # a body's name in apposition is not an output's, nor is a company described
    from naio_nlp.ledger import _capitalised_names

    assert _capitalised_names("Khazanah Nasional, the sovereign fund, will invest.") == []
    assert _capitalised_names("Pulse Labs Asia, a platform company, joined.") == []


def test_a_topic_in_common_is_no_promise_kept() -> None:
    # a panel's remarks on compute (a mention naming only the panel), then an MoU on
    # compute that names no output: one topic, not one output announced and launched
    remarks = doc(
        "remarks",
        "KUALA LUMPUR — Malaysia needs sovereign computing capacity for AI, with thousands "
        "of processors installed by local companies before 2027, an industry panel told a "
        "forum on Tuesday, as the National AI Office weighs a memorandum with them.",
        status="symbolic",
        day=date(2025, 9, 23),
        title="Malaysia's AI ambitions hinge on local compute, industry panel says",
    )
    mou = doc(
        "mou",
        "CYBERJAYA — The National AI Office today signed a memorandum of understanding with "
        "three local companies to build sovereign computing capacity for AI, with 2,000 "
        "processors to be installed by 2027.",
        name=None,
        kind="commercialization_pathway",
        day=date(2026, 9, 15),
        title="NAIO and three local companies sign MoU on sovereign AI compute capacity",
    )
    for order in ([remarks, mou], [mou, remarks]):
        led = build([*four_sandboxes(), *order])
        a, b = led.entry_for("remarks"), led.entry_for("mou")
        assert b is not None
        assert a is None or a.artifact_id != b.artifact_id
        assert not any(e.announced_on and e.launched_on for e in led.entries)
