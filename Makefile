# ltiforge build targets. Run "make help" for the list.

GO        ?= go
PKGS      := ./...
BENCHTIME ?= 2s
FUZZTIME  ?= 10m

.PHONY: help generate docs test check bench fuzz

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

# The worked partner example is generated into its own package on top of
# the standard model.
PARTNER := -model examples/partner/orghierarchy/model.uml -package orghierarchy -out examples/partner/orghierarchy/generated

generate: ## regenerate every generated file from the models (ltigen generate)
	$(GO) run -tags bootstrap ./cmd/ltigen generate -v
	$(GO) run -tags bootstrap ./cmd/ltigen generate -v $(PARTNER)

docs: generate ## regenerate the reference documentation site (docs/reference) with everything else
	@echo "docs: the reference site is in docs/reference (open docs/reference/index.html, or run: go run ./cmd/ltigen docs serve)"

test: ## run every test (reads ../shared when present)
	$(GO) test -count=1 $(PKGS)

check: ## fail when generated files are stale, gofmt finds something, or go vet complains
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run -tags bootstrap ./cmd/ltigen generate -check
	$(GO) run -tags bootstrap ./cmd/ltigen generate -check $(PARTNER)
	@echo "check: ok"

bench: ## run the benchmarks (readers, generator speed and scaling, generated codec)
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) $(PKGS)

fuzz: ## fuzz each model reader, the semantic model, the doc converter, the POX parser and the OAuth parsers for FUZZTIME (default 10m) apiece
	$(GO) test ./model/xmi -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./model/staruml -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./model -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./model/doctext -run '^$$' -fuzz '^FuzzMarkdown$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./runtime/oauth1 -run '^$$' -fuzz '^FuzzParseAuthorization$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./runtime/oauth1 -run '^$$' -fuzz '^FuzzParams$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./runtime/outcomes -run '^$$' -fuzz '^FuzzParsePOX$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
