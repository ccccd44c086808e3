# One command for the whole check: lint, then the tests (PostgreSQL too when
# PROVENANCE_TEST_POSTGRES_URL is set, as .ci/run does).
.PHONY: check lint test reports schema

check: lint test

lint:
	.venv/bin/python -m ruff check provenance tests benchmarks

test:
	.venv/bin/python -m pytest -n 2

# Regenerate what is generated (tests fail when these are stale).
reports:
	.venv/bin/provenance --db /tmp/provenance-reports.db load seeds/ && \
	.venv/bin/provenance --db /tmp/provenance-reports.db report --all

schema:
	.venv/bin/provenance schema --out schema/dataset.schema.json
