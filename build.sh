#!/usr/bin/env bash
# The repository's entry point for tests. The integration tests start private instances of real servers (RabbitMQ),
# so this first installs the Debian packages they need when missing, then runs the whole suite.
#   ./build.sh test [more dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests start privately (never as a system service).
packages=(rabbitmq-server)

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

case "${1:-}" in
  test)
    shift
    install_missing
    dotnet test EventBus.sln -c Release "$@"
    ;;
  *)
    echo "usage: ./build.sh test [dotnet test arguments]" >&2
    exit 2
    ;;
esac
