"""Where the Rasa server's memory goes, and the two servers' resident memory against a stored baseline.

- Stages, in a child process that loads the model the way `python -m bot.rasa_server run` does: resident memory
  (anonymous / file-backed) after TensorFlow's and Rasa's imports, what each node of the model's graph adds as it
  loads (jieba's dictionary comes with the normalizer, spaCy with SpacyNLP, DIET's weights and graphs), and after
  parsing every held-out message of tests/nlu/conversations_fresh_a.yml. With --python-heap, tracemalloc also
  says how much of it is Python objects, by package (slow: about two minutes; the stages' figures then include
  tracemalloc's own bookkeeping, the servers' do not).
- Servers: the action server and the Rasa server started as bench/turns starts them (ports 5705/5755), measured from
  /proc once the model is loaded and again after a round of simulated interviews; the biggest mappings by file.

The held-out parses (intent and entities of each message) are compared with the baseline's: a memory change must
not change an answer. Target: Rasa + action server ≤ 1,200 MB after the interviews (issue 20).

Run: .venv/bin/python -m bench.memory [--model models/….tar.gz] [--python-heap]
     .venv/bin/python -m bench.memory --save-baseline   (on the previous commit's checkout: stores its figures)
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import json
import random
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import yaml

from bench.engine import commit, machine
from bench.servers import memory_parts, running_assistant
from bot.ops.model import ensure
from testing.rest import Conversation
from testing.simulated_user import SimulatedUser, converse, load_personas

ROOT = Path(__file__).parents[1]
BASELINE = Path(__file__).with_name("memory-baseline.json")
HELD_OUT = ROOT / "tests" / "nlu" / "conversations_fresh_a.yml"
TARGET_MB = 1200
PORTS = (5705, 5755)


def held_out_texts() -> list[str]:
    conversations = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))["conversations"]
    return [turn["say"] for conversation in conversations for turn in conversation["turns"]]


def parse_summary(parsed: dict) -> list:
    """What an answer depends on: the intent and each entity's name, value, span, role and extractor."""
    return [parsed["intent"]["name"],
            [[e.get("entity"), e.get("value"), e.get("start"), e.get("end"), e.get("role"), e.get("extractor")]
             for e in parsed["entities"]]]


def stages(model: Path, python_heap: bool) -> dict:
    """Runs in the child process: loads and parses as the Rasa server does, noting memory at each step."""
    if python_heap:
        tracemalloc.start()
    steps = [("Python", memory_parts("self"))]
    from bot import rasa_server  # what the server imports first: TensorFlow comes with Rasa's action classes

    steps.append(("TensorFlow and Rasa's core imported", memory_parts("self")))
    rasa_server.install()
    import rasa.core.run  # noqa: F401  (the rest of what `rasa run` imports)
    from rasa.core.agent import Agent
    from rasa.engine import graph

    steps.append(("Rasa's server imported", memory_parts("self")))
    heap_before = tracemalloc.take_snapshot() if python_heap else None
    nodes: list = []
    load_node = graph.GraphNode.__init__

    def noted(node, *args, **kwargs):
        before = memory_parts("self", top=0)["rss"]
        load_node(node, *args, **kwargs)
        nodes.append((node._node_name, memory_parts("self", top=0)["rss"] - before))

    graph.GraphNode.__init__ = noted
    agent = Agent.load(str(model))
    graph.GraphNode.__init__ = load_node
    steps.append(("model loaded", memory_parts("self")))
    parses = [parse_summary(asyncio.run(agent.parse_message(text))) for text in held_out_texts()]
    gc.collect()
    steps.append((f"{len(parses)} held-out messages parsed", memory_parts("self")))
    import jieba

    out = {"steps": steps, "nodes": [n for n in nodes if n[1] >= 1], "parses": parses,
           "jieba_dictionaries": sum(isinstance(o, jieba.Tokenizer) and o.initialized for o in gc.get_objects())}
    if python_heap:
        by_package: dict[str, int] = {}
        for stat in tracemalloc.take_snapshot().compare_to(heap_before, "filename"):
            name = stat.traceback[0].filename
            package = name.split("site-packages/")[1].split("/")[0] if "site-packages/" in name else \
                "Python's code objects (imports)" if name.startswith("<frozen") else Path(name).name
            by_package[package] = by_package.get(package, 0) + stat.size_diff
        out["python_heap_mb"] = round(tracemalloc.get_traced_memory()[0] / 2**20)
        out["python_heap_by_model_load"] = {k: round(v / 2**20, 1) for k, v in
                                            sorted(by_package.items(), key=lambda item: -item[1])[:8]}
    return out


def measure_stages(model: Path, python_heap: bool) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, "-m", "bench.memory", "--stages-of", str(model), "--out", out.name,
                        *(["--python-heap"] if python_heap else [])], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return json.loads(Path(out.name).read_text(encoding="utf-8"))


def measure_servers(model: Path, rounds: int = 1) -> dict:
    phrases, personas = load_personas()
    with running_assistant(*PORTS, model=model) as assistant:
        actions, rasa = assistant.processes
        loaded = {"rasa": memory_parts(rasa.pid), "actions": memory_parts(actions.pid)}
        turns = 0
        for r in range(rounds):
            for persona in personas:
                user = SimulatedUser(persona, phrases, random.Random(f"{persona['name']}{r}"))
                turns += len(converse(user, Conversation(assistant.url).say))
        after = {"rasa": memory_parts(rasa.pid), "actions": memory_parts(actions.pid)}
    return {"loaded": loaded, "after_turns": after, "interviews": rounds * len(personas), "turns": turns}


def _mb(parts: dict) -> str:
    return f"{parts['rss']:5d} MB (anonymous {parts['anon']}, files {parts['file']})"


def report(figures: dict, baseline: dict | None) -> None:
    print("Rasa server, loading the model in a child process as bot.rasa_server does:")
    for name, parts in figures["stages"]["steps"]:
        print(f"  {name:34s} {_mb(parts)}")
    print("  what each node of the model's graph adds as it loads (≥ 1 MB):")
    for name, mb in figures["stages"]["nodes"]:
        print(f"    {name:50s} +{mb} MB")
    print(f"  jieba dictionaries loaded: {figures['stages']['jieba_dictionaries']}")
    if "python_heap_mb" in figures["stages"]:
        print(f"  Python objects (tracemalloc): {figures['stages']['python_heap_mb']} MB in all; added by the model's "
              "load, by package: " + ", ".join(f"{k} {v} MB" for k, v in
                                               figures["stages"]["python_heap_by_model_load"].items()))
    print("  biggest mappings after parsing: " + ", ".join(
        f"{k} {v} MB" for k, v in figures["stages"]["steps"][-1][1]["mappings"].items()))
    servers = figures["servers"]
    print(f"Servers (ports {PORTS[0]}/{PORTS[1]}), {servers['interviews']} simulated interviews, {servers['turns']} turns:")
    for when in ("loaded", "after_turns"):
        s = servers[when]
        print(f"  {when.replace('_', ' '):12s} Rasa {_mb(s['rasa'])}; actions {s['actions']['rss']} MB; "
              f"together {s['rasa']['rss'] + s['actions']['rss']} MB")
    total = servers["after_turns"]["rasa"]["rss"] + servers["after_turns"]["actions"]["rss"]
    print(f"  target ≤ {TARGET_MB} MB together after the interviews: {'met' if total <= TARGET_MB else 'MISSED'}")
    if baseline:
        b = baseline["servers"]["after_turns"]
        b_total = b["rasa"]["rss"] + b["actions"]["rss"]
        same = [i for i, (x, y) in enumerate(zip(figures["stages"]["parses"], baseline["stages"]["parses"])) if x != y]
        print(f"baseline {baseline['code']} ({baseline['date']}, load {' '.join(map(str, baseline['machine']['load']))}):"
              f" together {b_total} MB after the interviews, now {total - b_total:+d} MB; Rasa loaded "
              f"{baseline['servers']['loaded']['rasa']['rss']} → {servers['loaded']['rasa']['rss']} MB")
        texts = held_out_texts()
        print(f"held-out parses (intent and entities of {len(texts)} messages) against the baseline's: " +
              ("identical" if not same and len(texts) == len(baseline["stages"]["parses"]) else
               f"{len(same)} DIFFER: " + "; ".join(texts[i] for i in same[:5])))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, help="the model to serve (default: the current one)")
    parser.add_argument("--python-heap", action="store_true", help="also trace Python's objects (slow)")
    parser.add_argument("--save-baseline", action="store_true",
                        help=f"store these figures as the baseline ({BASELINE.name}) instead of comparing")
    parser.add_argument("--label", help="what is measured, for the baseline (default: the commit)")
    parser.add_argument("--stages-of", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stages_of:
        args.out.write_text(json.dumps(stages(args.stages_of, args.python_heap), ensure_ascii=False),
                            encoding="utf-8")
        return
    model = args.model or ensure()
    before = machine()
    figures = {"stages": measure_stages(model, args.python_heap), "servers": measure_servers(model)}
    print(f"model {model.name}; code {commit()}; {before['nproc']} CPUs, {before['cpu']}; load average "
          f"{' '.join(map(str, before['load']))} before, {' '.join(map(str, machine()['load']))} after")
    if args.save_baseline:
        record = {"code": args.label or commit(), "date": dt.datetime.now().isoformat(timespec="minutes"),
                  "machine": before, **figures}
        BASELINE.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else None
    report(figures, None if args.save_baseline else baseline)


if __name__ == "__main__":
    main()
