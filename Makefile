# LinkLab: `make run` starts it with the demo labs, `make test` runs every test.
SHELL := /bin/bash
GO ?= go
BIN := bin/linklab
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
export LINKLAB_CACHE_DIR := $(CURDIR)/.cache

.PHONY: run build test test-go test-frontend test-e2e test-api deps system-deps frontend bench fuzz clean

## run: build everything and start LinkLab on the embedded store with the demo labs
run: build
	./$(BIN) serve --demo

## build: the web app, then one binary that embeds it
build: frontend
	CGO_ENABLED=0 $(GO) build -tags embedui -trimpath -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/linklab

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-fund --no-audit

e2e/node_modules/.package-lock.json: e2e/package-lock.json
	cd e2e && npm ci --no-fund --no-audit

realtime/jsclient/node_modules/.package-lock.json: realtime/jsclient/package-lock.json
	cd realtime/jsclient && npm ci --no-fund --no-audit

frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm run build

## test: install what the tests need on a fresh machine, then run every test
test: deps build test-go test-frontend test-e2e test-api

# Debian's Chromium for the browser tests, poppler's pdftotext, which
# reads exported PDFs back as any reader would, and nginx, which runs the
# sample proxy configuration of docs/deployment.md in front of several
# instances. Java and Maven (for the MongoDB wire-protocol test server), Go
# and Node are expected on the machine.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null || ! PATH="$$PATH:/usr/sbin" command -v nginx >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core poppler-utils nginx-light; \
	fi
	@for tool in java mvn node npm python3; do command -v $$tool >/dev/null || { echo "make test needs $$tool on PATH" >&2; exit 1; }; done
	@if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends python3-venv; \
	fi

# Python tools for the API fuzzing run, in a virtual environment of ours.
VENV := $(LINKLAB_CACHE_DIR)/venv
$(VENV)/.installed: e2e/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r e2e/requirements.txt
	touch $@

deps: system-deps frontend/node_modules/.package-lock.json e2e/node_modules/.package-lock.json \
	realtime/jsclient/node_modules/.package-lock.json $(VENV)/.installed

# The full verbose log goes to test-output/go-test.log; the console shows
# each package, each engine's conformance run, and any failure or skip.
test-go: realtime/jsclient/node_modules/.package-lock.json
	$(GO) vet ./...
	@mkdir -p test-output
	set -o pipefail; $(GO) test -race -count=1 -v ./... 2>&1 | tee test-output/go-test.log | \
		grep -E '^(ok|FAIL|panic:)|--- (FAIL|SKIP)|--- PASS: TestConformance/(sqlite|mongo-java-server|real-mongodb) |\.go:[0-9]+: '

test-frontend: frontend/node_modules/.package-lock.json
	cd frontend && npx tsc --noEmit && npm test

test-e2e: build e2e/node_modules/.package-lock.json
	cd e2e && LINKLAB_BIN=$(CURDIR)/$(BIN) npm test

## test-api: fuzz the real binary's API from its OpenAPI document (bounded)
test-api: build $(VENV)/.installed
	LINKLAB_BIN=$(CURDIR)/$(BIN) $(VENV)/bin/python e2e/apifuzz.py --out test-output

## fuzz: run each Go fuzz target for FUZZTIME (make test runs their seeds)
FUZZTIME ?= 1m
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseChangeSet$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 200x ./realtime/
	$(GO) test -run '^$$' -fuzz '^FuzzMapConverges$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 200x ./realtime/
	$(GO) test -run '^$$' -fuzz '^FuzzSessionMessages$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 200x ./realtime/
	$(GO) test -run '^$$' -fuzz '^FuzzRender$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 200x ./content/

## bench: the storage and HTTP benchmarks recorded in docs/benchmarks.md
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 3 ./store/... ./server/ ./auth/

clean:
	rm -rf bin frontend/dist .cache test-output
