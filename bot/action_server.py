"""rasa_sdk's action server, with the policy store and jieba's dictionary loaded before it listens, so the first
user does not wait for them (about half a second on the first message, measured in bench/turns.py's first turn).

Run as ``python -m bot.action_server --actions actions --port 5055`` (bot.ops.serve does).
"""

from __future__ import annotations

from rasa_sdk.__main__ import main as rasa_sdk_main

from actions.store_access import policy_store
from bot import log_masking


def main() -> None:
    log_masking.install()  # personal numbers never reach the log (contract E9)
    policy_store()
    rasa_sdk_main()


if __name__ == "__main__":
    main()
