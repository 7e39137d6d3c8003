# trec — English question type (TREC, 6 classes), GloVe 6B 50-d vectors.
# Data and vectors from ../shared (see its README); 40×50 matrices.
SHARED        ?= ../shared
DATA          := $(SHARED)/data/en/trec
VECTORS       ?= $(SHARED)/vectors/glove.6B.50d.txt
EPOCHS        ?= 10
