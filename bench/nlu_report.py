"""Intent and entity F1 of the trained model on the held-out NLU sets, each written apart from the training data:
tests/nlu/heldout.yml, and tests/nlu/fresh.yml (written later from docs/intents.md alone, never used for tuning).

`rasa test nlu` gives the intent report and the FactExtractor's entities. It never scores SpacyEntityExtractor
(Rasa skips "pretrained" extractors), so the industry entity is scored here by parsing the held-out examples with
the same model and comparing spans.

With no argument it also prints fact extraction in context (bench.reading) on the third held-out set,
tests/nlu/conversations_heldout.yml: turn accuracy, precision and recall per fact, silent changes.

Run: make nlu-report   (both sets), or .venv/bin/python -m bench.nlu_report tests/nlu/fresh.yml
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data

from bench import reading
from bot.ops.model import ROOT, ensure

HELD_OUT_SETS = (ROOT / "tests" / "nlu" / "heldout.yml", ROOT / "tests" / "nlu" / "fresh.yml")
OUT = ROOT / "results" / "nlu"
SPACY_ENTITIES = {"industry"}


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


async def _spacy_entities(agent: Agent, held_out: Path) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for example in load_data(str(held_out)).training_examples:
        gold = {(e["start"], e["end"]) for e in example.get("entities", []) if e["entity"] in SPACY_ENTITIES}
        parsed = await agent.parse_message(example.get("text"))
        got = {(e["start"], e["end"]) for e in parsed["entities"] if e["entity"] in SPACY_ENTITIES}
        tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
    return tp, fp, fn


def main(sets: list[Path]) -> None:
    model = ensure()
    agent = Agent.load(str(model))
    for held_out in sets:
        report(model, agent, held_out)
        print()
    if sets == list(HELD_OUT_SETS):  # fact extraction in context: precision and recall per fact (bench.reading)
        for conversations in reading.SETS:
            reading.report(conversations, reading.score(agent, conversations), show_misses=0)
            print()


def report(model: Path, agent: Agent, held_out: Path) -> None:
    out = OUT / held_out.stem
    subprocess.run([sys.executable, "-m", "rasa", "test", "nlu", "--nlu", str(held_out), "--model", str(model),
                    "--out", str(out)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    intents = json.loads((out / "intent_report.json").read_text())
    print(f"held-out set: {held_out.resolve().relative_to(ROOT)}")
    print(f"intents: weighted F1 {intents['weighted avg']['f1-score']:.3f}, accuracy {intents['accuracy']:.3f} "
          f"(n={intents['weighted avg']['support']})")
    facts = json.loads((out / "FactExtractor_report.json").read_text())
    own = {k: v for k, v in facts.items() if isinstance(v, dict) and "support" in v and k not in SPACY_ENTITIES
           and not k.endswith(" avg")}
    support = sum(v["support"] for v in own.values())
    weighted = sum(v["f1-score"] * v["support"] for v in own.values()) / support
    print(f"entities, FactExtractor (numbers and counts): weighted F1 {weighted:.3f} (n={support}); "
          + ", ".join(f"{k} {v['f1-score']:.2f}" for k, v in sorted(own.items())))
    p, r, f = _f1(*asyncio.run(_spacy_entities(agent, held_out)))
    print(f"entities, SpacyEntityExtractor (industry): precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}")
    weak = sorted((v["f1-score"], k) for k, v in intents.items() if isinstance(v, dict) and "f1-score" in v
                  and not k.endswith(" avg"))[:3]
    print("weakest intents: " + ", ".join(f"{k} {f:.2f}" for f, k in weak))


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]] or list(HELD_OUT_SETS))
