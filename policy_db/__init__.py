"""The policy store and eligibility engine: policy as data, answers as the contract's payloads. No Rasa here."""

from .assessment import Assessment, MeasureResult
from .engine import Question, evaluate, next_questions, search
from .facts import FactError, validate
from .store import Store, build, load

__all__ = ["Assessment", "FactError", "MeasureResult", "Question", "Store", "build", "evaluate", "load",
           "next_questions", "search", "validate"]
