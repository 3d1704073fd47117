# Greenroom: the production image (`serve`, `worker`, `migrate`, the operator CLI), with no dev tools in it.
# The `devtools` target adds the simulator for a trial without provider keys (docker-compose.yml uses it).
FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/greenroom
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir -r requirements.lock
COPY app/ app/
COPY migrations/ migrations/
RUN pip install --no-cache-dir --no-deps -e .
COPY --from=web /src/web/dist web/dist
RUN useradd --system --uid 10001 greenroom
USER greenroom
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request,sys;urllib.request.urlopen('http://127.0.0.1:8000/healthz')" || exit 1
ENTRYPOINT ["greenroom"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]

FROM app AS devtools
USER root
COPY devtools/ devtools/
RUN pip install --no-cache-dir --no-deps -e .
USER greenroom
