# kitchenbench: `make test` is what CI runs; `make bench` the benchmark matrix.
GO ?= go
BENCHTIME ?= 300ms
CPUS ?= 1,2

.PHONY: test bench results compare check claims lint fuzz mutate

test:
	$(GO) test -race ./...

bench:
	$(GO) test -run '^$$' -bench . -cpu $(CPUS) -benchtime $(BENCHTIME) ./...

# A reference run of this machine, committed under results/.
NCPU := $(shell nproc 2>/dev/null || echo 1)
results:
	$(GO) run ./cmd/kitchen run --count 10 --duration 200ms --force --out results/reference-$(NCPU)cpu.json

# Compare the newest two result files.
compare:
	$(GO) run ./cmd/kitchen compare $$(ls -t results/*.json | head -2 | tac)

# Gate against the committed baseline (set BASELINE=FILE to choose another).
BASELINE ?= results/reference-$(NCPU)cpu.json
check:
	$(GO) run ./cmd/kitchen check --baseline $(BASELINE) --threshold 5%

claims:
	$(GO) run ./cmd/kitchen check --claims

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
