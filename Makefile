# 惠企政策助手. `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PY310 := $(shell PYENV_VERSION=3.10.13 pyenv which python3.10 2>/dev/null || command -v python3.10 2>/dev/null)
VENV := .venv
PY := $(VENV)/bin/python
DB := build/policy.db
POLICY_DATA := $(shell find policy_db -name '*.yaml' -o -name '*.txt' | grep -v build)

.PHONY: install lock bench-deps store assets model run test test-fast nlu-report bench browser-deps clean cluster cluster-stop cluster-deps load soak simulate retention audit admin

install: $(VENV)/.installed

# Every version and file hash comes from the lock (requirements/test.txt: the runtime and the test extra; make lock
# writes it from pyproject.toml); pip refuses anything unpinned or whose hash differs. Packages the lock does not name
# are removed (tools/lock_sync.py), so an older .venv ends up as a fresh one. The project goes in last, editable and
# without dependencies.
$(VENV)/.installed: pyproject.toml requirements/test.txt
	@if [ -z "$(PY310)" ]; then \
	  echo "需要 Python 3.10（Rasa 3.6 不支持 3.11）。请用 pyenv 安装 3.10.13：pyenv install 3.10.13" >&2; exit 1; fi
	@echo "==> 创建虚拟环境 $(VENV)（$(PY310)）并按锁文件安装依赖，首次约需几分钟"
	$(PY310) -m venv $(VENV)
	$(VENV)/bin/pip install --progress-bar off --require-hashes -r requirements/test.txt
	$(VENV)/bin/python -m tools.lock_sync requirements/test.txt
	$(VENV)/bin/pip install --progress-bar off --no-deps --no-build-isolation -e .
	@touch $@

# make lock: the lock files again from pyproject.toml (and requirements/bench.in), keeping every pinned version that
# still fits; `make lock UPGRADE="aiohttp wheel"` moves those packages to the newest versions their ranges allow.
# uv (in build/lock-venv) resolves for Linux x86_64 and Python 3.10 and records the hash of every file of each version.
LOCK_VENV := build/lock-venv
UV_COMPILE = $(LOCK_VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.10 \
	--python-platform x86_64-unknown-linux-gnu --annotation-style line --custom-compile-command "make lock" \
	$(foreach p,$(UPGRADE),--upgrade-package $(p))
lock:
	@test -x $(LOCK_VENV)/bin/uv || { $(PY310) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet uv==0.13.8; }
	$(UV_COMPILE) pyproject.toml --extra test -o requirements/test.txt
	$(UV_COMPILE) pyproject.toml -c requirements/test.txt -o requirements/runtime.txt
	$(UV_COMPILE) requirements/bench.in -c requirements/test.txt -o requirements/bench.txt

# Locust (bench/load.py) in its own virtualenv: gevent's monkey-patching and Flask stay out of Rasa's.
BENCH_VENV := build/bench-venv
bench-deps: $(BENCH_VENV)/.installed

$(BENCH_VENV)/.installed: requirements/bench.txt
	$(PY310) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --progress-bar off --require-hashes -r requirements/bench.txt
	@touch $@

store: $(DB)

$(DB): $(VENV)/.installed $(POLICY_DATA)
	@echo "==> 构建政策库 $(DB)"
	$(PY) -m policy_db build

assets: build/spacy-zh/meta.json

build/spacy-zh/meta.json: $(DB) bot/ops/assets.py bot/nlu/cues.yml
	@echo "==> 由政策库生成 jieba 词典和 spaCy zh 管道"
	$(PY) -m bot.ops.assets

model: install store assets
	@$(PY) -m policy_db domain
	@$(PY) -m bot.ops.model ensure

run: model
	$(PY) -m bot.ops.serve

# Browser tests drive Debian's Chromium (never a downloaded browser); CJK fonts make the screenshots readable.
browser-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then echo "==> 安装 Debian 的 chromium 和中文字体（浏览器测试用）"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "提示：缺少 chromium 或中文字体，请运行 sudo apt-get install chromium fonts-noto-cjk；浏览器测试将跳过"; fi; fi

test: model browser-deps cluster-deps
	$(VENV)/bin/pytest

# make cluster: PostgreSQL, Redis and nginx from Debian's packages (installed when missing and root), two Rasa and two
# action servers; data, config and logs under build/cluster (bot/ops/cluster.py). make cluster-stop stops it.
cluster-deps:
	@missing=""; \
	command -v postgres >/dev/null || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "==> 安装集群所需的 Debian 软件包：$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "集群需要 Debian 软件包：$$missing。请运行 sudo apt-get install -y$$missing（集群测试将跳过）" >&2; fi; fi

cluster: model cluster-deps
	$(PY) -m bot.ops.cluster start

cluster-stop:
	$(PY) -m bot.ops.cluster stop

# Locust load (bench/load.py): 50 simulated owners on make run's pair and on the cluster, and a bare turn for a ratio;
# make soak runs one server for MINUTES (10) and prints its memory growth. Figures go to bench/RESULTS.md by hand.
load: model cluster-deps bench-deps
	$(PY) -m bench.load

MINUTES ?= 10
soak: model bench-deps
	$(PY) -m bench.load --soak --minutes $(MINUTES)

nlu-report: model
	$(PY) -m bench.nlu_report

bench: model
	$(PY) -m bench.engine
	$(PY) -m bench.turns
	$(PY) -m bench.qa
	$(PY) -m bench.qa tests/qa/fresh.yaml

# The self-test (simulator/selftest.py): N generated owners against a private pair of servers on 5605/5655; prints
# class, status and amount agreement with the engine, questions, latency and invented figures. Failing
# conversations go to test-artifacts/simulate/ as replayable YAML. URL=… tests a running assistant instead.
N ?= 500
SEED ?= 0
simulate: model
	$(PY) -m bench.simulate --n $(N) --seed $(SEED) $(if $(URL),--url $(URL))

test-fast: install store
	$(VENV)/bin/pytest -m "not e2e and not browser"

# Deletes conversations (and call records, their audit lines, trainer attempts) older than DAYS days: make retention DAYS=180 [DRY=1]
retention: install
	@if [ -z "$(DAYS)" ]; then echo "用法：make retention DAYS=天数（加 DRY=1 只统计不删除）" >&2; exit 1; fi
	$(PY) -m bot.ops.retention --days $(DAYS) $(if $(DRY),--dry-run,)

# pip-audit over .venv; fails only on a vulnerability whose fix Rasa 3.6's constraints allow (tools/dependency_audit.py).
# Where PyPI's advisory service is out of reach: make audit ADVISORIES=<checkout of PyPA's advisory-database>.
# Keep each result: docs/audit/<date>.txt, and docs/dependencies.md for what is done about each advisory.
audit: install
	$(PY) -m tools.dependency_audit $(if $(ADVISORIES),--advisories $(ADVISORIES))

clean:
	rm -rf build models results test-artifacts

# The first supervisor account (asks for its password; the others are made in the console): make admin LOGIN=zhang NAME=张主管
admin: install
	@if [ -z "$(LOGIN)" ] || [ -z "$(NAME)" ]; then echo "用法：make admin LOGIN=登录名 NAME=姓名" >&2; exit 1; fi
	$(PY) -m bot.staff.accounts create-supervisor --login "$(LOGIN)" --name "$(NAME)"
