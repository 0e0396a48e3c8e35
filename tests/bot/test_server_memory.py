"""The Rasa server holds less without answering differently: DIET is loaded for prediction (no optimizer, no
training graph) with the same weights and the same rankings as Rasa's own load, and TensorFlow's import leaves jax
out. Figures: bench/memory.py."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.models import RasaModel

from bot import rasa_patches

EXAMPLES = {"inform": ["we have twelve staff", "revenue is one million", "twelve people work here"],
            "greet": ["hello there", "good morning", "hi assistant"],
            "thanks": ["thank you", "many thanks", "thanks a lot"]}
QUESTIONS = ["twelve staff", "hello", "thanks assistant", "one million revenue", "morning people"]
DIET_CONFIG = {**DIETClassifier.get_default_config(), "epochs": 2, "random_seed": 1,
               "entity_recognition": False, "constrain_similarities": True}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A small DIET trained and stored as `rasa train` stores one, with the featurizer its messages need."""
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    context = ExecutionContext(GraphSchema({}), "memory-test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(), storage,
                                               Resource("featurizer"), context)
    data = TrainingData([Message(data={"text": text, "intent": intent})
                         for intent, texts in EXAMPLES.items() for text in texts])
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    DIETClassifier.create(DIET_CONFIG, storage, Resource("diet"), context).train(data)
    return storage, context, tokenizer, featurizer


def _load(trained, load) -> DIETClassifier:
    storage, context, *_ = trained
    kept = RasaModel.__dict__["load"]
    RasaModel.load = load
    try:
        return DIETClassifier.load(DIET_CONFIG, storage, Resource("diet"), context)
    finally:
        RasaModel.load = kept


def _rankings(trained, classifier: DIETClassifier) -> list:
    *_, tokenizer, featurizer = trained
    messages = [Message(data={"text": text}) for text in QUESTIONS]
    tokenizer.process(messages)
    featurizer.process(messages)
    classifier.process(messages)
    return [[(r["name"], r["confidence"]) for r in m.get("intent_ranking")] for m in messages]


def test_diet_loaded_for_prediction_ranks_as_rasas_own_load_and_keeps_no_optimizer(trained):
    rasas = _load(trained, RasaModel.__dict__["load"])
    ours = _load(trained, classmethod(rasa_patches.load_for_prediction))
    assert rasas.model.optimizer is not None  # what Rasa keeps: Adam, with two slots per weight
    assert ours.model.optimizer is None and ours.model.train_function is None
    assert [v.name for v in ours.model.variables] == [v.name for v in rasas.model.variables]
    for mine, theirs in zip(ours.model.variables, rasas.model.variables):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())
    assert _rankings(trained, ours) == _rankings(trained, rasas)


def test_the_rasa_server_loads_diet_for_prediction_and_imports_no_jax():
    """In a process of its own, as `python -m bot.rasa_server run` starts: its changes, then Rasa's server."""
    probe = ("import sys; from bot import rasa_server; rasa_server.install(); import tensorflow, rasa.core.run; "
             "from rasa.utils.tensorflow.models import RasaModel; from bot.rasa_patches import load_for_prediction; "
             "print(RasaModel.load.__func__ is load_for_prediction, sys.modules.get('jax') is not None)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "True False"
