# syntax=docker/dockerfile:1
# The tiergate image: `docker build -t tiergate .`, then `docker run --rm -v "$PWD:/src" tiergate check`.
#
# Two stages. The first builds the release tarball with ci/release.sh (the Swift runtime linked in); the second is
# a slim runtime with only what the binary needs beyond it, libgit2 and libyaml, installed from the packages the
# tarball names (share/tiergate/runtime-packages). Both stages must be the same distribution (the same library
# versions): swift:6.3-noble and ubuntu:24.04, as the release tarball.
ARG SWIFT_IMAGE=swift:6.3-noble
ARG RUNTIME_IMAGE=ubuntu:24.04

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libgit2-dev libyaml-dev pkg-config binutils \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources Sources
COPY ci/release.sh ci/release.sh
COPY README.md ./
RUN DIST=/dist BUILD_PATH=/build ci/release.sh \
 && mkdir /opt/tiergate \
 && tar -xzf /dist/tiergate-*.tar.gz -C /opt/tiergate --strip-components=1

FROM ${RUNTIME_IMAGE}
COPY --from=build /opt/tiergate /opt/tiergate
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(cat /opt/tiergate/share/tiergate/runtime-packages) \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s /opt/tiergate/bin/tiergate /usr/local/bin/tiergate \
 && tiergate --version
# pre-commit's docker_image hooks and `docker run -v "$PWD:/src"` mount the repository here.
WORKDIR /src
ENTRYPOINT ["tiergate"]
CMD ["--help"]
