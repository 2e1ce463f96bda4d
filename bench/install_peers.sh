#!/bin/sh
# Install the peers that bench.terminal_cost compares watchdeck with: htop, btop and
# glances, from Debian's packages. Idempotent: apt is not touched when all three are
# already on PATH. Needs root (or sudo) for apt-get.
set -eu

missing=""
for program in htop btop glances; do
    command -v "$program" >/dev/null 2>&1 || missing="$missing $program"
done

if [ -z "$missing" ]; then
    echo "htop, btop and glances are already installed"
    exit 0
fi

echo "installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
else
    sudo="sudo"
fi
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y htop btop glances
