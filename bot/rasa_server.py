"""`rasa run`, with this project's changes to Rasa installed first (bot/rasa_patches.py, each with its reason):
a message sent again answered once (contract §E11), an action server that cannot be reached answered for politely,
cheaper action calls, and DIET loaded for prediction only.

Run as ``python -m bot.rasa_server run --model …`` (bot.ops.serve does).
"""

from __future__ import annotations

import sys

from bot import rasa_patches  # first: it keeps jax out before anything imports TensorFlow
from bot import log_masking


def install() -> None:
    """Applies the changes to the Rasa classes this process will use."""
    rasa_patches.install()


def main() -> None:
    log_masking.install()  # user text reaches Rasa's logs; personal numbers must not (contract E9)
    install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
