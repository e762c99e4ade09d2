#!/usr/bin/env bash
# Type-checks a TypeScript project, as a step of building its bundle (defs.bzl's esbuild_bundle):
#   type_check.sh TSC TSCONFIG SOURCE...
#
# tsc looks for packages in node_modules directories above the sources, but @npm's node_modules lies
# outside the source tree. So the tsconfig.json and the sources are copied, at the same relative
# paths, into a scratch directory that also links @npm's node_modules at its root.
set -euo pipefail

readonly tsc="$(readlink -f "$1")"
readonly tsconfig="$2"
shift 2

project="$(mktemp -d)"
trap 'rm -rf "$project"' EXIT
for file in "$tsconfig" "$@"; do
  mkdir -p "$project/$(dirname "$file")"
  cp -L "$file" "$project/$file"
done
ln -s "$(dirname "$tsc")/node_modules" "$project/node_modules"
cd "$project"
"$tsc" --noEmit --pretty false -p "$tsconfig"
