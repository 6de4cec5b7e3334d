#!/usr/bin/env bash
# Gives every stack of a new environment an empty state, once, so PR plans of later stacks run
# against placeholders before the first deploy: Terraform's terraform_remote_state uses its
# `defaults` only when a state exists (internal/builtin/providers/terraform/data_source_state.go
# errors with "Unable to find remote state" otherwise).
#
#   CENTRAL_AUTH_CONFIG=environments/<env>.yaml npm run synth && scripts/bootstrap-state.sh [stack ...]
#
# Stacks default to cdktf.out/stacks/*. Needs write access to the state backend (the deploy role,
# or an administrator), once per environment. A stack that already has a state is left alone.
set -euo pipefail

out="${CDKTF_OUTDIR:-cdktf.out}"
if [ "$#" -gt 0 ]; then stacks=("$@"); else mapfile -t stacks < <(ls "$out/stacks"); fi
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
