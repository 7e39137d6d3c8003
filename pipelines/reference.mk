# reference — the mission's reference design on any DATA: static vectors,
# conv1 256×4×D, 32 primary capsules of 8, dynamic routing (3), decoder
# 512→1024, margin loss, Adam 1e-3 ×0.9 per epoch, 10 epochs: capsfit's own
# defaults, which the golden tests pin. E.g.
#   make train PIPELINE=reference DATA=../shared/data/en/trec VECTORS=../shared/vectors/glove.6B.50d.txt
EPOCHS        ?= 10
FIT_ARGS      :=
RUN           ?= $(basename $(notdir $(DATA)))-reference
ifeq ($(strip $(DATA)),)
$(error PIPELINE=reference needs DATA=dir|file (and VECTORS=file for real word vectors))
endif
