# trec — English question type (TREC, 6 classes), GloVe 6B 50-d vectors.
# Data and vectors from ../shared (see its README); 40×50 matrices.
# The best configuration measured (README, Results): fine-tuned embeddings,
# dropout 0.5 on conv1, no decoder, 20 epochs. The reference model:
#   make train PIPELINE=trec RUN=trec-ref EPOCHS=12 FIT_ARGS=
SHARED        ?= ../shared
DATA          := $(SHARED)/data/en/trec
VECTORS       ?= $(SHARED)/vectors/glove.6B.50d.txt
EPOCHS        ?= 20
FIT_ARGS      ?= --fine-tune-embeddings --dropout 0.5 --lam-recon 0
