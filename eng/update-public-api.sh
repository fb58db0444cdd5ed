#!/usr/bin/env bash
# Adds every undeclared public symbol (RS0016) of a library project to its PublicAPI.Unshipped.txt and drops
# declared symbols that no longer exist (RS0017).
# Usage: eng/update-public-api.sh src/EventBus
# Review the diff afterwards: a change to the public API should be deliberate.
set -euo pipefail
project_dir=${1:?usage: eng/update-public-api.sh src/ProjectDir}
unshipped="$project_dir/PublicAPI.Unshipped.txt"
log=$(mktemp)
dotnet build "$project_dir" -c Release --no-incremental -p:TreatWarningsAsErrors=false >"$log" 2>&1 || true
grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API, but is either not public or could not be found)" "$log" | sort -u >"$log.gone" || true
if [ -s "$log.gone" ]; then
  grep -vxF -f "$log.gone" "$unshipped" >"$unshipped.kept" || true
  mv "$unshipped.kept" "$unshipped"
fi
grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" "$log" | sort -u >>"$unshipped" || true
{ echo '#nullable enable'; grep -v '^#nullable' "$unshipped" | sort -u; } >"$unshipped.tmp" && mv "$unshipped.tmp" "$unshipped"
rm -f "$log" "$log.gone"
echo "Updated $unshipped ($(grep -vc '^#nullable' "$unshipped") entries)"
