"""Builds what the NLU loads, from the policy store (nothing is downloaded): a jieba user dictionary and a blank
spaCy `zh` pipeline with the jieba segmenter and an entity ruler for industry words and measure names.

Run: python -m bot.ops.assets   (make does it before training)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import jieba
import spacy
import yaml

from bot.nlu.cues import CUES_PATH
from policy_db import store

BUILD = Path(__file__).parents[2] / "build"


def dictionary_words(s: store.Store) -> list[str]:
    """Policy terms plus the cue words of the NLU, so both stay whole tokens."""
    cues = yaml.safe_load(CUES_PATH.read_text(encoding="utf-8"))
    words = set(s.terms) | {w for ws in s.fact_words.values() for w in ws}
    words |= {w for c in cues["numbers"].values() for w in c["words"]}
    words |= {w for v in cues["fixed"].values() for ws in v.values() for w in ws}
    words |= {w for ws in cues["booleans"].values() for w in ws}
    return sorted(w for w in words if len(w) > 1)


def ruler_patterns(s: store.Store) -> list[dict]:
    classification = s.classification_for(s.default_policy)
    patterns = [{"label": "industry", "pattern": w} for w in sorted({*classification.rows, *classification.synonyms})]
    for policy in s.policies.values():
        for m in policy.measures:
            for word in dict.fromkeys((m.title, *m.keywords)):
                patterns.append({"label": "measure", "pattern": word, "id": m.id})
    return patterns


def write_jieba_dictionary(words: list[str], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "policy_words.txt"
    path.write_text("".join(f"{w} 2000\n" for w in words), encoding="utf-8")
    return path


def write_spacy_model(patterns: list[dict], words: list[str], directory: Path) -> Path:
    for w in words:
        jieba.add_word(w, freq=2000)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("entity_ruler", config={"overwrite_ents": True}).add_patterns(patterns)
    nlp.meta["name"] = "huiqi_zh"
    nlp.meta["description"] = "Blank zh pipeline with jieba and rules generated from the policy store"
    nlp.to_disk(directory)
    return directory


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=BUILD)
    args = parser.parse_args()
    s = store.load()
    words = dictionary_words(s)
    write_jieba_dictionary(words, args.out / "jieba-dict")
    write_spacy_model(ruler_patterns(s), words, args.out / "spacy-zh")
    print(f"NLU 资源已生成：{args.out / 'jieba-dict'}，{args.out / 'spacy-zh'}（{len(words)} 个词）")


if __name__ == "__main__":
    main()
