# kitchenbench: `make test` is what CI runs; `make bench` the benchmark matrix.
GO ?= go
BENCHTIME ?= 300ms
CPUS ?= 1,2

.PHONY: test bench results compare check claims lint fuzz

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

# Gate against the committed baseline (set BASELINE=FILE to choose another):
# a fresh run with the baseline's own configuration and sample count, tested
# at the gate's defaults (docs/gate.md states their false-alarm rate and power).
BASELINE ?= results/reference-$(NCPU)cpu.json
check:
	$(GO) run ./cmd/kitchen check --baseline $(BASELINE)

claims:
	$(GO) run ./cmd/kitchen check --claims

lint:
	@test -z "$$(gofmt -l .)" || (gofmt -l . && echo "gofmt: the files above need formatting" && exit 1)
	$(GO) vet ./...
