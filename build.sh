#!/usr/bin/env bash
# Installs the Debian packages the integration tests start privately (RabbitMQ, PostgreSQL) when they are missing. The README's
# test command runs it before the suite:
#   ./build.sh && dotnet test EventBus.sln -c Release
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests start privately (never as a system service).
packages=(rabbitmq-server postgresql)

install_missing() {
  local missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "build.sh: ${missing[*]} missing; install them as root: apt-get install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "== installing ${missing[*]} (Debian packages the integration tests run privately)"
  "${sudo[@]}" apt-get update -qq
  # Should the package start its system service, the tests do not use it: they start their own nodes on private ports.
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_missing
