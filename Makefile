# jour: `make run` for a local site with demo data, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCKS := requirements/base.lock requirements/dev.lock
DEV_ENV := JOUR_ENV=development

.PHONY: run test prod-check bench bench-federation bench-tools lint lock totp messages clean

$(STAMP): $(LOCKS)
	@$(PYTHON) -c 'import sys; sys.exit("jour needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes $(addprefix -r ,$(LOCKS))
	touch $(STAMP)

run: $(STAMP)
	@mkdir -p var/broker/queue var/broker/processed var/broker/control
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py create_seal_key --if-missing
	$(DEV_ENV) $(PY) manage.py seed_demo
	$(DEV_ENV) ./scripts/run-dev.sh

test: $(STAMP)
	@mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	@set -e; eval "$$($(PY) scripts/test_services.py)"; \
	JOUR_ENV=test $(PY) manage.py makemigrations --check --dry-run >/dev/null; \
	JOUR_ENV=test $(PY) -m pytest $(PYTEST_ARGS)

# The production profile natively (gunicorn, Celery worker and beat, Caddy over HTTPS) with
# the stack's own config files, a browser login and two faults: scripts/prod_check.py.
# It restarts this machine's PostgreSQL and Redis: run it after `make test`, not beside it.
prod-check: $(STAMP)
	@command -v caddy >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy >/dev/null 2>&1 \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy >/dev/null; }
	@command -v chromium >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	$(PY) scripts/prod_check.py

# Figures beside their baselines, on this machine's PostgreSQL; see tests/bench/run.py.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/jour_bench
# The statistics counts are kept in Redis as in production (stats.year_cache).
BENCH_CACHE_URL ?= redis://127.0.0.1:6379/9
bench: $(STAMP) bench-tools
	DATABASE_URL=$(BENCH_DATABASE_URL) JOUR_ENV=development DJANGO_SETTINGS_MODULE=jour.settings $(PY) scripts/bench_prepare.py
	CACHE_URL=$(BENCH_CACHE_URL) DATABASE_URL=$(BENCH_DATABASE_URL) JOUR_ENV=development $(PY) -m tests.bench.run

# The lists at the federation's scale (500,000 cases in a database of their own; the
# first load takes several minutes); adds federation_* figures to var/bench/latest.json.
FEDERATION_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/jour_bench_federation
bench-federation: $(STAMP) bench-tools
	BENCH_CASES=500000 DATABASE_URL=$(FEDERATION_DATABASE_URL) JOUR_ENV=development DJANGO_SETTINGS_MODULE=jour.settings \
	  $(PY) scripts/bench_prepare.py
	BENCH_MODE=federation CACHE_URL=$(BENCH_CACHE_URL) DATABASE_URL=$(FEDERATION_DATABASE_URL) JOUR_ENV=development $(PY) -m tests.bench.run

bench-tools:
	$(PY) -m pip install --quiet --require-hashes -r requirements/bench.lock
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The current two-factor codes of the demo accounts.
totp: $(STAMP)
	@$(DEV_ENV) $(PY) manage.py demo_totp

# Refresh the lockfiles after editing requirements/*.in.
lock:
	$(PYTHON) -m venv var/piptools && var/piptools/bin/pip install --quiet pip-tools
	cd requirements && ../var/piptools/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o base.lock base.in
	cd requirements && ../var/piptools/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o dev.lock dev.in
	cd requirements && ../var/piptools/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o bench.lock bench.in

# The source is in English: only Swedish has a catalogue.
messages: $(STAMP)
	$(DEV_ENV) $(PY) manage.py makemessages --locale sv --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var
