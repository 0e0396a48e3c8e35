"""Faults on the cluster (make cluster's launcher): a Rasa server killed mid-interview, action servers down,
PostgreSQL and Redis restarted under traffic. The owner's conversation goes on with every fact, is told politely
when nothing can answer, and no conversation loses or repeats an event."""

from __future__ import annotations

import http.client
import json
import threading
import time
from contextlib import closing

import psycopg2
import yaml

from testing.rest import post, texts
from bot.ops.cluster import DB_USER, DATABASE, DEPLOY

MESSAGES = yaml.safe_load((DEPLOY / "messages.yml").read_text(encoding="utf-8"))
OPENING = "我们是开超市的，十五个人，去年营收四百万"
RECALL = "你都记了我们哪些情况"


def _upstreams(cluster, sender: str) -> list:
    """The Rasa servers nginx sent each of the sender's REST messages to, in order."""
    lines = (cluster.home / "nginx" / "logs" / "access.log").read_text(encoding="utf-8").splitlines()
    return [line.split("upstream=")[1].split(" sender=")[0] for line in lines
            if "/webhooks/rest/webhook" in line and line.split(" sender=")[1].split(" ")[0] == sender]


def _rasa_serving(cluster, sender: str, turns: int) -> str:
    """The Rasa server that answered the sender's last message, once nginx has logged all `turns` of them."""
    for _ in range(100):
        routes = _upstreams(cluster, sender)
        if len(routes) >= turns:
            break
        threading.Event().wait(0.1)
    port = routes[-1].rsplit(":", 1)[1]
    return next(name for name, server in cluster.group.servers.items() if str(server.port) == port)


def _restart(cluster, names: list) -> None:
    for name in names:
        if cluster.group.processes[name].poll() is None:
            cluster.group.stop([name])
        cluster.group.spawn(name)
    cluster.group.wait_ready(names, 240)


def _user_texts(cluster, sender: str) -> list:
    with closing(psycopg2.connect(host="127.0.0.1", port=cluster.ports.postgres, user=DB_USER,
                                  dbname=DATABASE)) as db, db.cursor() as cursor:
        cursor.execute("SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id", (sender,))
        return [json.loads(data)["text"] for (data,) in cursor.fetchall()]


def _recalls_the_opening(replies: list) -> bool:
    text = texts(replies)
    return "零售业" in text and "从业人员人数：15人" in text


def test_each_conversation_stays_on_one_rasa_server_and_both_servers_serve(cluster):
    senders = [f"route-{i}" for i in range(8)]
    for sender in senders:
        for text in ("你好", "谢谢"):
            post(cluster.url, sender, text)
    _rasa_serving(cluster, senders[-1], 2)
    routes = {sender: set(_upstreams(cluster, sender)) for sender in senders}
    assert all(len(upstreams) == 1 for upstreams in routes.values()), routes
    assert len(set().union(*routes.values())) == 2, routes


def test_one_conversation_on_both_rasa_servers_at_once_loses_and_repeats_no_event(cluster):
    """What nginx avoids but cannot always (RasaHQ/rasa#9213): the Redis lock store serialises the two servers."""
    sender = "both-servers"
    post(cluster.url, sender, OPENING)
    sent = {port: [f"{word}（{port}-{i}）" for i, word in enumerate(["你好", "谢谢", "你好", "谢谢"])]
            for port in cluster.ports.rasa}
    answered = []

    def talk(port):
        for text in sent[port]:
            if post(f"http://127.0.0.1:{port}", sender, text):
                answered.append(text)

    threads = [threading.Thread(target=talk, args=(port,)) for port in cluster.ports.rasa]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = _user_texts(cluster, sender)
    assert sorted(stored) == sorted([OPENING, *answered]) and len(answered) == 8, stored
    assert _recalls_the_opening(post(cluster.url, sender, RECALL))


def test_a_conversation_the_other_rasa_server_served_meanwhile_is_read_again_not_answered_from_memory(cluster):
    """Each Rasa server keeps the conversations it serves in memory (bot/tracker_cache.py); when the other server
    has served one since (nginx failing over, a server restarted), it reads it again from PostgreSQL."""
    sender = "kept-elsewhere"
    one, two = (f"http://127.0.0.1:{port}" for port in cluster.ports.rasa)
    post(one, sender, "我们是开超市的")
    post(one, sender, "你好")  # a conversation is kept from its second turn on (its first is read back once)
    post(two, sender, "十五个人")
    assert "从业人员人数：15人" in texts(post(one, sender, RECALL))
    assert _user_texts(cluster, sender) == ["我们是开超市的", "你好", "十五个人", RECALL]


def test_a_rasa_server_killed_mid_interview_the_next_message_goes_on_with_every_fact_and_with_none_left_a_polite_reply(
        cluster):
    sender = "kill-rasa"
    post(cluster.url, sender, OPENING)
    victim = _rasa_serving(cluster, sender, 1)
    cluster.group.kill(victim)
    other = next(name for name in ("rasa-1", "rasa-2") if name != victim)
    try:
        replies = post(cluster.url, sender, RECALL)
        assert _recalls_the_opening(replies), replies
        assert _rasa_serving(cluster, sender, 2) != victim
        cluster.group.kill(other)
        assert texts(post(cluster.url, sender, "我们受疫情影响很大")) == MESSAGES["assistant_unavailable"]
    finally:
        _restart(cluster, [victim, other])
    assert _user_texts(cluster, sender) == [OPENING, RECALL]
    assert _recalls_the_opening(post(cluster.url, sender, RECALL))


def test_an_action_server_down_goes_unnoticed_and_both_down_get_a_polite_message_then_recover(cluster):
    sender = "actions-down"
    post(cluster.url, sender, OPENING)
    cluster.group.kill("actions-1")
    try:
        assert _recalls_the_opening(post(cluster.url, sender, RECALL))
        cluster.group.kill("actions-2")
        replies = post(cluster.url, sender, "我们受疫情影响很大")
        assert texts(replies) == MESSAGES["actions_unavailable"], replies
    finally:
        _restart(cluster, ["actions-1", "actions-2"])
    assert _recalls_the_opening(post(cluster.url, sender, RECALL))


def _traffic(cluster, senders: list, script: list, stop: threading.Event, answered: dict, unanswered: list) -> list:
    """Owners sending the script over and over until `stop`, as the chat page does: each message with an id of its
    own, sent again with that id until it is answered (an empty reply or a failed request is what an owner sees as
    no answer; each is noted in `unanswered`, with its time). `stop` ends an owner after the message in hand."""

    def owner(sender):
        for turn in range(200):
            if stop.is_set():
                return
            text, message_id = script[turn % len(script)], f"m-{sender}-{turn}"
            for _ in range(60):
                started = time.monotonic()
                try:
                    if post(cluster.url, sender, text, timeout=60, message_id=message_id):
                        answered[sender].append(text)
                        break
                    outcome = "an empty reply"
                except (OSError, http.client.HTTPException, ValueError) as problem:
                    outcome = repr(problem)
                unanswered.append(f"{time.strftime('%H:%M:%S')} {sender} «{text}»: {outcome} "
                                  f"after {time.monotonic() - started:.1f} s")
                time.sleep(0.5)

    threads = [threading.Thread(target=owner, args=(sender,)) for sender in senders]
    for thread in threads:
        thread.start()
    return threads


def _server_errors(cluster) -> str:
    """The error lines of the Rasa and action servers' logs: a failure's story in the test report."""
    lines = []
    for log in sorted(cluster.logs.glob("*.log")):
        if log.stem.startswith(("rasa-", "actions-")):
            lines += [f"{log.stem}: {line}" for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
                      if "ERROR" in line or "Error" in line or "Exception" in line]
    return "\n".join(lines[-40:])


def _wait_until(condition, limit: float = 300) -> None:
    for _ in range(int(limit * 2)):
        if condition():
            return
        threading.Event().wait(0.5)
    raise AssertionError("the owners' messages stopped being answered")


def _restart_under_traffic(cluster, server: str, prefix: str) -> None:
    senders = [f"{prefix}-{i}" for i in range(6)]
    answered = {sender: [] for sender in senders}
    unanswered = []
    script = [OPENING, RECALL, "你好", "谢谢"]
    stop = threading.Event()
    threads = _traffic(cluster, senders, script, stop, answered, unanswered)
    try:
        _wait_until(lambda: min(len(sent) for sent in answered.values()) >= 2)
        restarted = time.strftime("%H:%M:%S")
        _restart(cluster, [server])
        before = {sender: len(sent) for sender, sent in answered.items()}
        _wait_until(lambda: all(len(answered[sender]) >= before[sender] + 2 for sender in senders))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    story = (f"{server} restarted at {restarted}; unanswered: {unanswered}\n"
             f"answered per owner: { {sender: len(sent) for sender, sent in answered.items()} }\n"
             f"{_server_errors(cluster)}")
    for sender in senders:
        assert _user_texts(cluster, sender) == answered[sender], f"{sender}\n{story}"


def test_postgresql_restarted_under_traffic_loses_and_repeats_no_event(cluster):
    _restart_under_traffic(cluster, "postgres", "pg-restart")


def test_redis_restarted_under_traffic_loses_and_repeats_no_event(cluster):
    _restart_under_traffic(cluster, "redis", "redis-restart")
