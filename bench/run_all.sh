#!/bin/sh
# Run every benchmark of the README's "Cost on a shared host" section, one after the
# other, so that its figures come from one run on one machine. Prints the commit,
# the time and the load before each program. Took 14 minutes on a 2-core machine;
# run it on an otherwise quiet machine (not beside the test suite), from the
# repository root.
set -eu

python=.venv/bin/python
bash bench/install_peers.sh

run() {
    echo
    echo "## $* (commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ', modified')," \
        "$(date -u '+%Y-%m-%d %H:%M:%S') UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
    "$python" -m "$@"
}

run bench.terminal_cost --markdown
run bench.start_time
run bench.key_latency
run bench.scale
run bench.polling_cost
run bench.cloudwatch_cost
