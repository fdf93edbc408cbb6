#!/usr/bin/env bash
# Installs a real VS Code (code-server, i.e. VS Code 1.100.3 web + server) and
# Debian Chromium for the offline integration tests. See docs/testing.md.
#
# Why not plain `npm install code-server`: its postinstall (and @vscode/ripgrep's)
# downloads ripgrep from outside the npm registry, which these machines cannot
# reach. So we install with --ignore-scripts and redo postinstall.sh by hand,
# linking Debian's rg and building native modules from source against the
# local Node headers.
#
# Idempotent: apt runs only when a package is missing, and a marker file makes
# a second run a no-op. Safe as root (CI) or as a user with sudo.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
APT_PACKAGES=(build-essential python3 pkg-config libkrb5-dev libx11-dev
  libxkbfile-dev libsecret-1-dev ripgrep chromium)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INSTALL_DIR="$REPO_ROOT/.vscode-test/code-server-$CODE_SERVER_VERSION"
MARKER="$INSTALL_DIR/.install-complete"
PKG_DIR="$INSTALL_DIR/node_modules/code-server"

log() { echo "[install-code-server] $*"; }

# --- 1. Debian packages (only the missing ones trigger apt) -----------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  log "installing apt packages: ${missing[*]}"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# --- 2. code-server ----------------------------------------------------------
# The marker records Node's module ABI too: native modules built for another
# Node would fail to load, so a Node upgrade triggers a rebuild.
STAMP="$CODE_SERVER_VERSION node-abi-$(node -p process.versions.modules)"
if [[ -f "$MARKER" && "$(cat "$MARKER")" == "$STAMP" ]]; then
  log "code-server $CODE_SERVER_VERSION already installed in ${INSTALL_DIR#"$REPO_ROOT/"}"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" != 20 ]]; then
  # 4.100.x ships native modules for Node 20's ABI; later code-server needs 22+.
  log "warning: code-server $CODE_SERVER_VERSION expects Node 20, found $(node -v)"
fi

# node-gyp must use the headers of the running Node instead of fetching them.
NODE_PREFIX="$(node -p 'require("path").resolve(process.execPath, "..", "..")')"
if [[ ! -f "$NODE_PREFIX/include/node/node.h" ]]; then
  log "error: no Node headers at $NODE_PREFIX/include/node/node.h" >&2
  exit 1
fi
export npm_config_nodedir="$NODE_PREFIX"
# node-pty's install script runs `npx node-gyp`; never prompt.
export npm_config_yes=true
# NB: do not set npm_config_build_from_source=true globally, it breaks
# @parcel/watcher; it is set per rebuild below instead.
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# Start from scratch: a folder without the marker is a half-finished install.
rm -rf "$INSTALL_DIR"
mkdir -p "$INSTALL_DIR"
# A package.json of its own keeps npm from walking up to the extension's
# package.json (and from touching its node_modules or lock file).
cat >"$INSTALL_DIR/package.json" <<EOF
{ "name": "log-hunt-code-server", "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" } }
EOF

start=$SECONDS
log "npm install --ignore-scripts code-server@$CODE_SERVER_VERSION"
(cd "$INSTALL_DIR" && npm install --ignore-scripts --no-package-lock)

# What code-server's postinstall.sh would do, minus the downloads.
log "rebuilding argon2 from source"
# argon2 is hoisted beside code-server, so rebuild from the install root.
(cd "$INSTALL_DIR" && npm_config_build_from_source=argon2 npm rebuild argon2)

log "installing lib/vscode dependencies"
(
  cd "$PKG_DIR/lib/vscode"
  npm install --omit=dev --ignore-scripts
  # @vscode/ripgrep's postinstall skips its download when bin/ exists.
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm_config_build_from_source=kerberos npm rebuild
  # The server loads modules from node_modules.asar in packaged builds.
  ln -sfn node_modules node_modules.asar
  ln -sf code-linux.sh bin/remote-cli/code-server
  ln -sf browser-linux.sh bin/helpers/browser.sh
)

log "installing built-in extensions' dependencies"
(cd "$PKG_DIR/lib/vscode/extensions" && npm install --omit=dev)

# Fail here, not in the first test run, if the server cannot start.
node "$PKG_DIR/out/node/entry.js" --version >/dev/null

echo "$STAMP" >"$MARKER"
log "done in $((SECONDS - start)) s"
