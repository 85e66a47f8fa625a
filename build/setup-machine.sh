#!/usr/bin/env bash
# Installs what the full test suite needs beyond Node and npm, skipping whatever is already there:
# pwsh 7.6.9 (a dotnet global tool), wine64 and qemu-user for the single executables' smoke tests,
# make/g++/python3 for node-pty (the terminal tests), and chromium for the browser sign-in tests (test/browser). System packages come from Debian (apt, as root).
set -euo pipefail

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export PATH="$PATH:$HOME/.dotnet/tools"

if ! command -v pwsh >/dev/null 2>&1; then
  echo "Installing PowerShell 7.6.9 as a dotnet global tool"
  dotnet tool install --global PowerShell --version 7.6.9
fi

apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing $*: install them with your package manager (Debian: apt-get install $*)." >&2
    return 1
  fi
  [ -n "${apt_updated:-}" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# wine runs the Windows executable (its code cache and smoke test); qemu-user with the arm64 C/C++ runtime
# runs the linux-arm64 one (called by path, so no binfmt registration is needed). Debian's wine64 package puts
# no command on PATH, only /usr/lib/wine/wine64, which build/sea/runners.mjs finds by that path.
if ! command -v wine >/dev/null 2>&1 && ! command -v wine64 >/dev/null 2>&1 && [ ! -x /usr/lib/wine/wine64 ]; then
  echo "Installing wine64 from Debian"
  apt_install wine64
fi
if [ ! -x /usr/bin/qemu-aarch64-static ] || [ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || [ ! -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ]; then
  echo "Installing qemu-user-static and the arm64 runtime from Debian"
  apt_install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross
fi

# node-pty compiles with node-gyp: make, a C++ compiler and python3.
if ! command -v make >/dev/null 2>&1 || ! command -v g++ >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
  echo "Installing make, g++ and python3 from Debian for node-pty"
  apt_install make g++ python3
fi


# The browser sign-in tests drive Debian's Chromium with puppeteer-core (which never downloads a browser of its own).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing chromium from Debian for the browser sign-in tests"
  apt_install chromium
fi
