# reuters — English news topics, Reuters-21578 ApteMod (90 classes,
# multi-label: 1.24 topics per document), GloVe 6B 50-d vectors; 40×50.
# Data and vectors from ../shared (see its README). The labels of a row are
# "a,b" before the tab, so tokenize splits them (--label-separator ,); capsfit
# then trains multi-label by itself (the margin loss over every topic,
# validation by micro-F1 at capsule length 0.5), with the default
# configuration, and capseval reports micro/macro F1, exact match, Hamming
# loss and P@k.
SHARED        ?= ../shared
DATA          := $(SHARED)/data/en/reuters
VECTORS       ?= $(SHARED)/vectors/glove.6B.50d.txt
TOKENIZE_ARGS ?= --label-separator ,
