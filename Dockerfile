# 惠企政策助手: one image for the Rasa server (the default command) and the action server (deploy/compose.yaml).
# Stage `build` installs the locked runtime (requirements/runtime.txt, every file checked against its hash), builds the
# policy store and the NLU assets and trains the model; the final stage copies the virtualenv and /app into a clean
# python:3.10-slim and runs as an unprivileged user. Build from the repository root:
#   docker build -t huiqi-assistant .                          (trains the model, a few minutes)
#   docker build --build-arg TRAIN=false -t huiqi-assistant .  (no model: mount one on /app/models)
# Linux x86_64 only: the lock holds TensorFlow 2.12's x86_64 wheels (arm64 needs Rasa's tensorflow-cpu-aws).

ARG PYTHON_IMAGE=python:3.10-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    RASA_TELEMETRY_ENABLED=false
RUN python -m venv /opt/venv
COPY requirements/runtime.txt /tmp/runtime.txt
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/runtime.txt
WORKDIR /app
COPY . /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app
ARG TRAIN=true
# The store, jieba's dictionary and the spaCy pipeline always; the model when TRAIN=true (bot.ops.model names it by the
# fingerprint of its inputs, so a mounted model that does not match them is visibly another file).
RUN python -m policy_db build \
 && python -m bot.ops.assets \
 && if [ "$TRAIN" = true ]; then python -m bot.ops.model ensure; else mkdir -p models; fi \
 && rm -rf .rasa /root/.config

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RASA_TELEMETRY_ENABLED=false \
    HUIQI_RECORDS_DB=/data/records.db \
    HUIQI_TRAINER_DB=/data/trainer.db \
    HEALTH_URL=http://127.0.0.1:5005/
RUN useradd --create-home --uid 10001 --user-group huiqi \
 && mkdir /data \
 && chown huiqi:huiqi /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER 10001:10001
VOLUME ["/data"]
EXPOSE 5005 5055
# The Rasa server answers GET / when it is up; the action server's command sets HEALTH_URL to its /health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(os.environ['HEALTH_URL'], timeout=4)"]
# bot.rasa_server: `rasa run` with our changes; the HTTP API stays off. Bound to every address, so the channel token
# is required (bot/web/access.py): set HUIQI_CHANNEL_TOKEN and HUIQI_OPERATOR_TOKEN.
CMD ["python", "-m", "bot.rasa_server", "run", "--model", "models", "--interface", "0.0.0.0", "--port", "5005", \
     "--credentials", "credentials.yml", "--endpoints", "deploy/compose/endpoints.yml"]
