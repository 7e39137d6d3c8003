# mr — English movie-review polarity (MR, 2 classes), GloVe 6B 50-d vectors.
SHARED        ?= ../shared
DATA          := $(SHARED)/data/en/mr
VECTORS       ?= $(SHARED)/vectors/glove.6B.50d.txt
EPOCHS        ?= 10
