from __future__ import annotations

import json
from datetime import date

import pytest

from naio_nlp import Article, InvalidFieldError, Prediction
from naio_nlp.schema import ArtifactSlots, Evidence, EvidenceSentence, content_hash

PROBS = {"artifact": 0.7, "symbolic": 0.2, "unrelated": 0.1}


def test_article_computes_content_hash_ignoring_whitespace() -> None:
    a = Article(id="a1", title="T", text="NAIO  launched\nthe plan.")
    b = Article(id="a2", title="T", text="NAIO launched the plan.")
    assert a.content_hash == b.content_hash == content_hash("T", "NAIO launched the plan.")
    assert Article(id="a3", title="T", text="other").content_hash != a.content_hash


def test_article_to_dict_serialises_dates() -> None:
    a = Article(id="x", text="t", published=date(2025, 2, 28), language="ms")
    assert a.to_dict()["published"] == "2025-02-28"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"id": ""}, "id"),
        ({"language": "fr"}, "language"),
        ({"published": "2025-02-28"}, "published"),
    ],
)
def test_article_rejects_bad_fields(kwargs: dict[str, object], field: str) -> None:
    base: dict[str, object] = {"id": "a", "text": "t"}
    with pytest.raises(InvalidFieldError) as info:
        Article(**{**base, **kwargs})  # type: ignore[arg-type]
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}:")


def test_prediction_round_trips_through_dict() -> None:
    p = Prediction(
        article_id="a",
        status="artifact",
        artifact_type="public_guidance",
        domains=("governance_ethics", "talent"),
        status_probs=PROBS,
        domain_probs={"talent": 0.8},
    )
    assert Prediction.from_dict(p.to_dict()) == p
    assert p.confidence == 0.7


def test_prediction_dict_carries_every_evidence_field() -> None:
    sentence = EvidenceSentence(text="NAIO published it.", start=0, end=18, score=0.5)
    slots = ArtifactSlots(name="AI Plan", agencies=("MOSTI",), partners=(), date="1 May 2025")
    p = Prediction(
        article_id="a",
        status="artifact",
        artifact_type="action_plan",
        domains=(),
        status_probs=PROBS,
        artifact_type_probs={"action_plan": 1},  # an int probability is accepted
        evidence=Evidence(sentences=(sentence,), naio_role="operative", artifact=slots),
    )
    d = p.to_dict()
    assert set(d["evidence"]["sentences"][0]) == set(EvidenceSentence.__dataclass_fields__)
    assert set(d["evidence"]["artifact"]) == set(ArtifactSlots.__dataclass_fields__)
    assert json.loads(json.dumps(d)) == d
    assert Prediction.from_dict(d) == p


def test_unknown_status_names_the_field() -> None:
    with pytest.raises(InvalidFieldError, match=r"^status: 'done' is not valid; expected one of"):
        Prediction(article_id="a", status="done", artifact_type=None, domains=(), status_probs={})


def test_artifact_type_on_non_artifact_is_rejected() -> None:
    with pytest.raises(InvalidFieldError, match=r"artifact_type: 'action_plan'.*symbolic"):
        Prediction(
            article_id="a",
            status="symbolic",
            artifact_type="action_plan",
            domains=(),
            status_probs=PROBS,
        )


def test_artifact_without_type_is_rejected() -> None:
    with pytest.raises(InvalidFieldError, match=r"^artifact_type:"):
        Prediction(
            article_id="a", status="artifact", artifact_type=None, domains=(), status_probs=PROBS
        )


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan"), "high", True])
def test_probability_outside_unit_interval_is_rejected(bad: object) -> None:
    with pytest.raises(InvalidFieldError, match=r"^status_probs\['artifact'\]:"):
        Prediction(
            article_id="a",
            status="symbolic",
            artifact_type=None,
            domains=(),
            status_probs={"artifact": bad},  # type: ignore[dict-item]
        )


def test_unknown_domain_and_repeated_domain_are_rejected() -> None:
    with pytest.raises(InvalidFieldError, match=r"^domains: 'ai_art'"):
        Prediction(
            article_id="a",
            status="unrelated",
            artifact_type=None,
            domains=("ai_art",),
            status_probs=PROBS,
        )
    with pytest.raises(InvalidFieldError, match="no repeated domain"):
        Prediction(
            article_id="a",
            status="unrelated",
            artifact_type=None,
            domains=("talent", "talent"),
            status_probs=PROBS,
        )
