# mr — English movie-review polarity (MR, 2 classes), GloVe 6B 50-d vectors;
# test = fold 0 of the usual 10-fold split (../shared/data/en/mr).
# The best configuration measured (README, Results; also the best validation
# accuracy): fine-tuned embeddings, dropout 0.7 on conv1 and 0.3 on the word
# vectors, no decoder, batch 50, the moving average of the weights (decay
# 0.995) validated and kept, 20 epochs. The reference model:
#   make train PIPELINE=mr RUN=mr-ref EPOCHS=10 FIT_ARGS=
SHARED        ?= ../shared
DATA          := $(SHARED)/data/en/mr
VECTORS       ?= $(SHARED)/vectors/glove.6B.50d.txt
EPOCHS        ?= 20
FIT_ARGS      ?= --fine-tune-embeddings --dropout 0.7 --input-dropout 0.3 --lam-recon 0 \
                 --average-decay 0.995 --batch 50
