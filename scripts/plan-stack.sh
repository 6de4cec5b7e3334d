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
# The terraform output is also printed to the log. Exit status: 0 ok, 1 failed.
set -uo pipefail

stack="${1:?usage: plan-stack.sh <stack> <plans-dir>}"
plans="${2:?usage: plan-stack.sh <stack> <plans-dir>}"
dir="cdktf.out/stacks/${stack}"

mkdir -p "$plans"
rm -f "$plans/$stack.json" "$plans/$stack.txt" "$plans/$stack.error.txt"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

fail() {
  { cat "$log"; echo "$1"; } | tail -c 20000 >"$plans/$stack.error.txt"
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
echo "planned $stack"
