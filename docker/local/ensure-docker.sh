#!/usr/bin/env bash
# Make a Docker engine reachable, from Debian packages only (no registry):
#   - docker.io (engine 20.10) and debootstrap installed with apt-get when missing;
#   - dockerd started on its default socket when no engine answers. It is started without the default
#     bridge and without iptables rules, so it leaves the machine's network alone: every build and
#     container here uses the host network.
# Run as root (as .ci/run does) or with an engine already running.
set -euo pipefail

log() { echo "[ensure-docker] $*" >&2; }
SUDO=''
[ "$(id -u)" -eq 0 ] || SUDO='sudo'

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  exit 0
fi

log "starting dockerd (no default bridge, no iptables; log: /var/log/dockerd-pbh.log)"
$SUDO sh -c 'setsid nohup dockerd --bridge=none --iptables=false --ip6tables=false >/var/log/dockerd-pbh.log 2>&1 </dev/null &'
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 0.5
done
log "dockerd did not come up; last log lines:"
tail -n 20 /var/log/dockerd-pbh.log >&2 || true
exit 1
