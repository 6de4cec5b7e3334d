#!/usr/bin/env bash
# Offboarding: `npm run revoke -- <username>` signs the user out of every device and app (Cognito
# AdminUserGlobalSignOut revokes every refresh token, so each ALB session ends at its next token
# refresh, at most cognito.accessTokenValidityMinutes later) and disables the user, so no new
# sign-in succeeds. Federated users are named <provider>_<id> in the pool (e.g. EntraID_alice@acme.io);
# disable them in the IdP too. Needs the AWS CLI with the deploy role's credentials.
#
# The pool comes from CENTRAL_AUTH_USER_POOL_ID, else from the auth stack's state
# (terraform output user_pool_id in cdktf.out/stacks/auth, run `npx cdktf synth` first).
set -euo pipefail

usage() { echo "usage: npm run revoke -- <username>" >&2; exit 2; }
[ "$#" -eq 1 ] || usage
user="$1"
# Cognito usernames: 1-128 printable characters, no whitespace or control characters.
if ! [[ "$user" =~ ^[[:graph:]]{1,128}$ ]]; then
  echo "revoke: username must be 1-128 printable characters without spaces: $(printf '%q' "$user")" >&2
  exit 2
fi

pool="${CENTRAL_AUTH_USER_POOL_ID:-}"
if [ -z "$pool" ]; then
  dir="cdktf.out/stacks/auth"
  [ -d "$dir" ] || { echo "revoke: $dir not found: run npx cdktf synth first, or set CENTRAL_AUTH_USER_POOL_ID" >&2; exit 1; }
  pool="$(terraform -chdir="$dir" output -raw user_pool_id)"
fi
if ! [[ "$pool" =~ ^([a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9])_[0-9A-Za-z]+$ ]]; then
  echo "revoke: \"$pool\" is not a user pool id such as eu-west-1_AbCdEf123" >&2
  exit 1
fi
region="${BASH_REMATCH[1]}"

aws cognito-idp admin-user-global-sign-out --region "$region" --user-pool-id "$pool" --username "$user"
aws cognito-idp admin-disable-user --region "$region" --user-pool-id "$pool" --username "$user"
echo "revoke: $user signed out everywhere and disabled in $pool; their ALB sessions end within the access token lifetime"
