#!/usr/bin/env bash
# Gives every stack of a new environment an empty state, once, so PR plans of later stacks run
# against placeholders before the first deploy: Terraform's terraform_remote_state uses its
# `defaults` only when a state exists (internal/builtin/providers/terraform/data_source_state.go
# errors with "Unable to find remote state" otherwise).
#
#   CENTRAL_AUTH_CONFIG=environments/<env>.yaml npm run bootstrap-state [-- stack ...]
#
# It synthesizes the selected config itself first, as CI does (CENTRAL_AUTH_REQUIRE_REMOTE_STATE=1:
# S3 state, and never the embedded example), into $CDKTF_OUTDIR (default cdktf.out); SYNTH_COMMAND
# replaces the synth, as for scripts/synth-runner.ts. Stacks default to all of them. Needs write access
# to the state backend (the deploy role, or an administrator), once per environment. A stack that
# already has a state is left alone.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: CENTRAL_AUTH_CONFIG=environments/<env>.yaml npm run bootstrap-state [-- stack ...]

Synthesizes the selected environment and gives each stack (default: all) an empty state in its
backend, once, so pull-request plans of later stacks run against placeholders before the first
deploy. A stack that already has a state is left alone. Stacks: auth, cluster, edge.
USAGE
}

stacks=()
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    -*) echo "bootstrap-state: unknown option $arg" >&2; usage >&2; exit 2 ;;
    auth | cluster | edge) stacks+=("$arg") ;;
    *) echo "bootstrap-state: unknown stack \"$arg\" (stacks: auth, cluster, edge)" >&2; exit 2 ;;
  esac
done

out="${CDKTF_OUTDIR:-cdktf.out}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
synth="${SYNTH_COMMAND:-node '$root/scripts/run-app.js' '$root/main.ts'}"
# The synth's own lines (which config, the policy's echoes) go to stderr with its errors.
if ! CENTRAL_AUTH_REQUIRE_REMOTE_STATE=1 CDKTF_OUTDIR="$out" sh -c "$synth" 1>&2; then
  echo "bootstrap-state: the synth failed (above); nothing was bootstrapped" >&2
  exit 1
fi
[ "${#stacks[@]}" -gt 0 ] || mapfile -t stacks < <(ls "$out/stacks")
export TF_IN_AUTOMATION=1 TF_INPUT=0

version="$(terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')"
empty="$(mktemp)"
trap 'rm -f "$empty"' EXIT

for stack in "${stacks[@]}"; do
  dir="$out/stacks/$stack"
  [ -f "$dir/cdk.tf.json" ] || { echo "bootstrap-state: no synthesized stack at $dir" >&2; exit 1; }
  terraform -chdir="$dir" init -input=false -no-color >/dev/null
  if [ -n "$(terraform -chdir="$dir" state pull)" ]; then
    echo "bootstrap-state: $stack already has a state, left alone"
    continue
  fi
  lineage="$(node -e 'console.log(require("crypto").randomUUID())')"
  printf '{"version":4,"terraform_version":"%s","serial":0,"lineage":"%s","outputs":{},"resources":[],"check_results":null}\n' \
    "$version" "$lineage" >"$empty"
  terraform -chdir="$dir" state push -no-color "$empty" >/dev/null
  echo "bootstrap-state: $stack now has an empty state"
done
