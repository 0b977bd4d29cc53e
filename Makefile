# Vraagbaak: `make run` sets up, ingests the bundled corpus and starts the assistant;
# `make test` sets up with the test extras and runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export VRAAGBAAK_HOME ?= $(CURDIR)/.home
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup setup-test model run ingest test lint bench eval gate load browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# torch first, from its CPU wheel, so pip never pulls a CUDA build
$(VENV)/.torch: | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
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

run: ingest
	$(BIN)/vraagbaak serve

# Debian's chromium for the browser tests (Playwright's own browser download is not reachable)
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: setup-test model browser
	$(BIN)/ruff check ingest index app evals tests
	$(BIN)/python -m pytest -q
	$(MAKE) --no-print-directory eval

# The eval sets against the baselines; reports in docs/eval/ (the README quotes them)
eval: model
	$(BIN)/vraagbaak ingest --quiet
	$(BIN)/vraagbaak eval evals/dev.jsonl --compare --report docs/eval/dev --out docs/eval/dev/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout.jsonl --compare --report docs/eval/heldout --out docs/eval/heldout/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_b.jsonl --compare --report docs/eval/heldout_b --out docs/eval/heldout_b/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_c.jsonl --compare --report docs/eval/heldout_c --out docs/eval/heldout_c/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_d.jsonl --compare --report docs/eval/heldout_d --out docs/eval/heldout_d/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_e.jsonl --compare --report docs/eval/heldout_e --out docs/eval/heldout_e/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_f.jsonl --compare --report docs/eval/heldout_f --out docs/eval/heldout_f/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_g.jsonl --compare --report docs/eval/heldout_g --out docs/eval/heldout_g/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_h.jsonl --compare --report docs/eval/heldout_h --out docs/eval/heldout_h/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_i.jsonl --compare --report docs/eval/heldout_i --out docs/eval/heldout_i/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_j.jsonl --compare --report docs/eval/heldout_j --out docs/eval/heldout_j/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_k.jsonl --compare --report docs/eval/heldout_k --out docs/eval/heldout_k/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_l.jsonl --compare --report docs/eval/heldout_l --out docs/eval/heldout_l/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_m.jsonl --compare --report docs/eval/heldout_m --out docs/eval/heldout_m/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_n.jsonl --compare --report docs/eval/heldout_n --out docs/eval/heldout_n/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_o.jsonl --compare --report docs/eval/heldout_o --out docs/eval/heldout_o/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_p.jsonl --compare --report docs/eval/heldout_p --out docs/eval/heldout_p/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_q.jsonl --compare --report docs/eval/heldout_q --out docs/eval/heldout_q/predictions.jsonl
	$(BIN)/vraagbaak eval evals/heldout_r.jsonl --compare --report docs/eval/heldout_r --out docs/eval/heldout_r/predictions.jsonl

# The release thresholds on the held-aside sets (issue 4); exits 1 while they are not met
gate: model
	$(BIN)/vraagbaak ingest --quiet
	$(BIN)/vraagbaak eval evals/heldout.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_b.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_c.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_d.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_e.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_f.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_g.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_h.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_i.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_j.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_k.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_l.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_m.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_n.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_o.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_p.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_q.jsonl --gate
	$(BIN)/vraagbaak eval evals/heldout_r.jsonl --gate

lint: setup-test
	$(BIN)/ruff check ingest index app evals tests

bench: model
	$(BIN)/vraagbaak bench

# 20 concurrent askers, 200 questions, against a real server on loopback (the README quotes it)
load: ingest
	$(BIN)/vraagbaak serve --port 7871 & pid=$$!; \
	  for i in $$(seq 120); do curl -sf -o /dev/null http://127.0.0.1:7871/ && break; sleep 1; done; \
	  $(BIN)/vraagbaak load --url http://127.0.0.1:7871/ --askers 20 --total 200; status=$$?; kill $$pid; exit $$status

clean:
	rm -rf $(VENV) .home
