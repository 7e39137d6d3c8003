# CapsKit — build, test and run the capsule-network text pipeline.
# `make` alone lists the targets.

SWIFT      ?= swift
CONFIG     ?= release
BUILD_DIR  := .build/$(CONFIG)
APT_PKGS   := libopenblas-dev libhdf5-dev hdf5-tools zlib1g-dev pkg-config

.DEFAULT_GOAL := help
.PHONY: help deps build test

help: ## list the targets
	@echo "CapsKit targets:"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

deps: ## install the C libraries (apt-get) when missing
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "deps: $(APT_PKGS) already installed"; fi

build: ## build the tools (release)
	$(SWIFT) build -c $(CONFIG)

test: ## run the test suite (skips tests whose ../shared data is absent)
	$(SWIFT) test
