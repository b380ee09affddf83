"""Minimal pairs for the patterns real reporting bends the codebook's tests with (issue 13).

Each pair differs in the one thing that flips a test, in English and in Malay,
and is labelled against the shipped model (``models/naio-default``), so a
retrained model that loses a pattern fails here. The documents were written
for these tests; none is in the corpus.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from naio_nlp import Prediction
from naio_nlp.classifier import Classifier, load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped() -> Classifier:
    return load()


def _label(clf: Classifier, title: str, text: str, lang: str) -> Prediction:
    return next(iter(clf.classify_many([{"title": title, "text": text, "lang": lang}])))


def _consistent(pred: Prediction) -> None:
    """Evidence and NAIO's role never contradict the label."""
    supports = {s.supports for s in pred.evidence.sentences}
    if pred.status == "artifact":
        assert pred.evidence.naio_role == "operative"
        assert "status:artifact" in supports
        assert f"type:{pred.artifact_type}" in supports
    else:
        assert "status:artifact" not in supports
    if pred.status == "unrelated":
        assert pred.evidence.naio_role != "operative"


# -- 1. NAIO as one of several leads (operative) vs NAIO cited ------------------------------

CO_LEAD_EN = (
    "Johor launches AI skills drive for 2,000 factory technicians",
    "JOHOR BAHRU, 9 March 2026 — A programme to retrain 2,000 factory technicians in machine "
    "vision and predictive maintenance was launched on Monday at the Pasir Gudang industrial "
    "park. The Johor AI Technician Upskilling Programme is co-led by the Johor state "
    "investment agency and the National AI Office (NAIO), which jointly selected the first "
    "cohort of 400 trainees from 35 companies. Classes run for 12 weeks at two polytechnics, "
    "and the first certificates will be awarded in June. State officials said the agency "
    "handles funding while NAIO runs the curriculum and the trainers' panel.",
)
CITED_EN = (
    "Johor launches AI skills drive for 2,000 factory technicians",
    "JOHOR BAHRU, 9 March 2026 — A programme to retrain 2,000 factory technicians in machine "
    "vision and predictive maintenance was launched on Monday at the Pasir Gudang industrial "
    "park. The Johor AI Technician Upskilling Programme is run by the Johor state investment "
    "agency, which selected the first cohort of 400 trainees from 35 companies, in line with "
    "the aspirations of the National AI Office. Classes run for 12 weeks at two polytechnics, "
    "and the first certificates will be awarded in June. Officials from several federal "
    "agencies, including NAIO, attended the launch.",
)
CO_LEAD_MS = (
    "Program latihan AI untuk 1,500 guru dilancarkan di Kedah",
    "ALOR SETAR, 14 April 2026 — Program Literasi AI Guru Kedah dilancarkan semalam dan akan "
    "melatih 1,500 guru sekolah menengah dalam tempoh enam bulan. Program itu diterajui "
    "bersama Jabatan Pendidikan Negeri Kedah dan Pejabat Kecerdasan Buatan Negara (NAIO), "
    "yang telah memilih 60 jurulatih utama daripada 12 daerah. Sesi pertama bermula di "
    "Sungai Petani pada 20 April dengan 300 peserta. Menurut kenyataan bersama, NAIO "
    "menyediakan modul latihan manakala jabatan negeri menguruskan peserta.",
)
CITED_MS = (
    "Program latihan AI untuk 1,500 guru dilancarkan di Kedah",
    "ALOR SETAR, 14 April 2026 — Program Literasi AI Guru Kedah dilancarkan semalam dan akan "
    "melatih 1,500 guru sekolah menengah dalam tempoh enam bulan. Program itu dikendalikan "
    "sepenuhnya oleh Jabatan Pendidikan Negeri Kedah, yang telah memilih 60 jurulatih utama "
    "daripada 12 daerah, selaras dengan hasrat Pejabat Kecerdasan Buatan Negara. Sesi "
    "pertama bermula di Sungai Petani pada 20 April dengan 300 peserta. Majlis pelancaran "
    "turut dihadiri wakil beberapa agensi, termasuk NAIO.",
)


# Known gap of the shipped model (strict: the day it passes, this xfail fails and goes):
# a sentence that credits the other agency and cites NAIO "in line with" its aspirations
# still scores high on all three tests, so the cited twin comes out artifact.
CITED_GAP = pytest.mark.xfail(
    strict=True, reason="shipped model reads 'run by X ..., in line with NAIO' as operative"
)


@pytest.mark.parametrize(("lead", "lang"), [(CO_LEAD_EN, "en"), (CO_LEAD_MS, "ms")])
def test_naio_as_one_of_several_leads_is_operative(
    shipped: Classifier, lead: tuple[str, str], lang: str
) -> None:
    operative = _label(shipped, *lead, lang)
    assert operative.status == "artifact"
    assert operative.artifact_type == "multi_agency_program"
    assert operative.evidence.naio_role == "operative"
    _consistent(operative)


@pytest.mark.parametrize(
    ("cited", "lang"),
    [pytest.param(CITED_EN, "en", marks=CITED_GAP), pytest.param(CITED_MS, "ms", marks=CITED_GAP)],
)
def test_naio_only_cited_beside_a_lead_agency_is_symbolic(
    shipped: Classifier, cited: tuple[str, str], lang: str
) -> None:
    listed = _label(shipped, *cited, lang)
    _consistent(listed)
    assert listed.status == "symbolic"
    assert listed.evidence.naio_role == "cited"


# -- 2. passive / progressive intention vs a release ----------------------------------------

DRAFTING_EN = (
    "AI incident reporting rules in the works, says ministry",
    "KUALA LUMPUR, 2 September 2025 — A national framework for reporting incidents involving "
    "AI systems is being drafted by the National AI Office, the Digital Ministry said in a "
    "written parliamentary reply. The framework is still being finalised with regulators and "
    "will be tabled to the Cabinet once consultations end. No date has been set for its "
    "release. The reply said 14 agencies had been asked for their views.",
)
RELEASED_EN = (
    "AI incident reporting rules released",
    "KUALA LUMPUR, 2 September 2025 — A national framework for reporting incidents involving "
    "AI systems was published yesterday by the National AI Office, the Digital Ministry said "
    "in a statement. The AI Incident Reporting Framework, a 28-page document prepared with "
    "14 agencies, requires operators of high-risk systems to report serious incidents within "
    "72 hours. It took effect on 1 September and is available on the NAIO portal.",
)
DRAFTING_MS = (
    "Garis panduan AI sektor kesihatan masih dirangka",
    "PUTRAJAYA, 5 Mei 2026 — Garis Panduan Penggunaan AI dalam Sektor Kesihatan sedang "
    "dirangka oleh Pejabat Kecerdasan Buatan Negara (NAIO) bersama Kementerian Kesihatan. "
    "Menurut jawapan bertulis Dewan Rakyat, dokumen itu masih di peringkat penyediaan dan "
    "akan dibentangkan kepada Jemaah Menteri sebelum dimuktamadkan. Tiada tarikh "
    "pelancaran ditetapkan setakat ini.",
)
RELEASED_MS = (
    "Garis panduan AI sektor kesihatan diterbitkan",
    "PUTRAJAYA, 5 Mei 2026 — Garis Panduan Penggunaan AI dalam Sektor Kesihatan telah "
    "diterbitkan semalam oleh Pejabat Kecerdasan Buatan Negara (NAIO) bersama Kementerian "
    "Kesihatan. Dokumen setebal 40 halaman itu menetapkan 15 syarat bagi hospital yang "
    "menggunakan sistem AI dan berkuat kuasa mulai 1 Jun 2026. Ia boleh dimuat turun "
    "melalui portal NAIO.",
)


@pytest.mark.parametrize(
    ("pending", "released", "lang"),
    [(DRAFTING_EN, RELEASED_EN, "en"), (DRAFTING_MS, RELEASED_MS, "ms")],
)
def test_passive_and_progressive_drafting_is_not_a_release(
    shipped: Classifier,
    pending: tuple[str, str],
    released: tuple[str, str],
    lang: str,
) -> None:
    drafting = _label(shipped, *pending, lang)
    published = _label(shipped, *released, lang)
    assert drafting.status == "symbolic"
    assert published.status == "artifact"
    _consistent(drafting)
    _consistent(published)


@pytest.mark.parametrize(
    ("released", "lang"),
    [(RELEASED_EN, "en"), (RELEASED_MS, "ms")],
)
def test_released_rules_are_public_guidance(
    shipped: Classifier, released: tuple[str, str], lang: str
) -> None:
    assert _label(shipped, *released, lang).artifact_type == "public_guidance"


# -- 3. a number belonging to the output vs a number belonging to something else -----------

FOREIGN_NUMBERS_EN = (
    "Malaysia climbs AI readiness index as NAIO eyes SME toolkit",
    "KUALA LUMPUR, 18 June 2026 — Malaysia ranked 23rd of 193 countries in a global "
    "government AI readiness index released this week, up from 29th a year earlier. A "
    "separate survey found that 62 per cent of 1,200 small firms want help adopting AI, and "
    "the digital economy is projected to reach 25.5 per cent of GDP by 2030. The National AI "
    "Office said it intends to develop an AI adoption toolkit for small businesses, without "
    "giving a timeline.",
)
OWN_NUMBERS_EN = (
    "NAIO opens AI adoption clinic for 300 small firms",
    "KUALA LUMPUR, 18 June 2026 — The National AI Office today opened applications for its "
    "SME AI Adoption Clinic, which will give 300 small firms 20 hours of free advisory "
    "support each. Applications close on 31 July 2026, and the first 100 firms start in "
    "August. The clinic is funded with RM6 million from the office's programme budget.",
)
FOREIGN_NUMBERS_MS = (
    "Malaysia naik dalam indeks kesediaan AI",
    "KUALA LUMPUR, 18 Jun 2026 — Malaysia berada di kedudukan ke-23 daripada 193 negara "
    "dalam indeks kesediaan AI kerajaan yang diterbitkan minggu ini. Satu tinjauan lain "
    "mendapati 62 peratus daripada 1,200 syarikat kecil memerlukan bantuan menerima guna AI. "
    "Pejabat Kecerdasan Buatan Negara berkata ia berhasrat membangunkan kit alat AI untuk "
    "perniagaan kecil, namun tidak memberikan sebarang tempoh.",
)
OWN_NUMBERS_MS = (
    "NAIO buka klinik penerimagunaan AI untuk 300 PKS",
    "KUALA LUMPUR, 18 Jun 2026 — Pejabat Kecerdasan Buatan Negara (NAIO) hari ini membuka "
    "permohonan bagi Klinik Penerimagunaan AI PKS, yang akan memberikan 20 jam khidmat "
    "nasihat percuma kepada 300 syarikat kecil. Permohonan ditutup pada 31 Julai 2026 dan "
    "100 syarikat pertama bermula pada Ogos.",
)


# The Malay twin was a known gap (a strict xfail) of the model retrained with r7-r9 (artifact
# 0.63); retrained with r10-r15 it is symbolic again (0.56, artifact 0.44), still close.
@pytest.mark.parametrize(
    ("foreign", "own", "lang"),
    [
        (FOREIGN_NUMBERS_EN, OWN_NUMBERS_EN, "en"),
        (FOREIGN_NUMBERS_MS, OWN_NUMBERS_MS, "ms"),
    ],
)
def test_numbers_of_something_else_are_not_specifics_of_the_output(
    shipped: Classifier,
    foreign: tuple[str, str],
    own: tuple[str, str],
    lang: str,
) -> None:
    borrowed = _label(shipped, *foreign, lang)
    specific = _label(shipped, *own, lang)
    assert borrowed.status == "symbolic"
    assert specific.status == "artifact"
    _consistent(borrowed)
    _consistent(specific)


# -- 4. a domain named in a mandate list vs a domain treated in substance --------------------

LISTED_EN = (
    "Digital minister visits NAIO",
    "CYBERJAYA, 3 February 2026 — The Digital Minister paid a courtesy visit to the National "
    "AI Office on Tuesday and was briefed on its work. The office's seven working groups "
    "cover sovereignty, regulation, security, ethics, safety, talent and advisory matters. "
    "The minister said the office should keep engaging industry and thanked its staff.",
)
SUBSTANTIVE_EN = (
    "Digital minister visits NAIO",
    "CYBERJAYA, 3 February 2026 — The Digital Minister paid a courtesy visit to the National "
    "AI Office on Tuesday and was briefed on its work. Most of the briefing was on "
    "cybersecurity: officials described how deepfake voice scams and phishing attacks on "
    "government staff have risen, and how attackers use AI to probe critical infrastructure. "
    "The minister said agencies must harden their systems against such threats and thanked "
    "the office's staff.",
)
LISTED_MS = (
    "Menteri Digital lawat NAIO",
    "CYBERJAYA, 3 Februari 2026 — Menteri Digital mengadakan kunjungan hormat ke Pejabat "
    "Kecerdasan Buatan Negara pada Selasa dan diberi taklimat mengenai tugasnya. Tujuh "
    "kumpulan kerja pejabat itu merangkumi kedaulatan, kawal selia, keselamatan, etika, "
    "bakat dan khidmat nasihat. Menteri berkata pejabat itu perlu terus berhubung dengan "
    "industri.",
)
SUBSTANTIVE_MS = (
    "Menteri Digital lawat NAIO",
    "CYBERJAYA, 3 Februari 2026 — Menteri Digital mengadakan kunjungan hormat ke Pejabat "
    "Kecerdasan Buatan Negara pada Selasa dan diberi taklimat mengenai tugasnya. Sebahagian "
    "besar taklimat itu menyentuh keselamatan siber: pegawai menjelaskan peningkatan "
    "penipuan suara deepfake dan serangan pancingan data terhadap kakitangan kerajaan, serta "
    "ancaman siber terhadap infrastruktur kritikal. Menteri berkata agensi perlu memperkukuh "
    "sistem mereka daripada serangan sedemikian.",
)


@pytest.mark.parametrize(
    ("listed", "substantive", "lang"),
    [(LISTED_EN, SUBSTANTIVE_EN, "en"), (LISTED_MS, SUBSTANTIVE_MS, "ms")],
)
def test_a_domain_in_a_mandate_list_is_not_a_domain(
    shipped: Classifier,
    listed: tuple[str, str],
    substantive: tuple[str, str],
    lang: str,
) -> None:
    in_list = _label(shipped, *listed, lang)
    treated = _label(shipped, *substantive, lang)
    assert "security" not in in_list.domains
    assert len(in_list.domains) <= 1
    assert "security" in treated.domains
    assert in_list.status == treated.status == "symbolic"
    _consistent(in_list)
    _consistent(treated)


# -- 6. short plain announcements: applications opened (with what "will" follow) vs planned -----

OPENED_EN = (
    "NAIO opens applications for AI fellowship in ministries",
    "PUTRAJAYA, 2 June 2026 — The National AI Office has opened applications for the Public "
    "Service AI Fellowship, which will place 30 data scientists in eight ministries for a year. "
    "Applications close on 15 July, and the first fellows report for duty in September.",
)
PLANNED_EN = (
    "NAIO to open applications for AI fellowship in ministries",
    "PUTRAJAYA, 2 June 2026 — The National AI Office will open applications for a Public "
    "Service AI Fellowship later this year, which is expected to place about 30 data "
    "scientists in ministries. The details are still being worked out, an official said.",
)
OPENED_MS = (
    "NAIO buka permohonan fellowship AI di kementerian",
    "PUTRAJAYA: Pejabat AI Negara (NAIO) hari ini membuka permohonan bagi Fellowship AI "
    "Perkhidmatan Awam, yang akan menempatkan 30 saintis data di lapan kementerian selama "
    "setahun. Permohonan ditutup pada 15 Julai dan fellow pertama akan melapor diri pada "
    "September.",
)
PLANNED_MS = (
    "NAIO akan buka permohonan fellowship AI di kementerian",
    "PUTRAJAYA: Pejabat AI Negara (NAIO) akan membuka permohonan bagi Fellowship AI "
    "Perkhidmatan Awam lewat tahun ini, yang dijangka menempatkan kira-kira 30 saintis data di "
    "kementerian. Butirannya masih diperhalusi, kata seorang pegawai.",
)


@pytest.mark.parametrize(
    ("opened", "planned", "lang"),
    [(OPENED_EN, PLANNED_EN, "en"), (OPENED_MS, PLANNED_MS, "ms")],
)
def test_a_short_announcement_of_opened_applications_is_an_artifact(
    shipped: Classifier,
    opened: tuple[str, str],
    planned: tuple[str, str],
    lang: str,
) -> None:
    """'Opened applications for X, which will place 30 ...': the 'will' belongs to what the
    opened programme does next, not to the release (a review found such announcements called
    symbolic); the same programme only planned stays symbolic."""
    released = _label(shipped, *opened, lang)
    intended = _label(shipped, *planned, lang)
    assert released.status == "artifact"
    assert intended.status == "symbolic"
    _consistent(released)
    _consistent(intended)


# -- the seed documents ------------------------------------------------------------------------


def _seeds() -> Path | None:
    """``../shared/seeds`` beside the checkout (as CI has it), or ``NAIO_SEEDS``."""
    for candidate in (os.environ.get("NAIO_SEEDS"), ROOT.parent / "shared" / "seeds"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("../shared/seeds is missing beside the checkout; CI must provide it")
    return None


def test_shipped_model_labels_the_seed_documents_as_the_codebook_does(
    shipped: Classifier,
) -> None:
    seeds = _seeds()
    if seeds is None:
        pytest.skip("../shared/seeds not beside the checkout (set NAIO_SEEDS to run this)")
    convened = shipped.classify((seeds / "003_4f18cb3a52294ba2.txt").read_text(encoding="utf-8"))
    assert convened.status == "artifact"
    _consistent(convened)
    analysis = shipped.classify((seeds / "000_2842ee831ca8cb9b.txt").read_text(encoding="utf-8"))
    assert analysis.status == "symbolic"
    _consistent(analysis)


def test_shipped_model_types_the_working_group_seed_as_a_multi_agency_program(
    shipped: Classifier,
) -> None:
    seeds = _seeds()
    if seeds is None:
        pytest.skip("../shared/seeds not beside the checkout (set NAIO_SEEDS to run this)")
    convened = shipped.classify((seeds / "003_4f18cb3a52294ba2.txt").read_text(encoding="utf-8"))
    assert convened.artifact_type == "multi_agency_program"
