# Install the coopctl that coopctl-requirements.txt names (one pip requirement line).
requirements=${COOPCTL_REQUIREMENTS:-coopctl-requirements.txt}
if ! grep -Eqs '^[[:space:]]*[^#[:space:]]' "$requirements"; then
  echo "error: $requirements names no coopctl to install." >&2
  echo "  Put one pip requirement line in it (beside registry/ and schemas/), for example" >&2
  echo "    coopctl @ git+https://github.com/<owner>/coopctl@<tag>" >&2
  echo "  or coopctl==<version> with PIP_INDEX_URL set to the package index that has it." >&2
  exit 1
fi
if ! python -m pip install --disable-pip-version-check -r "$requirements"; then
  echo "error: pip could not install coopctl from $requirements (pip's reason is above)." >&2
  echo "  Correct the requirement line in $requirements, or set PIP_INDEX_URL" >&2
  echo "  to the package index that has it." >&2
  exit 1
fi
coopctl --version
