#!/usr/bin/env bash
# Installs the Debian packages this project needs on a development or CI machine.
# Idempotent: apt is skipped entirely when every command is already present.
#
#   kcat               librdkafka's mock Kafka cluster (local broker for tests/dev)
#   postgresql-client  psql, pg_isready (only if psql is missing)
#   redis-tools        redis-cli        (only if redis-cli is missing)
set -euo pipefail

log() { echo "[system-deps] $*"; }

declare -a packages=()
command -v kcat >/dev/null 2>&1 || packages+=(kcat)
command -v psql >/dev/null 2>&1 || packages+=(postgresql-client)
command -v redis-cli >/dev/null 2>&1 || packages+=(redis-tools)

if [ "${#packages[@]}" -eq 0 ]; then
  log "kcat, psql and redis-cli are present: nothing to install"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  log "missing: ${packages[*]}, and apt-get is not available: install them with your package manager" >&2
  exit 1
fi

declare -a as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo -n)
  else
    log "missing: ${packages[*]}; run this script as root (or install sudo)" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
log "apt-get update"
"${as_root[@]}" apt-get update -qq
log "apt-get install ${packages[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"

for cmd in kcat psql redis-cli; do
  command -v "$cmd" >/dev/null 2>&1 || { log "$cmd is still missing after the install" >&2; exit 1; }
done
log "done: ${packages[*]} installed"
