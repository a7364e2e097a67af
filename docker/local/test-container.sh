#!/usr/bin/env bash
# `npm run test:container`: the project's image built and tested on this machine, no registry involved.
#   1. a Docker engine (docker/local/ensure-docker.sh: apt-get docker.io, dockerd on the host network);
#   2. the local base images (docker/local/base-images.sh; kept between runs; PostgreSQL's alongside 3);
#   3. the project's image from the Dockerfile with NODE_IMAGE = the local node image (legacy builder,
#      host network; unchanged layers come from the build cache);
#   4. the container tests (jest.container.config.js) through testcontainers.
# Each step's wall time and the image size are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOCKER_BUILDKIT=0

declare -a timings=()
step() { local t0=$SECONDS; "$@"; timings+=("$(printf '%-12s %4ds' "$label" $((SECONDS - t0)))"); }

label=docker step bash docker/local/ensure-docker.sh
bases=''
base_images() { bases="$(bash docker/local/base-images.sh debian node)"; }
label=base-images step base_images
eval "$bases"

# The PostgreSQL image (apt-get inside) is only needed by the tests: it builds while the project's image
# does, both mostly waiting on downloads.
pg_log="$(mktemp /tmp/pbh-postgres-image.XXXXXX.log)"
bash docker/local/base-images.sh postgres >/dev/null 2>"$pg_log" &
pg_job=$!

IMAGE="${PBH_TEST_IMAGE:-precision-benefit-hooks:test}"
build() {
  docker build -q --network host --build-arg NODE_IMAGE="$NODE_IMAGE" -t "$IMAGE" . >/dev/null 2> >(grep -v -E 'DEPRECATED|BuildKit|environment-variable|^\s*$' >&2)
}
label=image-build step build
postgres_image() { wait "$pg_job" || { cat "$pg_log" >&2; return 1; }; }
label=postgres-wait step postgres_image
rm -f "$pg_log"

export PBH_TEST_IMAGE="$IMAGE" PBH_TEST_POSTGRES_IMAGE="$POSTGRES_IMAGE"
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost
label=tests step npx jest -c jest.container.config.js

size="$(docker image inspect -f '{{.Size}}' "$IMAGE")"
echo
echo "test:container timings (wall):"
printf '  %s\n' "${timings[@]}"
echo "image $IMAGE: $((size / 1000000)) MB (base $NODE_IMAGE: $(( $(docker image inspect -f '{{.Size}}' "$NODE_IMAGE") / 1000000 )) MB)"
