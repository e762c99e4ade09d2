#!/usr/bin/env bash
# Type-checks a TypeScript project: tsc_check_test.sh TSC TSCONFIG (runfiles paths).
#
# tsc looks for packages in node_modules directories above the sources, but in the runfiles tree
# @npm's node_modules sits beside the workspace, not above it. So the workspace's runfiles (less the
# `external` copies of other repositories) are copied into a scratch directory that also links @npm's
# node_modules at its root.
set -euo pipefail

readonly tsc="$(readlink -f "$1")"
readonly tsconfig="$2"
readonly project="$TEST_TMPDIR/project"

mkdir -p "$project"
find . -mindepth 1 -maxdepth 1 ! -name external -exec cp -RL {} "$project" \;
ln -s "$(dirname "$tsc")/node_modules" "$project/node_modules"
cd "$project"
exec "$tsc" --noEmit --pretty false -p "$tsconfig"
