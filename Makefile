# ltiforge build targets. Run "make help" for the list.

GO        ?= go
PKGS      := ./...
BENCHTIME ?= 2s
FUZZTIME  ?= 10m

.PHONY: help generate docs test check bench fuzz demo

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

fuzz: ## fuzz each model reader, the semantic model, the doc converter, the POX parser, the OAuth parsers and the consumer's signed request bodies for FUZZTIME (default 10m) apiece
	$(GO) test ./model/xmi -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./model/staruml -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./model -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./model/doctext -run '^$$' -fuzz '^FuzzMarkdown$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./runtime/oauth1 -run '^$$' -fuzz '^FuzzParseAuthorization$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./runtime/oauth1 -run '^$$' -fuzz '^FuzzParams$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./runtime/outcomes -run '^$$' -fuzz '^FuzzParsePOX$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./runtime/oauth1 -run '^$$' -fuzz '^FuzzCollector$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1
	$(GO) test ./runtime/consumer -run '^$$' -fuzz '^FuzzSignedBodies$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -parallel 1

# The reference apps of make demo, on loopback, with their SQLite files in
# DEMO_DIR.
DEMO_DIR  ?= demo
LMS_ADDR  ?= 127.0.0.1:8080
TOOL_ADDR ?= 127.0.0.1:8090

demo: ## build the reference LMS and e-textbook and run them on loopback (SQLite in demo/); Ctrl-C stops both
	@mkdir -p bin $(DEMO_DIR)
	$(GO) build -o bin/lticonsumer ./cmd/lticonsumer
	$(GO) build -o bin/ltiprovider ./cmd/ltiprovider
	@trap 'kill $$tool $$lms 2>/dev/null; wait 2>/dev/null' INT TERM EXIT; \
	bin/ltiprovider -addr $(TOOL_ADDR) -db $(DEMO_DIR)/ltiprovider.db 2>$(DEMO_DIR)/ltiprovider.log & tool=$$!; \
	bin/lticonsumer -addr $(LMS_ADDR) -db $(DEMO_DIR)/lticonsumer.db 2>$(DEMO_DIR)/lticonsumer.log & lms=$$!; \
	sleep 1; \
	if ! kill -0 $$tool 2>/dev/null || ! kill -0 $$lms 2>/dev/null; then \
		echo "demo: an app did not start; see $(DEMO_DIR)/*.log (is $(LMS_ADDR) or $(TOOL_ADDR) taken? set LMS_ADDR/TOOL_ADDR)"; exit 1; fi; \
	echo; \
	echo "  LMS (Tool Consumer):        http://$(LMS_ADDR)"; \
	echo "  e-textbook (Tool Provider): http://$(TOOL_ADDR)   registration URL: http://$(TOOL_ADDR)/lti/register"; \
	echo; \
	echo "  Guide: sign in as Ada Admin, paste the registration URL under 'Register an LTI 2 tool', then Approve;"; \
	echo "  sign in as Tess Teacher, add links (Textbook with custom chapter=3, Weekly assessment marked gradable,"; \
	echo "  Book adoption), launch Book adoption and adopt a book; sign in as a student, open the chapter and take"; \
	echo "  the assessment; back as Tess Teacher, open Gradebook for the grade and Tool settings for the adoption."; \
	echo "  Logs: $(DEMO_DIR)/*.log. Ctrl-C stops both."; \
	wait
