# cvetl — the two commands a newcomer needs are `make demo` and `make test`.
GO        ?= go
BIN       := bin/cvetl
STATICCHECK_VERSION := v0.8.2
VERSITYGW_VERSION := v1.8.0
LOCAL_KMS_VERSION := v0.0.0-20260228092603-2a5e92d09ab6
BENCH_S3_N ?= 20000
FUZZTIME  ?= 10s
BENCH_N   ?= 1000
DEMO_POLICY ?= 121-recruitment
DEMO_AS_OF  ?= $(shell date +%F)

.PHONY: build demo test fuzz-short lint bench bench-s3 bench-nightly eval clean versitygw local-kms bench-match eval-match

build:
	$(GO) build -o $(BIN) ./cmd/cvetl

# Ingest the shipped sample inbox into ./cvetl.duckdb and print the run summary, import
# the sample events (two bad lines are reported on purpose), then run the nightly
# retention jobs and print where the manifest went, then write the anonymised analyst
# release (out/analyst.duckdb) and its HTML report (out/report.html). Run it twice: the
# second ingest reports 0 new files.
demo: build
	$(BIN) --config testdata/cvetl.yaml --db cvetl.duckdb --out out ingest testdata/inbox
	-$(BIN) --db cvetl.duckdb events import testdata/events.jsonl
	$(BIN) --config testdata/cvetl.yaml --db cvetl.duckdb --out out nightly --as-of $(DEMO_AS_OF) --policy $(DEMO_POLICY)
	$(BIN) --db cvetl.duckdb --out out stats export --as-of $(DEMO_AS_OF)
	$(BIN) --db cvetl.duckdb --out out stats report --as-of $(DEMO_AS_OF)

# The S3 tests run against a real S3-compatible server (versitygw) on 127.0.0.1, the
# KMS master-key tests against a real KMS-compatible server (local-kms).
test: versitygw local-kms
	$(GO) test -count=1 ./...

versitygw:
	@command -v versitygw >/dev/null || test -x "$$($(GO) env GOPATH)/bin/versitygw" || \
		(cd /tmp && GOFLAGS= $(GO) install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION))

local-kms:
	@command -v local-kms >/dev/null || test -x "$$($(GO) env GOPATH)/bin/local-kms" || \
		(cd /tmp && GOFLAGS= $(GO) install github.com/nsmithuk/local-kms@$(LOCAL_KMS_VERSION))

FUZZ_PKGS ?= ./extractors/ ./classifiers/ ./classifiers/specialcat/

# Each fuzz target briefly: no input may panic past the extractor boundary or hang.
fuzz-short:
	GO=$(GO) FUZZTIME=$(FUZZTIME) ./scripts/fuzz-short.sh $(FUZZ_PKGS)

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

# Synthetic ingest benchmark: N mixed PDF/DOCX/TXT CVs, ingest vs extraction only.
bench: build
	BENCH_N=$(BENCH_N) ./scripts/bench.sh

# Nightly retention jobs at scale: 1M subjects and 10M events generated in DuckDB, then
# `cvetl nightly` per preset with elapsed time and peak RSS (targets: ≤ 60 s, ≤ 2 GiB).
bench-nightly: build
	./scripts/bench-nightly.sh

# Ingest 20,000 CVs from a local S3 server with 1 and 2 shards.
bench-s3: build versitygw
	BENCH_S3_N=$(BENCH_S3_N) ./scripts/bench-s3.sh

# Two shards with a local lake and handoff, then `cvetl lake import` into a fresh store.
.PHONY: bench-lake-import
bench-lake-import: build
	BENCH_IMPORT_N=$(BENCH_S3_N) ./scripts/bench-lake-import.sh

# Field accuracy against the external corpus in ../shared (aggregate figures only),
# then special-category tagging on our labelled set (held-out split) and Presidio's.
eval:
	$(GO) run ./tools/eval -corpus ../shared/corpus/external
	$(GO) run ./tools/evalspecial -data testdata/eval -presidio ../shared/corpus/external/presidio -markdown -o docs/quality-special-categories.md

clean:
	rm -rf bin out cvetl.duckdb cvetl.duckdb.wal

# Matching at scale: 10,000 vacancies x 1,000,000 candidates generated in DuckDB, then
# `cvetl matches run` with elapsed time and peak RSS (target: ≤ 5 minutes).
bench-match: build
	./scripts/bench-match.sh

# Matching quality on the labelled set in testdata/match: precision@5 and nDCG@10.
eval-match:
	$(GO) run ./tools/evalmatch -data testdata/match
