# thucnews — Chinese news-title topics (THUCNews subset, 10 classes) at
# character level with the Tencent 200-d character vectors: exactly the
# 40×200 reference design.
# The best configuration measured (README, Results): fine-tuned embeddings,
# dropout 0.7 on conv1, no decoder, the moving average of the weights
# (decay 0.99) validated and kept. The reference model:
#   make train PIPELINE=thucnews RUN=thucnews-ref EPOCHS=10 FIT_ARGS=
SHARED        ?= ../shared
DATA          := $(SHARED)/data/zh/thucnews_title
VECTORS       ?= $(SHARED)/vectors/tencent_char200.txt
TOKENIZE_ARGS := --char-level
EPOCHS        ?= 20
FIT_ARGS      ?= --fine-tune-embeddings --dropout 0.7 --lam-recon 0 --average-decay 0.99
