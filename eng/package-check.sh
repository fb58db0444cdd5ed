#!/usr/bin/env bash
# Packs every package into a local feed, reads the packages back (repository, licence, readme, icon, release notes,
# SourceLink in the symbols), then builds and runs eng/package-check/Consumer from that feed alone: a clean
# PackageReference application outside the repository's build files. Fails on any packaging warning. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
feed="$out/feed"
log="$out/pack.log"
fail() { echo "package-check: $*" >&2; exit 1; }

if ! dotnet pack EventBus.sln -c Release -o "$feed" >"$log" 2>&1; then
  cat "$log" >&2
  fail "dotnet pack failed"
fi
if grep -E ": warning [A-Z]+[0-9]+" "$log" >&2; then
  fail "packing reported the warnings above"
fi

version="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)"
commit="$(git rev-parse HEAD)"
packages=(EventBus EventBus.Sqlite EventBus.PostgreSql EventBus.RabbitMQ EventBus.Testing)
for id in "${packages[@]}"; do
  nupkg="$feed/$id.$version.nupkg"
  [ -f "$nupkg" ] || fail "$id.$version.nupkg was not packed"
  nuspec="$(unzip -p "$nupkg" "$id.nuspec")"
  for element in '<repository type="git" url="https://' '<license type="expression">MIT</license>' '<readme>README.md</readme>' \
                 '<icon>icon.png</icon>' '<releaseNotes>## [' '<projectUrl>https://' "commit=\"$commit\""; do
    grep -qF "$element" <<<"$nuspec" || fail "$id's nuspec lacks $element"
  done
  files="$(unzip -Z1 "$nupkg")"
  grep -qx "README.md" <<<"$files" || fail "$id carries no README.md"
  grep -qx "icon.png" <<<"$files" || fail "$id carries no icon.png"
  # Read into files first: grep -q stops reading early, which a pipeline under pipefail reports as unzip's failure.
  unzip -p "$nupkg" README.md >"$out/readme.md"
  [ "$(head -1 "$out/readme.md")" = "# $id" ] || fail "$id's readme is not its own PACKAGE.md"
  # The portable PDB keeps the SourceLink map as plain JSON: source files map to the repository at this commit.
  unzip -p "$feed/$id.$version.snupkg" "lib/net10.0/$id.pdb" >"$out/symbols.pdb"
  grep -aqF "/$commit/*\"" "$out/symbols.pdb" || fail "$id's symbols carry no SourceLink to commit $commit"
done
grep -qx "analyzers/dotnet/cs/EventBus.Generators.dll" <(unzip -Z1 "$feed/EventBus.$version.nupkg") || fail "EventBus does not carry its source generator"

# The consumer, outside the repository: only the feed (and nuget.org for Microsoft.Extensions) and a private package folder.
cp -r eng/package-check/Consumer "$out/consumer"
cat >"$out/consumer/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="EventBus" /><package pattern="EventBus.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
CONFIG
if ! dotnet build "$out/consumer/Consumer.csproj" -c Release -p:EventBusVersion="$version" --packages "$out/packages" >"$out/consumer.log" 2>&1; then
  cat "$out/consumer.log" >&2
  fail "the consumer application did not build from the packages"
fi
actual="$(timeout 300 dotnet "$out/consumer/bin/Release/net10.0/Consumer.dll")" || fail "the consumer application failed or did not finish in 5 minutes"
diff <(echo "$actual") eng/package-check/Consumer/expected-output.txt >&2 || fail "the consumer printed something else than eng/package-check/Consumer/expected-output.txt (diff above)"
echo "package-check: ${#packages[@]} packages read back, and a consumer built from the feed alone ran as expected"
