"""The actions read the store put in through actions.store_access.use (the tests' seam), whichever module they
live in."""

import dataclasses

from actions import store_access
from actions.conversation import ActionGreet
from tests.actions.trackers import run, texts, tracker


def test_an_action_greets_with_the_documents_of_the_store_put_in(policy_store):
    home = policy_store.default_policy
    assert len(policy_store.place_policies()) > 1
    store_access.use(dataclasses.replace(policy_store, policies={home.id: home}))
    messages, _ = run(ActionGreet(), tracker())
    assert f"《{home.short_title}》里哪些措施适用于您的企业" in texts(messages)
    assert "相关政策" not in texts(messages)


def test_the_session_store_is_what_every_action_reads(policy_store):
    assert store_access.policy_store() is policy_store
