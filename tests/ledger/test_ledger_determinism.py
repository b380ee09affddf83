"""The same documents give the same ledger in every process, whatever the hash seed.

Forty outputs share one distinctive word ("Padi"), more than the candidates
scored per report, and six later reports misspell their output's own word, so
no entry shares two index keys with them: which entries get scored must not
depend on the order of a set (that order changes with PYTHONHASHSEED).
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import json
from datetime import date, timedelta
from naio_nlp.ledger import build
from naio_nlp.schema import Article, ArtifactSlots, Evidence, Prediction

import random
rng = random.Random(7)
WORDS = ["".join(rng.choice("bcdfghklmnprstaeiou") for _ in range(10)) for _ in range(40)]

def doc(i, name, day):
    text = f"NAIO launched the {name} today in Kedah. Farmers joined."
    return (
        Article(id=f"d{i:03d}", text=text, title=name, published=day, language="en"),
        Prediction(article_id=f"d{i:03d}", status="artifact", artifact_type="sector_proof_point",
                   domains=(), status_probs={"artifact": 1.0},
                   evidence=Evidence(artifact=ArtifactSlots(name=name))),
    )

pairs = [doc(i, f"Padi {w.title()} Programme", date(2025, 1, 1) + timedelta(days=i))
         for i, w in enumerate(WORDS)]
for j, w in enumerate(WORDS[::7]):
    typo = w[1] + w[0] + w[2:]  # two letters swapped: its index key changes
    pairs.append(doc(100 + j, f"Padi {typo.title()} Programme", date(2026, 1, 1)))
print(json.dumps([(e.artifact_id, e.article_ids) for e in build(pairs)]))
"""


def test_same_ledger_under_different_hash_seeds() -> None:
    outputs = set()
    for seed in ("1", "2", "3", "4", "5", "6"):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=120,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1, f"{len(outputs)} different ledgers from the same documents"
