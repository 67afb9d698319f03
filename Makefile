# Safecare. `make run` and `make test` work on a fresh machine: each installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
NODE_STAMP := node_modules/.installed-$(shell sha1sum package-lock.json | cut -c1-12)
ASSETS := src/safecare/static/build/safecare.css
PYTEST_ARGS ?=

.PHONY: run test test-only fuzz lint format typecheck bench bench-compare bench-load prod-check mutation install assets system-deps chromium demo-code screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -f node_modules/.installed-* && touch $(NODE_STAMP)

$(ASSETS): $(NODE_STAMP) src/safecare/static_src/safecare.scss
	npm run --silent build

install: system-deps $(STAMP) $(ASSETS)

assets: $(ASSETS)

# System libraries from Debian: Pango for WeasyPrint's PDFs, LibreOffice Writer (without its
# desktop) to turn office documents shared with carers into PDFs (PH-1), and Chromium for the
# browser tests (Playwright's own browser download is not used).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core libreoffice-writer-nogui
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# The demo serves as production answers (SAFECARE_DEBUG=0): the real error pages, not Django's
# debug page listing every URL; WhiteNoise still serves the static files from their source
# folders (settings/dev.py). seed_demo runs with DEBUG on, which its known passwords need.
# `make run PORT=8080` serves elsewhere, and links in e-mails name the same address;
# `make run RUN_DEBUG=1` brings the debug pages back.
# Beside the server, Huey's consumer runs the scheduled jobs that fall due (core.jobs), every
# minute, its queue in var/huey.sqlite3 (or Redis with SAFECARE_REDIS_URL); it stops with the server.
PORT ?= 8000
RUN_DEBUG ?= 0
run: export SAFECARE_SITE_URL = http://127.0.0.1:$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	SAFECARE_DEBUG=$(RUN_DEBUG) $(PY) manage.py run_huey --quiet & consumer=$$!; \
	trap 'kill $$consumer 2>/dev/null; wait $$consumer' EXIT; \
	SAFECARE_DEBUG=$(RUN_DEBUG) $(PY) manage.py runserver 127.0.0.1:$(PORT)

demo-code: $(STAMP)
	@$(PY) manage.py demo_code $(USER)

test: install chromium test-only

test-only:
	$(VENV)/bin/pytest -n 2 --dist worksteal -p no:cacheprovider $(PYTEST_ARGS)

# Full-page PNGs at 360 px wide of a carer's home page, a device and the error page, taken from
# the demo data, into docs/screenshots/ (tests/browser/screenshots.py; `make test` leaves it out).
screenshots: install chromium
	$(VENV)/bin/pytest -p no:cacheprovider tests/browser/screenshots.py -m screenshots

# The whole API fuzzed from its OpenAPI schema as two roles (tests/fuzz/run; docs/security.md).
# FUZZ_EXAMPLES=50 FUZZ_SEED=7 make fuzz for a longer or different run.
fuzz: $(STAMP)
	tests/fuzz/run

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# Server time of the pages people wait on, on PostgreSQL (bench/README.md): SCALE=1 is one county's
# 5,000 households with ten years of history, SCALE=10 ten of them, SCALE=small a tiny service (CI);
# HISTORY=0 a service that started a year ago. The data is built once and kept (var/bench/).
# Fails where a goal is missed. `make bench-compare` times the pages without and with the history.
BENCH_ARGS ?=
bench: install
	PYTHONPATH=src:. $(PY) -m bench.run $(BENCH_ARGS)

# `make bench-compare`: one county without history, then with ten years of it, compared.
# `make bench-compare SCALE=10`: one county, then ten, both with history, compared.
bench-compare: install
ifeq ($(SCALE),10)
	PYTHONPATH=src:. SCALE=1 $(PY) -m bench.run $(BENCH_ARGS) || true
	PYTHONPATH=src:. SCALE=10 $(PY) -m bench.run --compare var/bench/latest-s1-history-postgresql.json $(BENCH_ARGS)
else
	PYTHONPATH=src:. SCALE=1 HISTORY=0 $(PY) -m bench.run $(BENCH_ARGS) || true
	PYTHONPATH=src:. SCALE=1 $(PY) -m bench.run --compare var/bench/latest-s1-now-postgresql.json $(BENCH_ARGS)
endif

# Capacity (docs/operations.md, "Capacity"): gunicorn with the production settings on PostgreSQL
# under a bounded, signed-in mixed load, per page and overall (bench/load.py). Its own database
# safecare_load, loaded with the demo the first time; LOAD_DATABASE_URL=postgres://... loads
# another (the bench one). `make bench-load LOAD_ARGS="--connections 8 --seconds 120"` for a
# closed loop; build:js copies the scripts' source maps, which collectstatic's manifest needs.
LOAD_ARGS ?= --rate 20 --seconds 60 --workers 4
bench-load: install
	npm run --silent build:js
	$(PY) -m bench.load $(LOAD_ARGS)

# The production settings with two gunicorn workers, Huey's consumer on Redis (database 7) and
# PostgreSQL (safecare_prodcheck, made the first time): a smoke test, then a fault drill under load that
# writes (a worker killed, PostgreSQL restarted) and its checks (bench/prod_check.py). The restart
# ends every connection of the cluster: while other databases are in use it is not done (and the
# check fails) unless PROD_CHECK_ARGS=--restart-anyway.
PROD_CHECK_ARGS ?=
prod-check: install
	npm run --silent build:js
	$(PY) -m bench.prod_check $(PROD_CHECK_ARGS)

# Mutation testing of the rule modules (docs/mutation.md; [tool.mutmut] in pyproject.toml).
# Starts from a fresh copy in ./mutants, then one module at a time, one mutant at a time by
# default (the machine is shared); prints each module's score and fails under 95 %.
# `make mutation MUTATION_MODULES=safecare.core.dates` runs one module; MUTATION_CHILDREN=2
# runs two mutants at once.
MUTATION_MODULES ?= safecare.core.dates safecare.core.deadlines safecare.core.access \
	safecare.households.access safecare.households.approval safecare.devices.verdict
MUTATION_CHILDREN ?= 1
mutation: $(STAMP)
	rm -rf mutants && mkdir mutants
	@for module in $(MUTATION_MODULES); do \
		start=$$SECONDS; \
		$(VENV)/bin/mutmut run --max-children $(MUTATION_CHILDREN) "$$module.*" > mutants/$$module.log 2>&1 \
			|| { tail -c 3000 mutants/$$module.log; exit 1; }; \
		echo "$$module: $$(( (SECONDS - start) / 60 )) min"; \
	done
	$(VENV)/bin/mutmut results --all true > mutants/results.txt
	$(PY) bench/mutation_score.py --results mutants/results.txt $(MUTATION_MODULES)

clean:
	rm -rf $(VENV) node_modules src/safecare/static/build staticfiles var/bench mutants
