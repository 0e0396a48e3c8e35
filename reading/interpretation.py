"""The one step that says what a message is, given the turn it answers: `interpret(message, turn, store)`.

The NLU has found the intent, the facts stated outright (entities named after facts: a fact word or a unit that
fits), bare numbers with their unit, and checklist numbers. Here they meet the turn (what is pending, what the
checklist offers, what is known), and the reading says what the message is and which facts it sets or replaces:

- a bare "12", "对", "1、3", "不清楚" answers only the question pending; a bare number with nothing pending, or
  with a unit that does not fit, changes nothing;
- a fact stated outright is taken whatever was asked, also inside a question ("20个人的软件公司，算小微吗"),
  but not inside a hypothesis ("要是裁了3个人呢"), which the what-if action reads on its own;
- a known fact changes only by being named or corrected, and the reading lists it as replaced so it is echoed;
- a hedged figure is used as said and reported; a range that straddles a line that matters (the class row, a
  measure's condition) is not taken but asked again with its two ends;
- a yes/no question is answered by the yes or no the message opens with, whatever reason follows ("是，客人全跑了");
- a guess (a fact read from a description, a trade, or implied by another) that would change the class or turn a
  measure to "不适用" is not recorded but held back for the owner to confirm; so is a trade that fits two rows.
  An answer to the question asked, a checklist answer or a reply to the confirmation is no guess; a yes or no whose
  reason says the opposite ("没有，就是停了俩月") is.

Pure: no Rasa imports; its tests are tables (tests/reading/test_interpretation.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from policy_db import FactError, evaluate, qa_reading, validate
from policy_db.qa_reading import Asked
from policy_db.store import Store

from .costly import DESCRIBED, GUESSES, SUGGESTED, costly
from .entities import ALL_CHOSEN, ASKS, CHOICE, DOUBTED, HEDGED, NAMED, NUMBER, YES_NO, found
from .figures import UNIT_FITS, add_corrected_figure, bare_numbers, take_whole_for_part
from .trades import another_trade, industry_among, presents_itself, trade_candidates

CHECKLIST = "checklist"  # the numbered checklist's question (its slot has the same name: actions.slots)
CONSENT = "contact_consent"  # the interview's last question: may the assistant tell of new measures that fit (政策找企业)
HYPOTHETICAL = {"what_if"}
QUESTIONS = {"ask_policy", "why_not"}  # a situation they name is their topic, not a statement
OWN_RULES = {"handoff", "show_profile", "out_of_scope", "nlu_fallback", "start_over", "goodbye", "thanks", "correct"}


@dataclass(frozen=True)
class Turn:
    pending: str | None = None          # the fact asked, "checklist", or None
    offered: tuple[str, ...] = ()       # the checklist's facts in their numbered order
    known: Mapping[str, Any] = field(default_factory=dict)
    together: tuple[str, ...] = ()      # facts asked in the same question as `pending` (a number with their unit)
    confirming: Mapping[str, Any] = field(default_factory=dict)  # a guess the owner was just asked to confirm


@dataclass
class Range:
    fact: str
    low: float
    high: float
    decides: list[str]  # what differs between its ends: the class, or measures by title


@dataclass
class Reading:
    kind: str  # answer | dont_know | question | other | summary | hypothetical | bad | unfit
    facts: dict[str, Any] = field(default_factory=dict)      # set or changed, validated together
    replaced: dict[str, Any] = field(default_factory=dict)   # known facts it changes: their values before
    unknown: list[str] = field(default_factory=list)         # facts the user does not know
    answered_checklist: bool = False
    approximate: dict[str, Any] = field(default_factory=dict)  # facts taken from a hedge or a range's middle
    straddles: Range | None = None              # a range too wide to decide; asked again
    error: FactError | None = None
    asks: bool = False                          # the message (also) asks something
    how: dict[str, str] = field(default_factory=dict)        # per fact: answer, confirmed, stated, cue, trade, implied
    to_confirm: dict[str, Any] = field(default_factory=dict)  # guesses held back: asked before they are recorded
    reason: str = ""                            # what follows an opening yes or no ("客人全跑了")
    asked: Asked | None = None                  # what it asks about the policy (policy_db.qa_reading), read once
    consent: bool | None = None                 # the answer to CONSENT: yes, no, or not an answer to it

    @property
    def understood(self) -> bool:
        return bool(self.facts or self.unknown or self.answered_checklist or self.straddles or self.to_confirm
                    or self.consent is not None)

    @property
    def as_said(self) -> dict[str, Any]:
        """The facts as the message says them, the guesses held back included (not a trade of two rows): what a
        one-shot answer computes from and says it assumed ("按您说的：…"), while the guesses wait to be confirmed."""
        return {**self.facts, **{k: v for k, v in self.to_confirm.items() if not isinstance(v, list)}}


def _intent(message: Mapping) -> str | None:
    return (message.get("intent") or {}).get("name")


def stated_facts(message: Mapping, store: Store) -> dict[str, Any]:
    """Facts the message states outright, whatever was asked."""
    return {e["entity"]: e["value"] for e in found(message) if e.get("entity") in store.facts}


def _how_said(message: Mapping, fact_or_role: str, value: Any) -> dict:
    for e in found(message):
        if e.get("value") == value and fact_or_role in (e.get("entity"), e.get("role")):
            return e.get("additional_info") or {}
    return {}


def _opening(message: Mapping) -> tuple[bool, str] | None:
    """The yes or no the message opens with, and the reason after it."""
    for e in found(message):
        if e.get("entity") == YES_NO:
            return bool(e["value"]), (e.get("additional_info") or {}).get("reason", "")
    return None


def _read_as(message: Mapping, fact: str, value: Any, store: Store) -> str:
    """How a fact the message states was read: from the owner's description (a cue), a trade word (a trade that
    fits two rows is asked, see _ask_which_trade), or stated: a figure after its fact word, a choice named by its
    word ("个体户", "有限公司"), or who is asking said of oneself ("我们是农商行的")."""
    spec = store.facts[fact]
    if spec.type == "industry":
        return "trade"
    if spec.type == "choice" or spec.about_asker:
        return "stated"
    said = _how_said(message, fact, value)
    return SUGGESTED if said.get("suggested") else "cue" if said.get("phrase") else "stated"


def _answer_to(pending: str, message: Mapping, store: Store, used: list[dict], plain: bool = True) -> tuple[Any, dict]:
    """The value the message gives for the fact asked (None when it gives none), and how the number was said.
    A number without unit answers only the question itself (`plain`), not a fact asked along with it; `used`
    collects the numbers taken, so one number answers one fact."""
    spec = store.facts[pending]
    intent = _intent(message)
    text = message.get("text") or ""
    if spec.type == "bool":
        opening = _opening(message)
        if opening is not None:
            return opening[0], {}
        return (True if intent == "affirm" else False if intent == "deny" else None), {}
    if spec.type in UNIT_FITS:
        if spec.type == "count" and (_opening(message) or (None,))[0] is False:
            return 0, {}  # "没有，俩小工都留着嘞": the opening no answers, the number is the reason's
        numbers = [e for e in bare_numbers(message, spec.type, plain) if not any(e is u for u in used)]
        if numbers:
            used.append(numbers[0])
            said = numbers[0].get("additional_info") or {}
            if spec.period == "month" and "monthly" in said:  # "一年两万四" for the monthly rent: the NLU's twelfth
                return said["monthly"], {**said, "approximate": True}
            if spec.period == "year" and said.get("this_year"):  # "今年到现在才三十万": not last year's figure
                return None, {}
            if spec.period == "year" and "yearly" in said:  # "一个月十来万": twelve times it, a guess
                return said["yearly"], {**said, "approximate": True, "scaled": True}
            return numbers[0]["value"], said
        return (0 if intent == "deny" and spec.type == "count" else None), {}
    if spec.type == "industry":
        return store.classification_for(store.default_policy).industry_for(text), {}
    if spec.type == "choice":  # a choice named and not denied ("就是个小店，没注册公司" names none)
        return next((e["value"] for e in found(message) if e.get("entity") == NAMED and e.get("role") == pending),
                    None), {}
    return None, {}


def _asks_back(message: Mapping) -> bool:
    """Whether the message asks a question back instead of answering ("院子是供销社的，这算不算国企啊？"): the NLU
    marks it as asking and it opens with no yes or no."""
    return any(e.get("entity") == ASKS for e in found(message)) and _opening(message) is None


def _consent(message: Mapping) -> bool | None:
    """Yes or no to being told of new measures: the opening word ("可以", "不用了，谢谢"), else the intent; a message
    that is neither (a question) is no answer, and the question stays."""
    opening = _opening(message)
    if opening is not None:
        return opening[0]
    return {"affirm": True, "deny": False}.get(_intent(message))


def _checklist_answer(message: Mapping, offered: tuple[str, ...], stated: dict[str, Any]) -> dict[str, bool] | None:
    """Facts picked from the numbered checklist ("1、3", "都没有"); the ones not picked become false. A "no" about
    a fact the checklist does not offer ("没有裁员") is not an answer to it."""
    numbers = [e["value"] for e in found(message) if e.get("entity") == CHOICE]
    if ALL_CHOSEN in numbers:  # "都有"
        return {fact: True for fact in offered}
    if numbers:
        if any(not 1 <= n <= len(offered) for n in numbers):
            raise FactError(CHECKLIST, f"清单只有第1到第{len(offered)}项，请回复其中的序号，都不符合请回复“都没有”")
        return {fact: (i + 1) in numbers for i, fact in enumerate(offered)}
    if _intent(message) == "deny" and not set(stated) - set(offered):
        return {fact: False for fact in offered}
    return None


def _decided_by(store: Store, known: Mapping[str, Any], fact: str, low: float, high: float) -> list[str]:
    """What the two ends of a range decide differently: the enterprise's class, or measures (by title)."""
    try:
        a = evaluate({**known, fact: low}, store=store)
        b = evaluate({**known, fact: high}, store=store)
    except FactError:
        return []
    differ = ["企业划型"] if a.sme_class != b.sme_class else []
    return differ + [x.measure.title for x, y in zip(a.results, b.results)
                     if x.status != y.status or _bends(x.amount_yuan, y.amount_yuan, low, high)]


def _bends(amount_low: float | None, amount_high: float | None, low: float, high: float) -> bool:
    """Whether an amount stops following the figure inside the range (a cap such as 5.4's 50万 binds in it)."""
    if not amount_low or not amount_high or amount_low == amount_high or low <= 0:
        return False
    return abs(amount_high / amount_low - high / low) > 1e-6


def interpret(message: Mapping, turn: Turn, store: Store) -> Reading:
    """What the message is, and which facts it sets or replaces, given the turn it answers."""
    intent = _intent(message)
    text = message.get("text") or ""
    if intent == "bad_input":
        return Reading("bad")
    question = qa_reading.asked(text, store)
    if intent in HYPOTHETICAL:
        return Reading("hypothetical", asks=True, asked=question)
    kind = "question" if intent in QUESTIONS else "other" if intent in OWN_RULES else "answer"
    reading = Reading(kind, asks=question.question, asked=question)
    new = _stated(message, turn, store, kind)
    how: dict[str, dict] = {fact: _how_said(message, fact, value) for fact, value in new.items()}
    read_as = {fact: _read_as(message, fact, value, store) for fact, value in new.items()}
    try:
        _add_confirmed(reading, message, turn, store, new, read_as)
        take_whole_for_part(store, turn.pending, turn.known, new)
        _add_answers(reading, message, turn, store, new, how, read_as)
        if not turn.pending:
            add_corrected_figure(message, turn.known, store, new, how)
        _set_aside_wide_ranges(reading, turn, store, new, how)
        _add_implied(turn, store, new, read_as)
        changed = {k: v for k, v in new.items() if turn.known.get(k) != v}
        cleaned = validate({**turn.known, **changed}, store.facts, store.classification_for(store.default_policy))
        reading.facts = {k: cleaned[k] for k in changed if k in cleaned and turn.known.get(k) != cleaned[k]}
    except FactError as err:
        return Reading("unfit", error=err, asks=reading.asks, asked=reading.asked)
    reading.how = {k: read_as.get(k, "stated") for k in reading.facts}
    doubted = {e.get("value") for e in found(message) if e.get("entity") == DOUBTED}
    reading.how.update({k: DESCRIBED for k, how in reading.how.items()  # "走了两个": left, maybe not laid off
                        if k in doubted and how in ("answer", "cue")})  # not "辞退的是三个": said outright
    if any(e.get("entity") == HEDGED for e in found(message)):  # "裁了俩，也不算裁吧": said, then taken back
        reading.how = {k: HEDGED if how in ("answer", "stated", "cue", DESCRIBED) else how
                       for k, how in reading.how.items()}
    _hold_back_guesses(reading, turn, store, corrects=intent == "correct")
    _ask_which_trade(reading, message, turn, store)
    reading.replaced = {k: turn.known[k] for k in reading.facts if k in turn.known}
    reading.approximate = {k: v for k, v in reading.facts.items() if how.get(k, {}).get("approximate")}
    reading.reason = (_opening(message) or (None, ""))[1]
    if intent == "dont_know" and not reading.facts:
        reading.kind = "dont_know"
    elif intent == "ask_eligibility" and turn.known and not reading.understood \
            and not question.measures:  # "汇总一下", "我现在能享受哪些"
        reading.kind = "summary"
    elif not reading.understood and turn.pending and reading.kind == "answer":
        reading.kind = "unfit"
    return reading


def _add_confirmed(reading: Reading, message: Mapping, turn: Turn, store: Store, new: dict, read_as: dict) -> None:
    """The reply to a confirmation: a yes records the guess, a no drops it (a fact the reply states is taken as
    the owner's own answer); for a trade that fits two rows, the row the reply names."""
    opening = _opening(message)
    yes = opening[0] if opening is not None else {"affirm": True, "deny": False}.get(_intent(message))
    for fact, value in turn.confirming.items():
        if isinstance(value, list):  # two rows offered: the one the reply names
            named = industry_among(message.get("text") or "", value, store)
            if named:
                new[fact], read_as[fact] = named, "confirmed"
            continue
        if store.facts[fact].type == "industry":  # one row: yes records it; a reply naming another trade, that one
            other = trade_candidates(message.get("text") or "", store)
            if len(other) == 1 and other[0] != value:
                new[fact] = other[0]
            elif yes is True or other == (value,):
                new[fact] = value
        elif yes is True and fact not in new:
            new[fact] = value
        if fact in new:
            read_as[fact] = "confirmed" if new[fact] == value else "answer"


def _hold_back_guesses(reading: Reading, turn: Turn, store: Store, corrects: bool) -> None:
    """A fact guessed from a description, a trade or another fact is held back to be confirmed when it would change
    the class or make a measure inapplicable (reading.costly), or replace what the owner said before; an answer to
    what was asked is no guess, unless the owner took it back in the same breath ("也不算裁吧"), only hinted at it
    ("房子是街道办的") or answered in words that leave it open (DESCRIBED: a yes or no whose reason says the opposite,
    "没有，就是停了俩月"; a figure doubted, "走了两个"; a month's figure for last year's, "一个月十来万"); nor is the one
    known fact a correction changes, even in words that only hint (deliberate, and echoed before → after:
    "我说错了，我们店其实就在创业园里面")."""
    answered = {turn.pending, *turn.together, *turn.confirming}
    replaced = {k for k in reading.facts if k in turn.known}
    corrected = replaced if corrects and len(replaced) == 1 else set()
    answered |= corrected
    guesses = [k for k, how in reading.how.items() if how in GUESSES
               and (k not in answered or how in (HEDGED, DESCRIBED) or how == SUGGESTED and k not in corrected)]
    rest = {k: v for k, v in reading.facts.items() if k not in guesses}
    for fact in guesses:
        hinted = reading.how[fact] == SUGGESTED  # words that only hint at it: asked whatever it changes
        if fact in replaced or hinted or costly(store, {**turn.known, **rest}, fact, reading.facts[fact]):
            reading.to_confirm[fact] = reading.facts.pop(fact)
            reading.how.pop(fact)


def _ask_which_trade(reading: Reading, message: Mapping, turn: Turn, store: Store) -> None:
    """A trade that fits two rows ("做服装的": 工业 or 零售业) is asked, never guessed; so is a second trade the
    enterprise presents beside the known one (reading.trades.another_trade)."""
    industry = store.industry_fact
    if industry in turn.known and industry not in reading.facts and turn.pending is None and not turn.confirming \
            and reading.kind == "answer":
        rows = another_trade(message, store, turn.known[industry])
        if rows:
            reading.to_confirm[industry] = list(rows)
        return
    if industry in reading.facts or industry in turn.known and turn.pending != industry \
            or turn.pending not in (None, industry) or turn.confirming:
        return
    candidates = trade_candidates(message.get("text") or "", store)
    if len(candidates) > 1 and (turn.pending == industry or presents_itself(message, store, reading.facts)):
        reading.to_confirm[industry] = list(candidates)


def _stated(message: Mapping, turn: Turn, store: Store, kind: str) -> dict[str, Any]:
    """Facts stated outright, as far as they are statements: a known industry changes only when asked or corrected
    ("客户的厂都没开工" mentions another trade); a trade the entity ruler missed is found in the whole text; a
    situation named in a content question is its topic ("有银行贷款的能延期吗")."""
    new = stated_facts(message, store)
    industry = store.industry_fact
    candidates = trade_candidates(message.get("text") or "", store)
    if candidates:  # the head of the trade phrase decides over the entity ruler's word; two rows are asked
        new.pop(industry, None)
        if len(candidates) == 1:
            new[industry] = candidates[0]
    answering_other = turn.pending not in (None, industry) or bool(turn.confirming)
    corrects_trade = _intent(message) == "correct" and not any(e.get("entity") == NUMBER for e in found(message)) \
        and not any(k != industry and k in turn.known and turn.known[k] != v for k, v in new.items())
    if (industry in turn.known or answering_other) and turn.pending != industry and not corrects_trade:
        new.pop(industry, None)  # "是，冷库里的货出不去", "应该是六十三个，漏算了装卸队": the trade is in passing
    if industry not in new and industry not in turn.known and turn.pending is None and not turn.confirming:
        named = store.classification_for(store.default_policy).industry_for(message.get("text") or "")
        if named:
            new[industry] = named
    if industry in new and turn.pending is None and industry not in turn.known and not presents_itself(message,
                                                                                                        store, new):
        new.pop(industry)  # "仓库里的货清得七七八八了": with nothing asked, a trade named in passing is not the enterprise's
    counting = turn.pending in store.facts and store.facts[turn.pending].type == "count" \
        and turn.pending not in new  # may answer it, unless the message answers it in words ("没有裁员，那41人…")
    if "employees" in turn.known and not counting and _intent(message) != "correct" \
            and _how_said(message, "employees", new.get("employees")).get("by_unit"):
        new.pop("employees")  # "有两个自己辞职回老家了": a count of people with no fact word changes no known head-count
    if kind == "question":  # "没裁人的企业稳岗补贴有吗": a situation a question names is its topic, also as a count
        new = {k: v for k, v in new.items() if store.facts[k].about_asker
               or store.facts[k].type != "bool" and not _how_said(message, k, v).get("phrase")}
    return new


def _add_answers(reading: Reading, message: Mapping, turn: Turn, store: Store, new: dict, how: dict,
                 read_as: dict) -> None:
    """The answer to what is pending: checklist items picked, or the fact asked (and those asked with it)."""
    intent = _intent(message)
    if turn.confirming:
        return
    if turn.pending == CONSENT:
        reading.consent = _consent(message)
    elif turn.pending == CHECKLIST and turn.offered:
        picked = _checklist_answer(message, turn.offered, new)
        if picked is not None or any(f in new for f in turn.offered):
            reading.answered_checklist = True
            new.update({**(picked or {f: False for f in turn.offered if f not in new}), **new})
            read_as.update({f: "answer" for f in turn.offered})
        elif intent == "dont_know":  # "得问问会计": none of the situations is asked again
            reading.answered_checklist = True
            reading.unknown.extend(turn.offered)
    elif turn.pending in store.facts:
        used: list[dict] = []
        head_count = store.facts[turn.pending].type == "count" and turn.pending not in new \
            and _how_said(message, "employees", new.get("employees")).get("by_unit")
        if head_count and turn.pending != "employees":  # "两位" asked how many were laid off
            new[turn.pending] = new.pop("employees")
        for asked in (turn.pending, *turn.together):
            opens_answer = store.facts[asked].type == "bool" and _opening(message) is not None
            if asked in new and not opens_answer:  # the opening yes or no decides over a cue in the reason
                if not _how_said(message, asked, new[asked]).get("suggested"):  # "房子是街道办的" only hints
                    read_as[asked] = "answer"
                continue
            described = new.get(asked) if read_as.get(asked) == "cue" else None
            value, said = _answer_to(asked, message, store, used, plain=asked == turn.pending)
            asks_back = reading.kind == "question" or _asks_back(message)
            if value is not None and not (asks_back and store.facts[asked].type == "bool"):
                contradicted = described is not None and described != value  # "没有，就是停了俩月"
                guessed = contradicted or said.get("scaled")  # "一个月十来万" for last year's revenue
                new[asked], how[asked], read_as[asked] = value, said, DESCRIBED if guessed else "answer"
            elif intent == "dont_know" and asked == turn.pending:
                reading.unknown.append(asked)


def _set_aside_wide_ranges(reading: Reading, turn: Turn, store: Store, new: dict, how: dict) -> None:
    """A range whose two ends decide something differently is not taken; the reading names it to ask again."""
    for fact, said in how.items():
        if said.get("low") is None or said.get("high") is None or fact not in new:
            continue
        decides = _decided_by(store, {**turn.known, **new}, fact, said["low"], said["high"])
        if decides:
            reading.straddles = Range(fact, said["low"], said["high"], decides)
            del new[fact]


def _add_implied(turn: Turn, store: Store, new: dict, read_as: dict) -> None:
    """Facts a stated figure implies (facts.yaml `implies`): "贷款50万" says there is a loan."""
    for fact, value in list(new.items()):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            for implied, implied_value in store.facts[fact].implies.items():
                if implied not in new and turn.known.get(implied) is None:
                    new[implied], read_as[implied] = implied_value, "implied"
