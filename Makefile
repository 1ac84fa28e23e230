# exitinterview — `make help` lists the targets.
#
# A DATABASE_URL in the environment replaces the local cluster with your own PostgreSQL (with pgvector).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

BIN  := bin/exitinterview
GO   ?= go

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: run
run: build ## start the service on :8080 with a local database (first admin login printed on first start)
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ]; then url="$$(scripts/localdb.sh start)"; fi; \
	scripts/localdb_test.sh && \
	DATABASE_URL="$$url" exec ./$(BIN) serve

.PHONY: db
db: ## start only the local PostgreSQL with pgvector (installing it if needed) and print its DATABASE_URL
	@if [ -n "$${DATABASE_URL:-}" ]; then echo "DATABASE_URL=$$DATABASE_URL (from your environment)"; \
	else echo "DATABASE_URL=$$(scripts/localdb.sh start)"; fi

.PHONY: db-stop
db-stop: ## stop the local PostgreSQL
	@scripts/localdb.sh stop

.PHONY: build
build: ## build bin/exitinterview
	@$(GO) build -o $(BIN) ./cmd/exitinterview

.PHONY: test
test: ## run go vet, the gofmt check and the whole test suite (with -race) against a real PostgreSQL
	@scripts/testdeps.sh
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	@url="$${EXITINTERVIEW_TEST_DATABASE_URL:-$${DATABASE_URL:-}}"; \
	if [ -z "$$url" ]; then url="$$(scripts/localdb.sh start)"; fi; \
	scripts/localdb_test.sh && \
	EXITINTERVIEW_TEST_DATABASE_URL="$$url" EXITINTERVIEW_REQUIRE_BROWSER=1 EXITINTERVIEW_REQUIRE_PDFTOOLS=1 $(GO) test -race -count=1 -timeout 12m ./...

.PHONY: fmt
fmt: ## format the Go code
	@gofmt -w $$(git ls-files '*.go')

.PHONY: clean
clean: ## remove build output (the local database stays; `make db-stop` stops it)
	rm -rf bin
