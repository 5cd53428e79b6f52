# The two commands: `make up` (catalogue with demo data at http://127.0.0.1:5000)
# and `make test` (the whole suite against real PostgreSQL, Solr 9 and Redis).
.PHONY: up test down status lint install

up:
	bin/stack up

test:
	bin/stack test

down:
	bin/stack down

status:
	bin/stack status

install:
	bin/stack install

lint:
	.venv/bin/ruff check ckanext tests
	.venv/bin/ruff format --check ckanext tests
	.venv/bin/mypy
