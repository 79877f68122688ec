# kitchenbench: `make test` is what CI runs; `make bench` the benchmark matrix.
GO ?= go
BENCHTIME ?= 300ms
CPUS ?= 1,2

.PHONY: test bench results compare check claims lint fuzz load mutate

test:
	$(GO) test -race ./...

bench:
	$(GO) test -run '^$$' -bench . -cpu $(CPUS) -benchtime $(BENCHTIME) ./...

# A reference run of this machine, committed under reference/ (a folder that holds data only).
NCPU := $(shell nproc 2>/dev/null || echo 1)
results:
	$(GO) run ./cmd/kitchen run --count 10 --duration 200ms --force --out reference/$(NCPU)cpu.json

# Compare the newest two result files.
compare:
	$(GO) run ./cmd/kitchen compare $$(ls -t runs/*.json | head -2 | tac)

# Gate against the committed baseline (set BASELINE=FILE to choose another):
# a fresh run with the baseline's own configuration and sample count, tested
# at the gate's defaults (docs/gate.md states their false-alarm rate and power).
BASELINE ?= reference/$(NCPU)cpu.json
check:
	$(GO) run ./cmd/kitchen check --baseline $(BASELINE)

claims:
	$(GO) run ./cmd/kitchen check --claims

# Short fuzzing of every parser, with execution-count budgets (about 10 s
# each on a 2-core machine), as CI runs it. Counts, not durations: with a
# duration, Go 1.26's fuzz coordinator can report a spurious "context
# deadline exceeded" when time runs out on a loaded machine
# (golang/go#75804, fixed in Go 1.27).
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzReadJSON$$' -fuzztime 150000x ./results
	$(GO) test -run '^$$' -fuzz '^FuzzReadBenchfmt$$' -fuzztime 30000x ./results
	$(GO) test -run '^$$' -fuzz '^FuzzParseMenu$$' -fuzztime 100000x ./kitchen

# The load tests (a million orders; 100,000 in flight): seconds and
# hundreds of MB, so `go test ./...` skips them; CI runs them here.
load:
	KITCHEN_LOAD=1 $(GO) test -count=1 -run '^TestLoad' -v ./bench

lint:
	@test -z "$$(gofmt -l .)" || (gofmt -l . && echo "gofmt: the files above need formatting" && exit 1)
	$(GO) vet ./...

# Mutation testing with gremlins (installed into bin/ on first use), each
# package held to its efficacy floor: see docs/mutation-testing.md.
# MUTATE=kitchen picks packages; GREMLINS_UNLEASH_WORKERS=1 spares a busy
# machine.
MUTATE ?=
mutate:
	scripts/mutate.sh $(MUTATE)
