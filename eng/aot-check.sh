#!/usr/bin/env bash
# Publishes samples/AotSample with Native AOT and runs it: the host, typed events with generated handler registration,
# middleware, a filtered subscription, the workflow publisher, a typed query, the SQLite store (append, query, replay,
# payloads through a source-generated JSON context), health, the RabbitMQ wire format (a CloudEvent written and read back)
# and the PostgreSQL store (made, not connected) must publish without a single IL2xxx/IL3xxx trimming or AOT warning and
# print samples/AotSample/expected-output.txt. Run by .ci/run after the tests (it builds the library again, for linux-x64).
set -euo pipefail
cd "$(dirname "$0")/.."

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
log="$out/publish.log"
if ! dotnet publish samples/AotSample -c Release -r linux-x64 -o "$out/bin" >"$log" 2>&1; then
  cat "$log" >&2
  echo "aot-check: publishing samples/AotSample with PublishAot failed" >&2
  exit 1
fi

if grep -E "warning IL[23][0-9]{3}|error IL[23][0-9]{3}" "$log" >&2; then
  echo "aot-check: the native publish reported the trimming/AOT warnings above" >&2
  exit 1
fi

actual="$("$out/bin/AotSample")"
if ! diff <(echo "$actual") samples/AotSample/expected-output.txt >&2; then
  echo "aot-check: the native executable printed something else than samples/AotSample/expected-output.txt (diff above)" >&2
  exit 1
fi

echo "aot-check: native executable $(du -h "$out/bin/AotSample" | cut -f1), no IL2xxx/IL3xxx warnings, output as expected"
