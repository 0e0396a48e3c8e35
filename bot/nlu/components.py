"""Rasa NLU components: thin graph wrappers around the pure readers of this package.

- ChineseNormalizer (first in the pipeline): simplified script, half-width text, a greeting before a request
  dropped; loads the project's jieba
  dictionary before spaCy's jieba segmenter runs, so policy words stay whole tokens for the entity ruler.
- FactExtractor: enterprise facts stated in passing, bare numbers with their unit, checklist choices.
- InputGuard (last): input that must not be acted on becomes intent `bad_input`, with its reason and no
  entities; a message that is only a quantity ("6000", "12个人") or checklist numbers ("1、3") is an answer,
  `inform`, whatever the classifier guessed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Text

import jieba
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from policy_db import store
from reading.entities import (ALL_CHOSEN, ASKS, CHOICE, CORRECTION, DENIED, DOUBTED, HEDGED, NAMED, NUMBER, PRESENTS,
                              YES_NO)

from .cues import CUES_PATH, CueReader, is_bare_answer, twelfth
from .intent_markers import IntentMarkers
from .guard import MAX_LENGTH, problem
from .normalize import normalize, without_greeting
from .numbers import Quantity

# what the classifier may call a statement, an answer or noise; a correction word or an opening yes/no decides
INTERVIEW_INTENTS = {"inform", "ask_eligibility"}  # a message the interview takes its facts from
STATEMENT_INTENTS = {"inform", "nlu_fallback", "out_of_scope", "affirm", "deny", "correct", "thanks"}

_jieba_dictionaries_loaded: set[str] = set()


def _load_jieba_dictionary(directory: str | None) -> None:
    if not directory or directory in _jieba_dictionaries_loaded or not Path(directory).is_dir():
        return
    for path in sorted(Path(directory).iterdir()):
        jieba.load_userdict(str(path))
    _jieba_dictionaries_loaded.add(directory)


class _Stateless(GraphComponent):
    """A component with nothing to train: the same processing for training data and live messages."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> GraphComponent:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self.process_one(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process_one(self, message: Message) -> None:
        raise NotImplementedError


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class ChineseNormalizer(_Stateless):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"jieba_dictionary": "build/jieba-dict"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        _load_jieba_dictionary(config.get("jieba_dictionary"))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            if example.get(TEXT):
                example.set(TEXT, without_greeting(normalize(example.get(TEXT))))
        return training_data

    def process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if len(text) <= MAX_LENGTH:  # longer input is refused by the InputGuard; not worth converting
            message.set(TEXT, without_greeting(normalize(text)))


def monthly_facts() -> tuple[str, ...]:
    """The facts counted by the month (facts.yaml `period`): a yearly figure said for one is its twelfth."""
    return tuple(name for name, spec in store.load().facts.items() if spec.period == "month")


def situations() -> dict[str, list[str]]:
    """The yes/no facts' checklist wordings from the policy store (facts.yaml `situation`), normalised as messages
    are, and without a closing aside ("因疫情没法按期报税（纳税申报）" is also said "因疫情没法按期报税")."""
    served = store.load()
    out = {}
    for name, spec in served.facts.items():
        if spec.type == "bool" and spec.situation:
            whole = normalize(spec.situation)
            said = [normalize(w) for w in served.fact_words.get(name, ())]  # a published document's words for it
            out[name] = list(dict.fromkeys([whole, re.sub(r"[(（][^()（）]*[)）]$", "", whole), *said]))
    return out


MARKS = (YES_NO, CORRECTION, CHOICE, PRESENTS, ASKS, DOUBTED, NAMED)  # what the extractor marks that states no fact


def choices() -> dict[str, tuple[str, ...]]:
    """The choice facts' choices (facts.yaml `choices`): one named answers its question unless a negation denies it."""
    return {name: tuple(spec.choices) for name, spec in store.load().facts.items() if spec.type == "choice"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class FactExtractor(_Stateless):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"cues": str(CUES_PATH)}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.reader = CueReader.from_file(Path(config.get("cues") or CUES_PATH), situations(), monthly_facts())
        self.choices = choices()

    def process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if problem(text):
            return
        entities = list(message.get(ENTITIES, []))
        for found in self.reader.read(text):
            entity = self._entity(found.fact, found.value, found.start, found.end, text, found.quantity)
            if found.phrase:  # a description, not a figure after a fact word: the reading may ask before taking it
                entity.setdefault("additional_info", {})["phrase"] = True
            if found.suggested:  # words that only hint at the fact: it is asked, never taken
                entity.setdefault("additional_info", {})["suggested"] = True
            if found.by_unit:  # "两位": people, but whose count the question pending decides
                entity.setdefault("additional_info", {})["by_unit"] = True
            entities.append(entity)
        if self.reader.corrects(text):  # "说多了", "应该是": the words that make a bare figure a correction
            entities.append(self._entity(CORRECTION, True, 0, len(text), text))
        hedged = self.reader.hedge(text)
        if hedged:  # "也不算裁吧": what the message states is asked before it is taken
            entities.append(self._entity(HEDGED, True, *hedged, text))
        for fact, choice, start, end in self.reader.named(text, self.choices):  # "没注册公司" names no 公司
            entity = self._entity(NAMED, choice, start, end, text)
            entity["role"] = fact
            entities.append(entity)
        for fact in self.reader.doubted(text):  # "走了两个": a layoff count to be confirmed where it is costly
            entities.append(self._entity(DOUBTED, fact, 0, len(text), text))
        if self.reader.asks(text):  # "…这算不算国企啊？": no answer to a yes/no question asked, whatever the intent
            entities.append(self._entity(ASKS, True, 0, len(text), text))
        presented = self.reader.presents(text)
        if presented:  # "我们是…", "开了个…": a trade named here is the enterprise's own
            entities.append(self._entity(PRESENTS, True, presented.start(), presented.end(), text))
        opening = self.reader.yes_no(text)
        if opening is not None:
            entity = self._entity(YES_NO, opening[0], 0, len(text) - len(opening[1]), text)
            entity["additional_info"] = {"reason": opening[1]}
            entities.append(entity)
        for q in self.reader.unassigned_quantities(text):
            entity = self._entity(NUMBER, q.value, q.start, q.end, text, q)
            entity["role"] = q.kind
            if q.kind in ("money", "plain") and self.reader.per_year(text, q):  # "一年两万四": a monthly fact's twelfth
                entity.setdefault("additional_info", {})["monthly"] = twelfth(q.value)
            if q.kind in ("money", "plain") and self.reader.per_month(text, q):  # "一个月十来万": last year's is a guess
                entity.setdefault("additional_info", {})["yearly"] = q.value * 12
            if q.kind in ("money", "plain") and self.reader.this_year(text, q):  # "今年才三十万": not last year's
                entity.setdefault("additional_info", {})["this_year"] = True
            entities.append(entity)
        for q in self.reader.denied_quantities(text):  # "不是二十二个": the old value a correction names
            entity = self._entity(NUMBER, q.value, q.start, q.end, text, q)
            entity["role"] = DENIED
            entities.append(entity)
        choices = self.reader.choices(text)
        if choices:
            entities += [self._entity(CHOICE, n, 0, len(text), text) for n in choices]
        elif self.reader.all_chosen(text):
            entities.append(self._entity(CHOICE, ALL_CHOSEN, 0, len(text), text))
        message.set(ENTITIES, entities, add_to_output=True)

    @staticmethod
    def _entity(name: str, value: Any, start: int, end: int, text: str,
                quantity: Quantity | None = None) -> Dict[Text, Any]:
        """A hedged or ranged number carries how it was said in `additional_info` (Rasa's key for what an
        extractor adds, as Duckling does), so the reply can say which value it used."""
        entity = {"entity": name, "value": value, "start": start, "end": end, "confidence_entity": 1.0,
                  "extractor": "FactExtractor", "text": text[start:end]}
        if quantity is not None and quantity.approximate:
            entity["additional_info"] = {"approximate": True, "low": quantity.low, "high": quantity.high}
        return entity


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InputGuard(_Stateless):
    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.markers = IntentMarkers.from_file(CUES_PATH)

    def process_one(self, message: Message) -> None:
        text = message.get(TEXT)
        reason = problem(text)
        if reason is not None:
            self._set_intent(message, "bad_input")
            message.set(ENTITIES, [{"entity": "input_problem", "value": reason, "start": 0, "end": 0,
                                    "confidence_entity": 1.0, "extractor": "InputGuard"}], add_to_output=True)
        elif is_bare_answer(text or ""):
            self._set_intent(message, "inform")
        else:
            intent = self._intent(message)
            marked = self.markers.intent(text or "", intent)
            if marked:  # "要是…呢", "不对，…", a stray Latin letter
                self._set_intent(message, marked)
            elif intent in STATEMENT_INTENTS and self._states_facts(message) and self.markers.corrects(text or ""):
                self._set_intent(message, "correct")  # "员工人数我说多了，实际八十个": a correction without "不对"
            elif intent in STATEMENT_INTENTS and self._opens_with(message) is not None:
                self._set_intent(message, "affirm" if self._opens_with(message) else "deny")  # "是，客人全跑了"
            elif intent in ("affirm", "deny") and self._states_facts(message, trades=True):
                self._set_intent(message, "inform")  # "我们是饭店": a statement, not a yes to nothing asked
            elif intent == "out_of_scope" and self._states_facts(message):
                self._set_intent(message, "inform")  # "基本正常": a fact in the owner's words is never out of scope
            elif intent == "nlu_fallback" and self._lean(message) in INTERVIEW_INTENTS and self._facts_stated(message) >= 2:
                self._set_intent(message, self._lean(message))  # "我们是连锁超市，员工九十人，…要续贷": torn between
                # telling and asking, a message that states the enterprise's facts starts the interview either way

    @staticmethod
    def _lean(message: Message) -> str | None:
        """The classifier's first choice under the fallback (its ranking), when the fallback tore it from it."""
        ranked = [r.get("name") for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != "nlu_fallback"]
        return ranked[0] if ranked else None

    @staticmethod
    def _facts_stated(message: Message) -> int:
        return len({e.get("entity") for e in message.get(ENTITIES) or [] if e.get("extractor") == "FactExtractor"
                    and e.get("entity") not in (*MARKS, NUMBER)})

    @staticmethod
    def _intent(message: Message) -> str | None:
        return (message.get(INTENT) or {}).get("name")

    @staticmethod
    def _states_facts(message: Message, trades: bool = False) -> bool:
        return any(e.get("extractor") == "FactExtractor" and e.get("entity") not in MARKS
                   or trades and e.get("entity") == "industry" for e in message.get(ENTITIES) or [])

    @staticmethod
    def _opens_with(message: Message) -> bool | None:
        return next((e["value"] for e in message.get(ENTITIES) or [] if e.get("entity") == YES_NO), None)

    @staticmethod
    def _set_intent(message: Message, name: str) -> None:
        message.set(INTENT, {"name": name, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": 1.0}], add_to_output=True)
