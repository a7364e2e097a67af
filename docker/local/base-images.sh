#!/usr/bin/env bash
# Base images made on this machine, without any container registry, kept between runs (skipped when the
# tag exists; PBH_REBUILD_BASE=1 rebuilds):
#   pbh-local/debian:bookworm        debootstrap --variant=minbase from the Debian mirror apt already uses
#   pbh-local/node:<ver>-bookworm    + this machine's node and npm, its CA bundle (npm trusts the registry
#                                    certificate as the machine does), user "node" uid 1000 — the layout of
#                                    the public node:*-bookworm-slim images, so the Dockerfile works on both
#   pbh-local/postgres:15-bookworm   + Debian's postgresql-15 (docker/local/postgres.Dockerfile)
# Arguments: which of debian, node, postgres to make (default: all; node and postgres make debian first).
# Prints the three tags as KEY=value lines on stdout (NODE_IMAGE=..., POSTGRES_IMAGE=..., DEBIAN_IMAGE=...).
set -euo pipefail
export DOCKER_BUILDKIT=0 # the legacy builder: no buildx here

here="$(cd "$(dirname "$0")" && pwd)"
log() { echo "[base-images] $*" >&2; }
has() { [ "${PBH_REBUILD_BASE:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }
SUDO=''
[ "$(id -u)" -eq 0 ] || SUDO='sudo'

# The first Debian (not -security) mirror in apt's sources, one-line or deb822 format.
mirror="${PBH_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror="$( (cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null || true) |
    sed -n -E 's/^(deb(\s+\[[^]]*\])?|URIs:)\s+(\S+).*/\3/p' | grep -E '/debian/?$' | head -n 1 || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"

DEBIAN_IMAGE=pbh-local/debian:bookworm
node_bin="$(readlink -f "$(command -v node)")"
node_version="$("$node_bin" -p 'process.versions.node')"
NODE_IMAGE="pbh-local/node:${node_version}-bookworm"
POSTGRES_IMAGE=pbh-local/postgres:15-bookworm
want=" ${*:-debian node postgres} "
wants() { [[ "$want" == *" $1 "* ]]; }

if ! has "$DEBIAN_IMAGE"; then
  log "debootstrap bookworm (minbase) from $mirror"
  root="$(mktemp -d /tmp/pbh-rootfs.XXXXXX)"
  trap '$SUDO rm -rf "$root"' EXIT
  $SUDO debootstrap --variant=minbase bookworm "$root" "$mirror" >/tmp/pbh-debootstrap.log 2>&1 ||
    { tail -n 30 /tmp/pbh-debootstrap.log >&2; exit 1; }
  echo "deb $mirror bookworm main" | $SUDO tee "$root/etc/apt/sources.list" >/dev/null
  $SUDO rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  $SUDO tar -C "$root" -c . | docker import -c 'CMD ["bash"]' - "$DEBIAN_IMAGE" >/dev/null
  $SUDO rm -rf "$root"
  trap - EXIT
fi

if wants node && ! has "$NODE_IMAGE"; then
  log "node image from $node_bin ($node_version)"
  ctx="$(mktemp -d /tmp/pbh-node-ctx.XXXXXX)"
  npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
  cp "$node_bin" "$ctx/node"
  cp -a "$npm_dir" "$ctx/npm"
  # the bundle the machine's tools use (it carries any locally added CA, e.g. an egress proxy's)
  cp "$(readlink -f /etc/ssl/certs/ca-certificates.crt)" "$ctx/ca-certificates.crt"
  cp "$here/node.Dockerfile" "$ctx/Dockerfile"
  docker build -q --network host --build-arg BASE="$DEBIAN_IMAGE" -t "$NODE_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

if wants postgres && ! has "$POSTGRES_IMAGE"; then
  log "postgres image (Debian postgresql-15)"
  docker build -q --network host --build-arg BASE="$DEBIAN_IMAGE" -t "$POSTGRES_IMAGE" \
    -f "$here/postgres.Dockerfile" "$here" >/dev/null
fi

echo "DEBIAN_IMAGE=$DEBIAN_IMAGE"
echo "NODE_IMAGE=$NODE_IMAGE"
echo "POSTGRES_IMAGE=$POSTGRES_IMAGE"
