#!/usr/bin/env bash
# Plans one synthesized stack for the PR plan comment.
#
#   scripts/plan-stack.sh <stack> <plans-dir>
#
# Runs, in cdktf.out/stacks/<stack>: terraform init, terraform plan -out (without
# taking the state lock: the plan role is read-only), and writes
#   <plans-dir>/<stack>.txt        terraform show -no-color (sensitive values already hidden)
#   <plans-dir>/<stack>.json       terraform show -json (contains sensitive values: never upload it)
#   <plans-dir>/<stack>.error.txt  the init/plan output, only when something failed
# The terraform output is also printed to the log. Exit status:
#   0  planned
#   1  failed
#   3  waits for upstream apply: planned against placeholders (its `upstream_placeholders`
#      output is not empty), or not planned because an upstream stack has no state yet
#      ("Unable to find remote state"). Not a failure: the real plan shows after the
#      upstream deploys. Decided by scripts/plan-comment/waits.ts, the comment's own rule
#      (needs node and `npm ci`).
set -uo pipefail

stack="${1:?usage: plan-stack.sh <stack> <plans-dir>}"
plans="${2:?usage: plan-stack.sh <stack> <plans-dir>}"
dir="cdktf.out/stacks/${stack}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

mkdir -p "$plans"
rm -f "$plans/$stack.json" "$plans/$stack.txt" "$plans/$stack.error.txt"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# Exits 3 with a notice when the stack waits for an upstream apply; returns otherwise.
exit_if_waiting() {
  local upstreams status=0
  upstreams="$(node -r "$here/ts-register.js" "$here/plan-comment/waits.ts" "$plans" "$stack")" || status=$?
  [ "$status" -eq 3 ] || return "$status"
  echo "::notice title=terraform plan ($stack)::waits for upstream apply${upstreams:+: $upstreams}"
  exit 3
}

fail() {
  { cat "$log"; echo "$1"; } | tail -c 20000 >"$plans/$stack.error.txt"
  exit_if_waiting
  echo "::error title=terraform plan ($stack)::$1"
  exit 1
}

if [ ! -f "$dir/cdk.tf.json" ]; then
  echo "no synthesized stack at $dir/cdk.tf.json" >"$log"
  fail "stack $stack was not synthesized"
fi

export TF_IN_AUTOMATION=1 TF_INPUT=0

terraform -chdir="$dir" init -input=false -no-color 2>&1 | tee -a "$log" || fail "terraform init failed"
terraform -chdir="$dir" plan -input=false -no-color -lock=false -out=tfplan 2>&1 | tee -a "$log" \
  || fail "terraform plan failed"
terraform -chdir="$dir" show -no-color tfplan >"$plans/$stack.txt" 2>>"$log" || fail "terraform show failed"
terraform -chdir="$dir" show -json tfplan >"$plans/$stack.json" 2>>"$log" || fail "terraform show -json failed"
exit_if_waiting || fail "could not check $stack.json for upstream placeholders"
echo "planned $stack"
