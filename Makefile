# Vraagbaak: `make run` sets up, ingests the bundled corpus and starts the assistant;
# `make test` sets up with the test extras and runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACKAGES := ingest index app evals tests
export VRAAGBAAK_HOME ?= $(CURDIR)/.home
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup setup-test model run ingest ranker eval-fresh test lint format bench eval eval-structure eval-external report gate load browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# torch first, from its CPU wheel, so pip never pulls a CUDA build. TORCH_INDEX: the package
# index that serves that wheel; empty here, where pip's own configuration finds a local CPU wheel.
# Elsewhere: make test TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=
$(VENV)/.torch: | $(BIN)/python
	$(BIN)/pip install -q $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) torch==2.13.0
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.torch
	$(BIN)/pip install -q -e .
	touch $@

# llama-cpp-python (the local LLM server of the polish tests) builds from source; the native
# build crashes on this CPU, so the instruction sets are named
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

model: setup
	$(BIN)/vraagbaak prepare-model

ingest: model
	$(BIN)/vraagbaak ingest

run: ingest $(RANKER)
	$(BIN)/vraagbaak serve

# The learned answer ranker (app/answer/ranker.json, committed): the candidates of every bundled
# eval set and of the aligned question/answer pairs in the bundled index and, where
# ../shared/external-dev is present, of the external set in its own index; then fitted, with
# leave-one-document-out figures printed. Deterministic; rebuilt by make only when missing.
RANKER := app/answer/ranker.json
TRAIN := $(CURDIR)/.build/train
ranker: model
	mkdir -p $(TRAIN) && rm -f $(TRAIN)/*.jsonl
	$(BIN)/vraagbaak ingest --quiet > /dev/null
	$(BIN)/vraagbaak candidates $(foreach set,$(EVAL_SETS),evals/sets/$(set).jsonl) --archive \
	  --out $(TRAIN)/bundled.jsonl
	@if [ -d "$(EXTERNAL)/corpus" ]; then \
	  export VRAAGBAAK_HOME=$(EXTERNAL_HOME); \
	  $(BIN)/vraagbaak ingest --quiet data/corpus $(EXTERNAL)/corpus > /dev/null && \
	  $(BIN)/vraagbaak candidates $(EXTERNAL)/questions.jsonl --archive --out $(TRAIN)/external.jsonl; \
	else echo "$(EXTERNAL)/corpus ontbreekt: getraind zonder de externe set"; fi
	$(BIN)/vraagbaak train $(TRAIN)/*.jsonl --out $(RANKER)

$(RANKER):
	$(MAKE) --no-print-directory ranker

# Debian's chromium for the browser tests (Playwright's own browser download is not reachable)
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: setup-test model browser $(RANKER)
	$(BIN)/ruff check $(PACKAGES)
	$(BIN)/ruff format --check $(PACKAGES)
	$(BIN)/python -m pytest -q
	$(MAKE) --no-print-directory eval

# The eval sets, run in this order by `eval`; `gate` judges the held-aside ones (all but dev)
EVAL_SETS := dev heldout heldout_b heldout_c heldout_d heldout_e heldout_f heldout_g heldout_h heldout_i \
	heldout_j heldout_k heldout_l heldout_m heldout_n heldout_o heldout_p heldout_q heldout_r
GATE_SETS := $(filter-out dev,$(EVAL_SETS))
# Where `eval` writes its reports and predictions: an ignored folder, so `make test` leaves the
# tree clean; `make report` writes the committed docs/eval/ that the README quotes
EVAL_OUT ?= .build/eval

# Each eval set against the baselines, a report per set under $(EVAL_OUT)/<set>/
eval: model
	$(BIN)/vraagbaak ingest --quiet
	@for set in $(EVAL_SETS); do \
	  echo "$(BIN)/vraagbaak eval evals/sets/$$set.jsonl --compare --report $(EVAL_OUT)/$$set --out $(EVAL_OUT)/$$set/predictions.jsonl"; \
	  $(BIN)/vraagbaak eval evals/sets/$$set.jsonl --compare --report $(EVAL_OUT)/$$set \
	    --out $(EVAL_OUT)/$$set/predictions.jsonl || exit 1; \
	done
	$(MAKE) --no-print-directory eval-structure eval-fresh eval-external

# The fresh answer sets, each in an index of its own beside the bundled corpus: fresh_answers
# (issue 23: 10 invented documents, 70 questions) and fresh_b (issue 26: 8 documents, 60 questions)
FRESH_SETS := fresh_answers fresh_b
eval-fresh: model
	@for set in $(FRESH_SETS); do \
	  export VRAAGBAAK_HOME=$(CURDIR)/.build/home-$$set; \
	  $(BIN)/vraagbaak ingest --quiet data/corpus evals/sets/$$set/corpus > /dev/null && \
	  echo "$(BIN)/vraagbaak eval evals/sets/$$set.jsonl --compare --report $(EVAL_OUT)/$$set" && \
	  $(BIN)/vraagbaak eval evals/sets/$$set.jsonl --compare --report $(EVAL_OUT)/$$set \
	    --out $(EVAL_OUT)/$$set/predictions.jsonl || exit 1; \
	done

# Recovered structure against the manifests: the bundled documents (in the main index) and the
# fresh set of invented layouts (evals/sets/structure/fresh/, in an index of its own)
FRESH_HOME := $(CURDIR)/.build/home-fresh
eval-structure: model
	$(BIN)/vraagbaak eval-structure evals/sets/structure/bundled.jsonl
	VRAAGBAAK_HOME=$(FRESH_HOME) \
	  $(BIN)/vraagbaak ingest --quiet evals/sets/structure/fresh > /dev/null
	VRAAGBAAK_HOME=$(FRESH_HOME) \
	  $(BIN)/vraagbaak eval-structure evals/sets/structure/fresh.jsonl

# The external development set (../shared/external-dev/: 38 real documents, their structure
# manifest and 100 questions), ingested with the bundled corpus into its own index; skipped where the folder is absent. Its
# report stays under .build/ always: the predictions quote the external texts, which the
# repository does not hold
EXTERNAL ?= ../shared/external-dev
EXTERNAL_HOME := $(CURDIR)/.build/home-external
eval-external: model
	@if [ ! -d "$(EXTERNAL)/corpus" ]; then echo "$(EXTERNAL)/corpus ontbreekt: externe set overgeslagen"; exit 0; fi; \
	  export VRAAGBAAK_HOME=$(EXTERNAL_HOME); \
	  $(BIN)/vraagbaak ingest --quiet data/corpus $(EXTERNAL)/corpus > /dev/null && \
	  $(BIN)/vraagbaak eval-structure $(EXTERNAL)/manifest.jsonl && \
	  $(BIN)/vraagbaak eval $(EXTERNAL)/questions.jsonl --report .build/eval/external-dev \
	    --out .build/eval/external-dev/predictions.jsonl

# The committed figures: eval reports in docs/eval/ and the app's screenshots in docs/screenshots/
report: setup-test model browser
	$(MAKE) --no-print-directory eval EVAL_OUT=docs/eval
	VRAAGBAAK_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q tests/test_app.py

# The release thresholds (issue 4) on every held-aside set; names each set that fails, exits 1 if any did
gate: model
	$(BIN)/vraagbaak ingest --quiet
	@failed=""; for set in $(GATE_SETS); do \
	  $(BIN)/vraagbaak eval evals/sets/$$set.jsonl --gate || failed="$$failed $$set"; \
	done; \
	if [ -n "$$failed" ]; then echo "drempels niet gehaald in:$$failed" >&2; exit 1; fi

lint: setup-test
	$(BIN)/ruff check $(PACKAGES)
	$(BIN)/ruff format --check $(PACKAGES)

format: setup-test
	$(BIN)/ruff format $(PACKAGES)

bench: model
	$(BIN)/vraagbaak bench

# 20 concurrent askers, 200 questions, against a real server on loopback (the README quotes it)
load: ingest
	$(BIN)/vraagbaak serve --port 7871 & pid=$$!; \
	  for i in $$(seq 120); do curl -sf -o /dev/null http://127.0.0.1:7871/ && break; sleep 1; done; \
	  $(BIN)/vraagbaak load --url http://127.0.0.1:7871/ --askers 20 --total 200; status=$$?; kill $$pid; exit $$status

clean:
	rm -rf $(VENV) .home .build
