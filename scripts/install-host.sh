#!/usr/bin/env bash
# Installs the offline VS Code test host (code-server 4.100.3 = VS Code 1.100.3) and Debian's Chromium.
# Idempotent: the host lives in a versioned cache outside the repo, and a finished install leaves a stamp,
# so a second run only checks the stamp and returns in well under a second.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE_ROOT="${IOI_HOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/io-intelligence-vscode-host}"
HOST_DIR="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
STAMP="$HOST_DIR/.installed"

log() { printf '[install-host] %s\n' "$*" >&2; }

need_apt_packages() {
  local missing=()
  for pkg in chromium ripgrep libsecret-1-dev libkrb5-dev libx11-dev libxkbfile-dev pkg-config build-essential python3; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  printf '%s\n' "${missing[@]}"
}

install_apt_packages() {
  local missing
  missing=$(need_apt_packages | xargs)
  [ -z "$missing" ] && return 0
  log "installing Debian packages: $missing"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
}

install_code_server() {
  log "installing code-server $CODE_SERVER_VERSION into $HOST_DIR"
  rm -rf "$HOST_DIR"
  mkdir -p "$HOST_DIR"
  cd "$HOST_DIR"
  npm pack --silent "code-server@$CODE_SERVER_VERSION" >/dev/null
  echo '{"name":"ioi-host","private":true}' > package.json
  npm_config_unsafe_perm=true npm install --silent --no-audit --no-fund --ignore-scripts "./code-server-$CODE_SERVER_VERSION.tgz"
  local vscode="$HOST_DIR/node_modules/code-server/lib/vscode"
  (
    cd "$vscode"
    npm install --silent --no-audit --no-fund --omit=dev --ignore-scripts
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    npm_config_yes=true npm rebuild --silent kerberos node-pty @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog
    ln -sfn node_modules node_modules.asar
    ln -sfn code-linux.sh bin/remote-cli/code-server
    ln -sfn browser-linux.sh bin/helpers/browser.sh
    cd extensions && npm install --silent --no-audit --no-fund --omit=dev --ignore-scripts
  )
  (
    cd "$HOST_DIR/node_modules/argon2"
    npm rebuild --silent argon2 || true
    npx --yes node-pre-gyp install --fallback-to-build >/dev/null 2>&1 || true
  )
  touch "$STAMP"
}

main() {
  install_apt_packages
  if [ -f "$STAMP" ]; then
    log "code-server $CODE_SERVER_VERSION already installed"
  else
    install_code_server
  fi
  echo "$HOST_DIR/node_modules/.bin/code-server"
}

main "$@"
