# syntax=docker/dockerfile:1
# The operator's image (what manifests/30-deployment.yaml runs), and the plugin's Linux executable:
#
#   docker build -t ghcr.io/apprelease/apprelease-controller:v0.1.0 .
#   docker build --target plugin --output type=local,dest=dist/ .    # dist/kubectl-apprelease
#
# Both are built with --static-swift-stdlib: the Swift runtime and Foundation are linked in, so
# the runtime stage needs no Swift, only the C libraries the client uses (libcurl, libyaml), the
# C++ runtime the Swift runtime links (libstdc++6, part of the base image) and CA certificates.
# The runtime stage uses the builder's distribution (Ubuntu 24.04, noble) so those libraries are
# the ones the binaries were linked against.

# The toolchain the project is tested with; the same tag on amd64 and arm64.
ARG SWIFT_IMAGE=swift:6.3.1-noble
ARG RUNTIME_IMAGE=ubuntu:24.04

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libcurl4-openssl-dev libyaml-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package.swift names every target's directory (tests and benchmarks too), so all of them must
# be there for the package to load; .dockerignore keeps local build output out.
COPY Package.* ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
# The build directory is a cache mount: dependencies are compiled once and reused by the next
# build, so the binaries are copied out of it to /out.
RUN --mount=type=cache,target=/src/.build \
    swift build -c release --static-swift-stdlib --product apprelease-controller \
 && swift build -c release --static-swift-stdlib --product kubectl-apprelease \
 && bin="$(swift build -c release --show-bin-path)" \
 && mkdir -p /out \
 && cp "$bin/apprelease-controller" "$bin/kubectl-apprelease" /out/

# `--target plugin --output …` exports the plugin alone, for the release tarball
# (kubectl-apprelease_linux_<arch>.tar.gz, see plugins/apprelease.yaml).
FROM scratch AS plugin
COPY --from=build /out/kubectl-apprelease /kubectl-apprelease

FROM ${RUNTIME_IMAGE} AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libcurl4t64 libyaml-0-2 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/apprelease-controller /usr/local/bin/apprelease-controller
COPY --from=build /out/kubectl-apprelease /usr/local/bin/kubectl-apprelease
COPY LICENSE /usr/share/doc/apprelease/LICENSE
# A shared library missing from this stage fails the image build here, not the pod at start.
RUN ! ldd /usr/local/bin/apprelease-controller /usr/local/bin/kubectl-apprelease | grep 'not found'
# /metrics and /healthz, /readyz (the controller's default addresses).
EXPOSE 8080 8081
# Numeric, so runAsNonRoot can verify it without a passwd entry (the Deployment sets 65532 too).
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/apprelease-controller"]
