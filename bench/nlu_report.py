"""Intent and entity F1 of the trained model on the held-out NLU set (tests/nlu/heldout.yml), written apart from
the training data. Runs `rasa test nlu` and prints the weighted F1 of intents and of each entity extractor.

Run: make nlu-report
"""

from __future__ import annotations

import json
import subprocess
import sys

from bot.model import ROOT, ensure

HELD_OUT = ROOT / "tests" / "nlu" / "heldout.yml"
OUT = ROOT / "results" / "nlu"


def main() -> None:
    model = ensure()
    subprocess.run([sys.executable, "-m", "rasa", "test", "nlu", "--nlu", str(HELD_OUT), "--model", str(model),
                    "--out", str(OUT)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    intents = json.loads((OUT / "intent_report.json").read_text())
    print(f"held-out set: {HELD_OUT.relative_to(ROOT)}")
    print(f"intent  weighted F1 {intents['weighted avg']['f1-score']:.3f}  accuracy {intents['accuracy']:.3f}"
          f"  (n={intents['weighted avg']['support']})")
    for report in sorted(OUT.glob("*Extractor_report.json")):
        data = json.loads(report.read_text())
        avg = data.get("weighted avg") or data.get("micro avg")
        print(f"entities ({report.stem.replace('_report', '')}) weighted F1 {avg['f1-score']:.3f}"
              f"  (n={avg['support']})")
    weak = sorted((v["f1-score"], k) for k, v in intents.items() if isinstance(v, dict) and "f1-score" in v
                  and k not in {"weighted avg", "macro avg", "micro avg"})[:3]
    print("weakest intents: " + ", ".join(f"{k} {f:.2f}" for f, k in weak))


if __name__ == "__main__":
    main()
