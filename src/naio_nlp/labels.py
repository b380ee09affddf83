"""The label vocabularies, defined once.

Every other module (data model, corpus validator, classifier, report) reads
the labels from here, so adding or renaming a label is a one-file change.
Each label carries a one-line description that the CLI and the report show.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

__all__ = [
    "ARTIFACT_TYPES",
    "DOMAINS",
    "LANGUAGES",
    "NAIO_NAMES",
    "STATUSES",
    "ArtifactType",
    "Domain",
    "Label",
    "Status",
]

Status = Literal["artifact", "symbolic", "unrelated"]
ArtifactType = Literal[
    "action_plan",
    "multi_agency_program",
    "public_guidance",
    "commercialization_pathway",
    "sector_proof_point",
]
Domain = Literal[
    "sovereignty",
    "regulation_policy",
    "security",
    "governance_ethics",
    "safety",
    "talent",
    "advisory",
]


@dataclass(frozen=True, slots=True)
class Label:
    """A label name with the one-line description users see."""

    name: str
    description: str


def _vocabulary(*labels: Label) -> MappingProxyType[str, Label]:
    return MappingProxyType({label.name: label for label in labels})


STATUSES: Final = _vocabulary(
    Label(
        "artifact",
        "Reports a concrete execution output that routes through NAIO: a named output, "
        "evidence it happened or is firmly scheduled, and NAIO in an operative role.",
    ),
    Label(
        "symbolic",
        "Mentions or involves NAIO without a concrete output: aspirations, intentions, "
        "speeches, ceremonies, passing citations, opinion.",
    ),
    Label("unrelated", "NAIO plays no role in what the document reports."),
)

ARTIFACT_TYPES: Final = _vocabulary(
    Label(
        "action_plan",
        "A named national plan, roadmap, strategy or framework with deliverables.",
    ),
    Label(
        "multi_agency_program",
        "A program, working group, initiative, pilot or talent scheme across agencies, "
        "industry or academia, convened or coordinated by NAIO.",
    ),
    Label(
        "public_guidance",
        "Published guidelines, standards, toolkits, playbooks or codes of practice.",
    ),
    Label(
        "commercialization_pathway",
        "Grants, funds, sandboxes, accelerators, procurement routes, or partnerships and "
        "MoUs with named partners and scope.",
    ),
    Label(
        "sector_proof_point",
        "AI deployed or piloted in a named sector with a concrete result or scope.",
    ),
)

DOMAINS: Final = _vocabulary(
    Label(
        "sovereignty",
        "Sovereign or national models, Malay-language LLMs, domestic compute and data "
        "centres, data residency, reducing dependence.",
    ),
    Label(
        "regulation_policy",
        "Laws, bills, regulatory frameworks, national strategies and action plans, "
        "sandboxes, policy instruments.",
    ),
    Label(
        "security",
        "AI-enabled threats and securing AI systems: cybersecurity, deepfakes, scams, "
        "fraud, critical infrastructure.",
    ),
    Label(
        "governance_ethics",
        "Responsible-AI principles and institutions: ethics, accountability, "
        "transparency, fairness, inclusion, oversight.",
    ),
    Label(
        "safety",
        "Technical risk of AI systems: testing, evaluation, red-teaming, risk "
        "classification, incident reporting.",
    ),
    Label(
        "talent",
        "Training, upskilling, AI literacy, curricula, scholarships, certification, "
        "attracting experts.",
    ),
    Label(
        "advisory",
        "Advisory councils and panels, expert working groups, consultations, advice to "
        "agencies and businesses on adopting AI.",
    ),
)

LANGUAGES: Final = _vocabulary(
    Label("en", "English"),
    Label("ms", "Malay (Bahasa Melayu)"),
    Label("mixed", "Code-mixed English and Malay"),
)

#: The names under which NAIO appears in English and Malay reporting.
NAIO_NAMES: Final[tuple[str, ...]] = (
    "National AI Office",
    "National Artificial Intelligence Office",
    "NAIO",
    "Pejabat Kecerdasan Buatan Negara",
    "Pejabat Kecerdasan Buatan Kebangsaan",
    "Pejabat AI Negara",
    "Pejabat AI Kebangsaan",
)
