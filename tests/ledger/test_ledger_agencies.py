"""A public body named in Malay, in English or by acronym is one body when reports are linked."""

from __future__ import annotations

from datetime import date

from naio_nlp.ledger import _agency, build
from naio_nlp.schema import Article, ArtifactSlots, Evidence, EvidenceSentence, Prediction

Pair = tuple[Article, Prediction]


def doc(aid: str, text: str, *, name: str, agencies: tuple[str, ...], lang: str, day: date) -> Pair:
    article = Article(
        id=aid,
        text=text,
        title="",
        url=f"https://example.org/{aid}",
        source=f"outlet-{aid}",
        published=day,
        language=lang,
    )
    first = text.split(". ")[0]
    pred = Prediction(
        article_id=aid,
        status="artifact",
        artifact_type="public_guidance",
        domains=("governance_ethics",),
        status_probs={"artifact": 0.9},
        evidence=Evidence(
            sentences=(EvidenceSentence(first, 0, len(first), 2.0, "status"),),
            naio_role="operative",
            artifact=ArtifactSlots(name=name, agencies=agencies),
        ),
    )
    return article, pred


# One body's generic-named guidelines, reported in English and in Malay: the names ("AI
# Guidelines", "Garis Panduan AI") carry nothing distinctive, so the bodies decide.
GUIDE_EN = doc(
    "g-en",
    "The Ministry of Digital and NAIO published AI Guidelines on Monday. The guidelines cover "
    "chatbots at counters, translation of letters and summaries of complaints by officers.",
    name="AI Guidelines",
    agencies=("Ministry of Digital",),
    lang="en",
    day=date(2026, 3, 2),
)
GUIDE_MS = doc(
    "g-ms",
    "Kementerian Digital dan NAIO menerbitkan Garis Panduan AI semalam. Garis panduan itu "
    "meliputi chatbot di kaunter, terjemahan surat dan ringkasan aduan oleh pegawai.",
    name="Garis Panduan AI",
    agencies=("Kementerian Digital",),
    lang="ms",
    day=date(2026, 3, 3),
)
GUIDE_MS_HEALTH = doc(
    "g-ms-moh",
    "Kementerian Kesihatan dan NAIO menerbitkan Garis Panduan AI semalam. Garis panduan itu "
    "meliputi chatbot di kaunter, terjemahan surat dan ringkasan aduan oleh pegawai.",
    name="Garis Panduan AI",
    agencies=("Kementerian Kesihatan",),
    lang="ms",
    day=date(2026, 3, 4),
)


def test_a_body_has_one_name_in_english_malay_and_short() -> None:
    assert _agency("Kementerian Digital") == _agency("Ministry of Digital")
    assert _agency("digital  ministry") == _agency("Ministry of Digital")
    assert (
        _agency("SKMM")
        == _agency("MCMC")
        == _agency("Malaysian Communications and Multimedia Commission")
    )
    assert _agency("Kementerian Pendidikan") != _agency("Kementerian Pendidikan Tinggi")
    assert _agency("Some Unlisted Board") == "some unlisted board"


def test_one_bodys_generic_guidelines_link_across_languages() -> None:
    ledger = build([GUIDE_EN, GUIDE_MS])
    en, ms = ledger.entry_for("g-en"), ledger.entry_for("g-ms")
    assert en is not None and ms is not None
    assert en.artifact_id == ms.artifact_id, "Kementerian Digital is the Ministry of Digital"
    assert en.agencies == ("Ministry of Digital",)


def test_generic_guidelines_of_different_bodies_stay_apart_in_malay_too() -> None:
    ledger = build([GUIDE_EN, GUIDE_MS, GUIDE_MS_HEALTH])
    ids = {a: ledger.entry_for(a).artifact_id for a in ("g-en", "g-ms", "g-ms-moh")}  # type: ignore[union-attr]
    assert ids["g-en"] == ids["g-ms"]
    assert ids["g-ms-moh"] != ids["g-en"], "the Ministry of Health's guidelines are others"
    assert len(ledger) == 2
