"""Rasa's JiebaTokenizer, whose training cache also knows the dictionary's content. The dictionary is generated from
the policy store (a new trade word, a published document's terms); Rasa keys its cache on the tokenizer's config
only, so a retrain after new words would reuse the old words' tokens while live messages are cut with the new ones,
and a model trained with a warm cache would differ from a clean clone's."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Dict, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class PolicyJiebaTokenizer(JiebaTokenizer):
    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """A digest of every file of the dictionary directory, so new words retrain what they tokenize. The inference
        graph's tokenizer names no directory, and then there is nothing to add."""
        if not config.get("dictionary_path"):
            return None
        directory = Path(config["dictionary_path"])
        if not directory.is_dir():
            return None
        digest = hashlib.sha256()
        for path in sorted(p for p in directory.iterdir() if p.is_file()):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()
