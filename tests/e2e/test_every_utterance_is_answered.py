"""Every owner utterance the project holds gets a reply with words in it (issue 18): each item of the owners'
corpus, the tuning corpus and the held-out NLU sets (entity marks and all, as a user could type them) as the opening of a conversation of its own, and each held-out
conversation played turn by turn. A crash in a reader (a checklist "一二" once raised KeyError) shows as silence."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from testing.rest import post, texts

NLU = Path(__file__).parents[1] / "nlu"


def _openings() -> list[str]:
    said = []
    for path in [*sorted((NLU / "corpus").glob("*.yml")), NLU / "reading_corpus.yml"]:
        said += [str(item["say"]) for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]]
    for path in (NLU / "heldout.yml", NLU / "fresh.yml"):  # Rasa NLU data: the examples of every intent
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            said += [line[2:] for line in str(block.get("examples", "")).splitlines() if line.startswith("- ")]
    return list(dict.fromkeys(said))


def _conversations() -> list[list[str]]:
    out = []
    for path in sorted(NLU.glob("conversations_*.yml")):
        out += [[str(t["say"]) for t in c["turns"]] for c in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]]
    return out


def _silent(url: str, messages: list[str]) -> list[str]:
    sender = f"every-{uuid.uuid4().hex[:12]}"
    return [text for text in messages if not texts(post(url, sender, text, timeout=120)).strip()]


def test_every_utterance_gets_a_reply_with_words(assistant):
    jobs = [[text] for text in _openings()] + _conversations()
    with ThreadPoolExecutor(max_workers=6) as pool:
        silent = [text for found in pool.map(lambda messages: _silent(assistant.url, messages), jobs) for text in found]
    assert len(jobs) > 3000
    assert silent == []
