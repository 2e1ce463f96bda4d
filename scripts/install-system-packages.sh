#!/usr/bin/env bash
# Installs the Debian packages the test suite drives: tmux for the end-to-end test,
# and the real servers the integration tests start on loopback (Prometheus,
# Alertmanager, PostgreSQL), and rsvg-convert to look at snapshot SVGs as PNG
# before pinning them.
# Does nothing when they are all present; needs root (or sudo) only when one is not.
set -euo pipefail

packages=(tmux prometheus prometheus-alertmanager postgresql librsvg2-bin)
commands=(tmux prometheus prometheus-alertmanager /usr/lib/postgresql/15/bin/initdb
  rsvg-convert)

missing=()
for i in "${!commands[@]}"; do
    command -v "${commands[$i]}" >/dev/null 2>&1 || [ -x "${commands[$i]}" ] \
        || missing+=("${packages[$i]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    run=()
elif command -v sudo >/dev/null 2>&1; then
    run=(sudo)
else
    echo "install these Debian packages first (needs root): ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The packages start their own services; the tests start private copies on
# loopback instead, so the system ones are stopped where a service manager runs.
for service in prometheus prometheus-alertmanager postgresql; do
    "${run[@]}" service "$service" stop >/dev/null 2>&1 || true
done
