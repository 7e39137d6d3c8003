# thucnews — Chinese news-title topics (THUCNews subset, 10 classes) at
# character level with the Tencent 200-d character vectors: exactly the
# 40×200 reference design.
SHARED        ?= ../shared
DATA          := $(SHARED)/data/zh/thucnews_title
VECTORS       ?= $(SHARED)/vectors/tencent_char200.txt
TOKENIZE_ARGS := --char-level
EPOCHS        ?= 10
