# The two commands a newcomer needs:  make demo   and   make test
# Everything else here is what those two depend on.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := commonweal/static/govuk/commonweal.css
PYTEST_ARGS ?=
# Spark tests start a JVM; they run in their own step (make test-spark, and in CI).
TEST_MARKERS ?= not spark

.PHONY: demo test test-spark test-engines install lint format assets benchmarks-smoke clean

demo: install
	$(BIN)/commonweal demo

test: install
	$(BIN)/pytest -n 2 --dist loadgroup -m "$(TEST_MARKERS)" $(PYTEST_ARGS)

test-spark: install
	$(BIN)/pytest -n 2 -m spark $(PYTEST_ARGS)

# The Django-free engines' tests, without Django or its settings.
test-engines: install
	$(BIN)/pytest -p no:django -W ignore::pytest.PytestConfigWarning -m "not spark" \
		tests/valuation tests/spend_engine $(PYTEST_ARGS)

install: $(STAMP) $(ASSETS)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(ASSETS): frontend/package.json frontend/package-lock.json frontend/build.mjs frontend/src/commonweal.scss
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	COMMONWEAL_ENV=development $(BIN)/mypy commonweal
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

benchmarks-smoke: install
	$(BIN)/python benchmarks/bench_valuation.py --bidders 2 --measures 5 --years 1
	$(BIN)/python benchmarks/bench_tender_evaluation.py --small
	$(BIN)/python benchmarks/bench_spend_ingest.py --rows 2000
	$(BIN)/python benchmarks/bench_workbook_ingest.py --rows 2000 --repeat 1
	$(BIN)/python benchmarks/bench_portfolio.py --small
	$(BIN)/python benchmarks/bench_report.py --small
	$(BIN)/python benchmarks/bench_linkage_quality.py --only Wakefield --skip-scale

clean:
	rm -rf $(VENV) frontend/node_modules commonweal/static/govuk
