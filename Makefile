# CapsKit — build, test and run the capsule-network text pipeline.
# `make` alone lists the targets.
#
# The pipeline (make train) chains the tools through files in runs/$(RUN)/:
#   tokenize → train.tokens.h5, test.tokens.h5   embed → train.emb.h5, test.emb.h5
#   capsfit  → model.h5   capseval → scores.h5, metrics.json, report.txt, plots/
#   capsexport → export/
# Every stage is an ordinary make rule: it reruns only when its inputs, its
# tool or its options changed, so a second `make train` with nothing changed
# does no work.

SWIFT      ?= swift
CONFIG     ?= release
BIN        := .build/$(CONFIG)
APT_PKGS   := libopenblas-dev libhdf5-dev hdf5-tools zlib1g-dev pkg-config
CACHE      ?= cache
SHARED     ?= ../shared
PYTHON     ?= python3
TOOLS      := tokenize embed capssplit capsfit capseval capsexport

# ---- pipeline parameters (override on the command line) ----
# PIPELINE names a preset in pipelines/; with neither DATA nor PIPELINE, `demo`.
ifeq ($(strip $(DATA)$(PIPELINE)),)
PIPELINE   := demo
endif
ifneq ($(strip $(PIPELINE)),)
include pipelines/$(PIPELINE).mk
endif
SEED       ?= 1
# At most 20 epochs: the default configuration stops early (--patience 3).
EPOCHS     ?= 20
THREADS    ?= $(shell nproc)
RUN        ?= $(if $(PIPELINE),$(PIPELINE),$(basename $(notdir $(DATA))))
RUN_DIR    := runs/$(RUN)
TOKENIZE_ARGS ?=
# Tokens per document the lexical capsules read (tokenize --lexical-len):
# the bag of n-grams covers a review past the 40 tokens the convolutions see.
# Used only by models with lexical capsules (the default configuration);
# LEXICAL_LEN= (empty) keeps none.
LEXICAL_LEN   ?= 512
EMBED_ARGS    ?=
# capsfit's flags. Default: the recommended configuration (capsfit
# --recommended: lexical capsules, fine-tuned embeddings, no decoder, early
# stopping; at or above TF-IDF+LR on most dev sets, README). The mission's
# reference design is PIPELINE=reference, or FIT_ARGS= (empty).
FIT_ARGS      ?= --recommended
ARGS          ?=
VECTORS       ?=
TEST_FRACTION ?= 0.1

.DEFAULT_GOAL := help
.PHONY: help deps build test bench bench-scale baselines train eval explain export clean fuzz fuzz-build fuzz-smoke FORCE

help: ## list the targets
	@echo "CapsKit targets:"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'
	@echo "Pipeline variables: DATA=dir|file PIPELINE=$(notdir $(basename $(wildcard pipelines/*.mk))) RUN=name"
	@echo "                    VECTORS=file EPOCHS=n SEED=s THREADS=n ARGS='extra capsfit flags' FIT_ARGS='all capsfit flags'"
	@echo "                    FIT_ARGS='--autotune 9' searches on the validation split; PIPELINE=reference is the reference design"

deps: ## install the C libraries (apt-get) when missing
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "deps: $(APT_PKGS) already installed"; fi

build: ## build the tools (release) into .build/release
	$(SWIFT) build -c $(CONFIG)

test: ## run the test suite (tests needing ../shared skip when it is absent)
	$(SWIFT) test --disable-swift-testing

bench: build ## measure training and inference throughput (samples/s)
	$(BIN)/capsbench $(BENCH_ARGS)

# Every stage at a million documents (issue 13): THUCNews titles from
# $(SHARED) repeated and shuffled to BENCH_DOCS (default 1,000,000) documents,
# tokenize → embed → capsfit (1 epoch) → capseval, each stage's documents/s and
# peak RSS (GNU time) in a table; fails if a stage peaks above 1.5 GiB. Not
# part of `make test` or CI: it needs ../shared, ~10 GB of scratch in
# runs/bench-scale and tens of minutes. Tests/Benchmarks/bench_scale.sh says more.
BENCH_DOCS      ?= 1000000
BENCH_EVAL_DOCS ?= 100000
bench-scale: ## every stage on 1 M documents: documents/s and peak RSS (≤ 1.5 GiB)
	DOCS=$(BENCH_DOCS) EVAL_DOCS=$(BENCH_EVAL_DOCS) SHARED=$(SHARED) THREADS=$(THREADS) \
	  OUT=runs/bench-scale Tests/Benchmarks/bench_scale.sh

# TF-IDF+LR and fastText on the same train.tsv/test.tsv as `make train DATA=dir`,
# for every dataset folder of $(SHARED)/data (zh/* at character level). Not part
# of `make test` or CI: it needs scikit-learn (pip install scikit-learn) and
# Debian's fasttext (apt-get install fasttext), and installs neither.
BASELINE_SEEDS ?= 1,2,3
BASELINE_ARGS  ?=
BASELINE_DIRS  := $(patsubst %/train.tsv,%,$(wildcard $(SHARED)/data/*/train.tsv $(SHARED)/data/*/*/train.tsv))
BASELINE_CHAR  := $(filter $(SHARED)/data/zh/%,$(BASELINE_DIRS))
baselines: ## TF-IDF+LR and fastText (seeds 1,2,3) on every ../shared/data set → runs/baselines/
	@test -n "$(BASELINE_DIRS)" || { echo "make: no dataset folder with a train.tsv under $(SHARED)/data (set SHARED=path)"; exit 1; }
	@mkdir -p runs/baselines
	$(PYTHON) Tests/Benchmarks/baselines.py --seeds $(BASELINE_SEEDS) $(BASELINE_ARGS) \
	  $(filter-out $(BASELINE_CHAR),$(BASELINE_DIRS)) $(addprefix --char ,$(BASELINE_CHAR)) \
	  -o runs/baselines/baselines.tsv --json runs/baselines/baselines.json
	@column -t -s "$$(printf '\t')" runs/baselines/baselines.tsv 2>/dev/null || cat runs/baselines/baselines.tsv

# ---------------------------------------------------------------------------
# Fuzzing
# ---------------------------------------------------------------------------
# libFuzzer targets for the readers (text, vectors, artifacts), in Fuzz/: a
# package of its own that depends on this one by path, so `swift build` and
# `swift test` here never build them. Debug configuration (Swift's bounds and
# overflow checks stay on), AddressSanitizer + LeakSanitizer and libFuzzer
# from the Swift toolchain's own runtime, scratch path .build-fuzz. Corpora
# grow in .build-fuzz/corpus/<target>; findings land in .build-fuzz/findings/.
FUZZ_SECONDS ?= 60
FUZZ_TARGET  ?=
FUZZ_TARGETS := $(filter-out fuzz-seeds,$(notdir $(wildcard Fuzz/Sources/fuzz-*)))
FUZZ_SMOKE_SECONDS ?= 5

fuzz-build: ## build the fuzz targets into .build-fuzz and write their seed corpora
	@mkdir -p .build-fuzz; $(SWIFT) build --package-path Fuzz --scratch-path .build-fuzz \
	  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
	  > .build-fuzz/build.log 2>&1 || { grep -v "Cannot export local symbol" .build-fuzz/build.log | tail -40; exit 1; }
	@SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 .build-fuzz/debug/fuzz-seeds .build-fuzz/seeds 2>/dev/null

fuzz: fuzz-build ## run each fuzz target FUZZ_SECONDS (60) seconds; FUZZ_TARGET=name for one
	Fuzz/fuzz.sh $(FUZZ_SECONDS) $(or $(FUZZ_TARGET),$(FUZZ_TARGETS))

fuzz-smoke: ## build the fuzz targets and run each for FUZZ_SMOKE_SECONDS (5) seconds
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)

# ---------------------------------------------------------------------------
# The pipeline
# ---------------------------------------------------------------------------
# Input data: DATA is a folder with train.tsv [dev.tsv] test.tsv, or one
# labeled file that is split (stratified, seeded) into train and test.
ifneq ($(wildcard $(DATA)/train.*),)
TRAIN_TEXT := $(firstword $(wildcard $(DATA)/train.tsv $(DATA)/train.csv $(DATA)/train.txt))
TEST_TEXT  := $(firstword $(wildcard $(DATA)/test.tsv $(DATA)/test.csv $(DATA)/test.txt))
else
TRAIN_TEXT := $(RUN_DIR)/data/train.tsv
TEST_TEXT  := $(RUN_DIR)/data/test.tsv
$(TRAIN_TEXT) $(TEST_TEXT) &: $(DATA) $(RUN_DIR)/split.opts | $(BIN)/capssplit
	$(BIN)/capssplit --test-fraction $(TEST_FRACTION) --seed $(SEED) $(SPLIT_ARGS) $(DATA) -o $(RUN_DIR)/data
endif

# One file per stage holds that stage's options; it is rewritten only when
# they change, so make's timestamps see option changes too.
define options_file
$(RUN_DIR)/$(1).opts: FORCE
	@mkdir -p $(RUN_DIR); printf '%s\n' '$(2)' | cmp -s - $$@ 2>/dev/null || printf '%s\n' '$(2)' > $$@
endef
$(eval $(call options_file,split,$(TEST_FRACTION) $(SEED) $(SPLIT_ARGS)))
$(eval $(call options_file,tokenize,$(LEXICAL_LEN) $(TOKENIZE_ARGS)))
$(eval $(call options_file,embed,$(VECTORS) $(SEED) $(EMBED_ARGS)))
$(eval $(call options_file,fit,$(EPOCHS) $(SEED) $(THREADS) $(FIT_ARGS) $(ARGS)))

# The tools are brought up to date (a no-op when nothing changed) before any
# stage runs. They are order-only prerequisites of the stages: a stage reruns
# when its inputs or options change, not because a tool was rebuilt
# (`make clean` or touching an input forces it).
$(addprefix $(BIN)/,$(TOOLS)) &: FORCE
	@mkdir -p .build; $(SWIFT) build -c $(CONFIG) > .build/make-tools.log 2>&1 \
	  || { cat .build/make-tools.log; echo "make: building the tools failed (log: .build/make-tools.log)"; exit 1; }

$(RUN_DIR)/train.tokens.h5: $(TRAIN_TEXT) $(RUN_DIR)/tokenize.opts | $(BIN)/tokenize
	$(BIN)/tokenize $(if $(LEXICAL_LEN),--lexical-len $(LEXICAL_LEN)) $(TOKENIZE_ARGS) $(TRAIN_TEXT) -o $@

$(RUN_DIR)/test.tokens.h5: $(TEST_TEXT) $(RUN_DIR)/train.tokens.h5 $(RUN_DIR)/tokenize.opts | $(BIN)/tokenize
	$(BIN)/tokenize $(TOKENIZE_ARGS) --vocab $(RUN_DIR)/train.tokens.h5 --extend-vocab $(TEST_TEXT) -o $@

$(RUN_DIR)/%.emb.h5: $(RUN_DIR)/%.tokens.h5 $(RUN_DIR)/embed.opts $(VECTORS) | $(BIN)/embed
	$(BIN)/embed $(if $(VECTORS),--vectors $(VECTORS)) --seed $(SEED) $(EMBED_ARGS) $< -o $@

$(RUN_DIR)/model.h5: $(RUN_DIR)/train.emb.h5 $(RUN_DIR)/fit.opts | $(BIN)/capsfit
	$(BIN)/capsfit --epochs $(EPOCHS) --seed $(SEED) --threads $(THREADS) --val-split 0.1 \
	  --log $(RUN_DIR)/history.csv $(FIT_ARGS) $(ARGS) $< -o $@

$(RUN_DIR)/scores.h5 $(RUN_DIR)/metrics.json $(RUN_DIR)/report.txt &: $(RUN_DIR)/model.h5 $(RUN_DIR)/test.emb.h5 | $(BIN)/capseval
	$(BIN)/capseval --model $(RUN_DIR)/model.h5 --json $(RUN_DIR)/metrics.json --plot $(RUN_DIR)/plots \
	  --threads $(THREADS) $(RUN_DIR)/test.emb.h5 -o $(RUN_DIR)/scores.h5 > $(RUN_DIR)/report.txt.tmp
	mv $(RUN_DIR)/report.txt.tmp $(RUN_DIR)/report.txt

# capseval --explain (EXPLAIN_ARGS, e.g. --explain-documents 0 --reconstruct) and --faithfulness.
EXPLAIN_ARGS ?= --explain-documents 100
$(RUN_DIR)/explain.html $(RUN_DIR)/faithfulness.txt &: $(RUN_DIR)/model.h5 $(RUN_DIR)/test.emb.h5 | $(BIN)/capseval
	$(BIN)/capseval --model $(RUN_DIR)/model.h5 --threads $(THREADS) $(EXPLAIN_ARGS) --explain $(RUN_DIR)/explain.html \
	  --faithfulness $(RUN_DIR)/faithfulness.txt $(RUN_DIR)/test.emb.h5 > /dev/null

$(RUN_DIR)/export/.done: $(RUN_DIR)/model.h5 | $(BIN)/capsexport
	@mkdir -p $(RUN_DIR)/export
	$(BIN)/capsexport --format h5 $< -o $(RUN_DIR)/export/weights.h5
	$(BIN)/capsexport --format npz $< -o $(RUN_DIR)/export/weights.npz
	$(BIN)/capsexport --format summary $< -o $(RUN_DIR)/export/summary.txt
	@touch $@

# After the report: TF-IDF+LR (scikit-learn, the protocol of `make baselines`)
# trained and scored on the same train.tsv/test.tsv, beside the model's
# accuracy; computed once per trained model (runs/NAME/baseline.txt).
# BASELINE= skips it; without scikit-learn it says how to get it.
BASELINE ?= tfidf
BASELINE_CHAR := $(if $(findstring --char-level,$(TOKENIZE_ARGS)),--char)
train: $(RUN_DIR)/report.txt $(RUN_DIR)/export/.done ## run the pipeline: DATA=... or PIPELINE=trec|mr|thucnews|demo
	@cat $(RUN_DIR)/report.txt
ifneq ($(BASELINE),)
ifneq ($(filter %.tsv,$(TRAIN_TEXT)),)
	@if [ $(RUN_DIR)/baseline.txt -nt $(RUN_DIR)/metrics.json ]; then cat $(RUN_DIR)/baseline.txt; \
	 else $(PYTHON) Tests/Benchmarks/baseline_beside.py $(dir $(TRAIN_TEXT)) $(RUN_DIR)/metrics.json \
	   $(BASELINE_CHAR) -o $(RUN_DIR)/baseline.txt; fi
endif
endif

eval: $(RUN_DIR)/report.txt ## score the test set with the trained model
	@cat $<

explain: $(RUN_DIR)/explain.html $(RUN_DIR)/faithfulness.txt ## explain the test predictions (HTML page) and run the deletion test
	@cat $(RUN_DIR)/faithfulness.txt
	@echo "explanations of the first test documents: $(RUN_DIR)/explain.html (open it in a browser)"

export: $(RUN_DIR)/export/.done ## export the trained weights (h5, npz, summary)
	@ls -l $(RUN_DIR)/export

clean: ## remove runs/$(RUN)
	rm -rf $(RUN_DIR)

FORCE:
