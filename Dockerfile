# The API image for docker compose; Neo4j and MinIO run as their own containers.
# The web pages' front-end files, from npm's lock (only the runtime ones: no axe-core).
FROM node:20-slim AS web-assets
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
COPY asan ./asan
COPY data ./data
COPY --from=web-assets /web/node_modules ./web/node_modules
# The same locked versions as `make run` (runtime subset, with hashes).
RUN pip install --no-cache-dir --require-hashes -r requirements.lock \
    && pip install --no-cache-dir --no-deps -e . && useradd --system --uid 10001 asan && mkdir -p /data \
    && chown asan /data
USER asan
ENV ASAN_DATA_DIR=/data ASAN_HTTP_HOST=0.0.0.0
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=12 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz').status==200 else 1)"
CMD ["sh", "-c", "asan migrate && asan seed && asan serve"]
