"""The cue words of the Q&A (qa_topics.yaml, and the documents' own) and how a question is found to use one: as
words of the question on jieba's segmentation, never as characters. "帮我省多少钱" has 帮我 and 省, not Shandong's
我省; "原材料涨价有补贴吗" has 原材料, not the 材料 of an application; "14号文件" has 14 and 号, not 4号文. A cue phrase
may span several words ("能免多少": 能/免多少, "怎么申请": 怎么/申请) but starts and ends where words do.

jieba learns every cue once: the phrases of qa_topics.yaml and the measures' titles and keywords at SEGMENTATION_FREQ,
as bot/ops/assets.py teaches the NLU (so "能免多少" is read 能/免多少, not jieba's rare 能免/多少), the documents' cue words
as words, and the words of `segmentation` (帮我, 给我…), which keep a cue from being read across them. A phrase taught so is still a run of words: the words
it is made of ("社保减免": 社保/减免) are words of the question too, so a shorter cue is found inside it. Ordinary
words (原材料, 手续费) and the `segmentation` words are never opened. The segmentation is jieba's dictionary alone (no
HMM): the HMM glues unknown runs of characters ("能减多少" → 能减) into words no dictionary has.

All of that is taught to the Q&A's own jieba (:func:`segmenter`), never to the process's: the NLU segments with the
process's jieba, and a word the Q&A learned from one owner's question ("几个月") changed how the next owner's message
was cut and so the intent it was given ("税款能晚交几个月": ask_policy 0.998 before any question, greet 0.39 after)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

import jieba
import yaml

TOPICS_FILE = Path(__file__).with_name("qa_topics.yaml")
SEGMENTATION_FREQ = 2000  # as bot/ops/assets.py gives the NLU's cue words: kept whole where the text allows


@lru_cache(maxsize=1)
def segmenter() -> jieba.Tokenizer:
    """The Q&A's jieba: a copy of the process's dictionary as it stands when the Q&A first reads (jieba's words and
    the policy words the store taught it), which then learns the cue words apart from it."""
    jieba.dt.check_initialized()
    own = jieba.Tokenizer()
    own.FREQ, own.total, own.initialized = dict(jieba.dt.FREQ), jieba.dt.total, True
    return own


@lru_cache(maxsize=1)
def cue_file() -> dict:
    """qa_topics.yaml as read: topics, question markers, documents not held, other places."""
    return yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))


def cue_phrases() -> set[str]:
    """Every phrase of qa_topics.yaml a question is matched against as words: the topics, what is asked to be
    computed, the shares asked, the terms, the words of a policy question and of the passages."""
    cues = cue_file()
    lists = [*cues["topics"].values(), *cues["computed"].values(), cues["shares_asked"], cues["terms"],
             cues["policy_words"], *(p["about"] for p in cues["passages"].values())]
    return {str(w) for words in lists for w in words}


_TAUGHT: set[str] = set()  # what jieba was taught here; the phrases among them are opened into their words (_parts)
_NOT_TAUGHT: set[str] = set()  # what is never taught (one character, a number): looked at once, not on every message


def learn(words: Iterable[str] = (), phrases: Iterable[str] = ()) -> None:
    """jieba learns cue words: ``words`` (a store's documents' cues and places) as words, ``phrases`` (measures'
    titles and keywords) at SEGMENTATION_FREQ, as the NLU's dictionary has them; those of qa_topics.yaml always.
    Each once: segmentations found before a new word are forgotten. Every message asks again for the same words, so
    only what was never seen is looked at."""
    _learn_file()
    new_words, new_phrases = set(words) - _TAUGHT - _NOT_TAUGHT, set(phrases) - _TAUGHT - _NOT_TAUGHT
    if not new_words and not new_phrases:
        return
    never = {w for w in new_words | new_phrases if not _learnable(w)}
    _NOT_TAUGHT.update(never)
    _teach(new_words - never, new_phrases - never)


@lru_cache(maxsize=1)
def _learn_file() -> None:
    """The words of qa_topics.yaml: places, departments and documents not held as words, the cue phrases and the
    `segmentation` words at SEGMENTATION_FREQ (these last are never opened: they keep a cue from being read across)."""
    cues = cue_file()
    listed = {*cues["other_places"], *cues["departments"], *(w for doc in cues["not_held"] for w in doc["words"])}
    _teach({w for w in listed if _learnable(w)}, {w for w in cue_phrases() if _learnable(w)})
    own = segmenter()
    for word in cues["segmentation"]:
        own.add_word(word, freq=max(SEGMENTATION_FREQ, own.FREQ.get(word) or 0))
    _TAUGHT.difference_update(cues["segmentation"])
    _bounds.cache_clear()


def _teach(words: set[str], phrases: set[str]) -> None:
    if not words and not phrases:
        return
    own = segmenter()
    for word in sorted(words):
        own.add_word(word)
    for word in sorted(phrases):
        own.add_word(word, freq=max(SEGMENTATION_FREQ, own.FREQ.get(word) or 0))
    _TAUGHT.update(words | phrases)
    _parts.cache_clear()
    _bounds.cache_clear()


def lessons() -> int:
    """How many words jieba has been taught here: a reading kept from fewer lessons may segment differently."""
    return len(_TAUGHT)


def _learnable(word: str) -> bool:
    return len(word) > 1 and not _numbered(word)


def _numbered(word: str) -> bool:
    return any(c.isdigit() for c in word)


@lru_cache(maxsize=512)
def _bounds(text: str) -> frozenset[int]:
    """Where the words of ``text`` start and end: jieba's words, a number's own ends ("14号" is 14 and 号, whatever
    jieba glues), and before the suffix of a place word."""
    suffixes = tuple(cue_file()["place_suffixes"])
    bounds = {i for i in range(1, len(text)) if text[i - 1].isdigit() != text[i].isdigit()}
    for word, start, end in segmenter().tokenize(text, HMM=False):
        bounds |= {start, end}
        if _is_phrase(word):
            bounds |= {start + i for i in _parts(word)}
        for suffix in suffixes:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                bounds.add(end - len(suffix))
    return frozenset(bounds)


def _is_phrase(word: str) -> bool:
    """A taught phrase is opened into its words; one of two characters is a word ("社保", "减免")."""
    return len(word) > 2 and word in _TAUGHT


@lru_cache(maxsize=1024)
def _parts(phrase: str) -> frozenset[int]:
    """Where the words of a taught phrase meet: jieba's best cut of it into the other taught words and single
    characters ("社保能免": 社保/能/免, not jieba's rare 能免), and inside those that are phrases too ("能免多少": 能/免多少,
    and 免多少: 免/多少)."""
    n = len(phrase)
    dag = {i: [i] + [j - 1 for j in range(i + 2, n + 1) if (i, j) != (0, n) and phrase[i:j] in _TAUGHT]
           for i in range(n)}
    route: dict[int, tuple[float, int]] = {}
    segmenter().calc(phrase, dag, route)
    inner, start = set(), 0
    while start < n:
        end = route[start][1] + 1
        if _is_phrase(phrase[start:end]):
            inner |= {start + i for i in _parts(phrase[start:end])}
        inner.add(end)
        start = end
    return frozenset(inner - {n})


def has_word(text: str, cue: str) -> bool:
    """Whether ``cue`` is a word, or a run of whole words, of ``text``; a cue with a number ("4号文", "11号") starts
    where a number does and may end inside a word ("人社部发11号文": 号文)."""
    cue = str(cue)
    start = text.find(cue)
    if start < 0:
        return False
    _learn_file()
    bounds = _bounds(text)
    while start >= 0:
        if start in bounds and (start + len(cue) in bounds or _numbered(cue)):
            return True
        start = text.find(cue, start + 1)
    return False


def any_word(text: str, cues: Iterable[str]) -> bool:
    return any(has_word(text, cue) for cue in cues)


def learn_store(store) -> None:
    """jieba learns the cue words of the store's documents (their cues and the names of their areas) and the words of
    their measures."""
    policies = store.policies.values()
    learn({w for p in policies for w in (*p.cues, p.area.within)}, measure_words(m for p in policies for m in p.measures))


def measure_words(measures) -> set[str]:
    """The words a question names a measure by: its title and keywords."""
    return {w for m in measures for w in (m.title, *m.keywords)}
