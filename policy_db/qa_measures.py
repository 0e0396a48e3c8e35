"""Which measures a question names, read from its words (policy_db.qa_words: "合同额" names no 合同): the measures of
a document whose titles and keywords it uses, best first; across the documents in force for the place, those of the
best-scoring document, or of the documents it points at by their cue words; and, where it names none, the closest
measure of the clause that best matches its words (one full-text search per message, made when first needed).
Only the reading of a message (policy_db.qa_reading) calls these; the answers take what it found."""

from __future__ import annotations

from functools import cached_property, lru_cache

from .model import Measure, Policy
from .qa_words import has_word, learn, lessons, measure_words
from .store import SearchHit, Store, words

_SCORED: dict[tuple, tuple[float, tuple[Measure, ...]]] = {}
_SCORED_KEPT = 2048
_EVERY_CLAUSE = 1000  # one search returns every matching clause; each document's best is its first


def measures_in(question: str, policy: Policy | None, store: Store | None = None) -> list[Measure]:
    """Measures whose title or keywords the question uses as words, best first: the more, longer and more specific
    words of a measure the question uses, the better; only the best-scoring measures are returned. A word that
    other measures also speak of ("减免房租" is in three titles) counts for less than one only this measure has
    ("孵化器"). ``policy`` None: each document in force for the place is scored on its own and the best-scoring
    document's measures win (the place's own on a tie)."""
    if policy is None:
        best, found = 0.0, []
        for p in store.place_policies():
            score, measures = _best(question, store.measures_here(p))
            if score > best:
                best, found = score, measures
        return found
    return _best(question, policy.measures)[1]


def _best(question: str, measures: tuple[Measure, ...]) -> tuple[float, list[Measure]]:
    """The best score among ``measures`` and the measures that have it; scored once per question and set of
    measures (the measures named, those of each document, those pointed at all ask)."""
    learn(phrases=measure_words(measures))
    key = (question, tuple(m.id for m in measures), lessons())
    if key not in _SCORED:
        spread = _word_spread(measures)
        scores = {m.id: sum(len(w) / spread[w] for w in set((m.title, *m.keywords)) if has_word(question, w))
                  for m in measures}
        best = max(scores.values(), default=0)
        _SCORED[key] = best, tuple(m for m in measures if best and scores[m.id] == best)
        if len(_SCORED) > _SCORED_KEPT:
            _SCORED.pop(next(iter(_SCORED)))
    best, found = _SCORED[key]
    return best, list(found)


@lru_cache(maxsize=32)
def _word_spread(measures: tuple[Measure, ...]) -> dict[str, int]:
    """For every title and keyword: how many measures use it in their title, keywords or text (once per set).

    Cached by the measures themselves (they are frozen): a set made afresh for each question (a document's measures
    for the place) finds its entry, and the cache stays bounded."""
    texts = [" ".join((m.title, *m.keywords, m.excerpt)) for m in measures]
    words = {w for m in measures for w in (m.title, *m.keywords)}
    return {w: max(1, sum(1 for t in texts if w in t)) for w in words}


def measures_pointed(question: str, store: Store, cued: list[Policy]) -> list[Measure]:
    """The measures a question names, of the documents it points at by their cue words (``cued``) when it names
    some there ("国家的社保免征" is 人社部发〔2020〕11号's, though Shandong's statement uses the same words)."""
    measures = measures_in(question, None, store)
    if cued and measures and not {m.policy for m in measures} & {p.id for p in cued}:
        in_cued = [m for p in cued for m in measures_in(question, p) if m in store.measures_here(p)]
        measures = in_cued or measures
    return measures


class ClauseSearch:
    """The clause of each document that best matches a message's words: one full-text search over every document,
    made the first time an answer needs it, kept with the message's reading (BM25's weights are the whole index's,
    so a document's first hit is the one a search of that document alone ranks first)."""

    def __init__(self, text: str, store: Store):
        self._text, self._store = text, store

    @cached_property
    def _best(self) -> dict[str, SearchHit]:
        best: dict[str, SearchHit] = {}
        for hit in self._store.search(self._text, limit=_EVERY_CLAUSE):
            best.setdefault(hit.policy, hit)
        return best

    def closest_measure(self, policy: Policy) -> Measure | None:
        """The measure of the document's best-matching clause that shares most characters with the message."""
        hit = self._best.get(policy.id)
        if hit is None or not hit.measures:
            return None
        here = {m.id for m in self._store.measures_here(policy)}
        found = [policy.measure(mid) for mid in hit.measures if mid in here]
        if not found:
            return None
        asked = set(self._text)
        return max(found, key=lambda m: len(asked & set(m.title + "".join(m.keywords) + m.summary)))

    def shared_words(self, policy: Policy) -> int:
        """How many of the message's words the document's best-matching clause contains ("防疫物资检测要钱吗": 物资,
        检测)."""
        hit = self._best.get(policy.id)
        return sum(1 for w in words(self._text) if len(w) > 1 and w in hit.text) if hit else 0
