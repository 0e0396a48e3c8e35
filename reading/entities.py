"""The names the NLU gives what it finds and the reading reads: one vocabulary for both sides (bot.nlu.components
writes these entities and roles, reading.interpretation acts on them). Entities named after a fact carry that fact."""

from typing import Mapping

NUMBER = "number"          # a figure with its unit (role: people, months, money, plain) not tied to a fact word;
                           # additional_info: approximate, low, high, and `monthly`, the twelfth of a yearly figure
DENIED = "denied"          # the role of a number said not to be the value ("不是二十二个")
CHOICE = "choice"          # a checklist item picked by its number ("1、3")
ALL_CHOSEN = "all"         # the `choice` of "都有": every situation offered
CORRECTION = "correction"  # words that say the message corrects something said before ("说多了")
YES_NO = "yes_no"          # the yes or no a message opens with ("是，客人全跑了"), the reason after it in additional_info
HEDGED = "hedged"          # words that take back what the message says ("裁了俩，也不算裁吧", "说不好")
DOUBTED = "doubted"        # a fact whose figure the message's words cast doubt on (value: the fact; "走了两个")
NAMED = "named"            # a choice of a choice fact named and not denied (value: the choice, role: the fact)
ASKS = "asks"              # how the message ends or begins when it asks ("…这算不算国企啊？", "请问…")
PRESENTS = "presents"      # words with which the message presents the enterprise itself ("我们是", "开了个", "做…的")


def found(message: Mapping) -> list[dict]:
    """The entities the NLU found in a parsed message."""
    return list(message.get("entities") or [])
