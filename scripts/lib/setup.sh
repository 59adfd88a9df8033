# Shared by scripts/run and scripts/test: installs what is missing on Debian 12 / Ubuntu (system
# packages, tauri-driver, npm packages) and checks the toolchains that cannot be installed from here.

SYSTEM_PACKAGES=(
  build-essential pkg-config file
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev libssl-dev
  xvfb xauth x11-utils imagemagick webkit2gtk-driver
  dbus dbus-x11 at-spi2-core gnome-keyring libsecret-tools keyutils
  fonts-dejavu-core fonts-thai-tlwg
)

say() { printf '\033[1m[catalog-desk]\033[0m %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_system_packages() {
  command -v dpkg >/dev/null || die "this script installs Debian/Ubuntu packages; on other systems install the WebKitGTK 4.1 development packages by hand (see README)"
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    say "installing system packages: ${missing[*]}"
    as_root apt-get update -q
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

ensure_toolchains() {
  command -v cargo >/dev/null || die "Rust is missing: install it with rustup (https://rustup.rs), then run this again"
  command -v node >/dev/null || die "Node.js is missing: install Node.js 20.19 or newer, then run this again"
  local node_major node_minor
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  node_minor=$(node -p 'process.versions.node.split(".")[1]')
  if [ "$node_major" -lt 20 ] || { [ "$node_major" -eq 20 ] && [ "$node_minor" -lt 19 ]; }; then
    die "Node.js $(node --version) is too old for Vite 8: install 20.19 or newer"
  fi
}

ensure_tauri_driver() {
  if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    say "installing tauri-driver 2.1.0 (the WebDriver bridge for the end-to-end tests)"
    cargo install tauri-driver@2.1.0 --locked
  fi
}

ensure_cargo_fuzz() {
  rustup toolchain list 2>/dev/null | grep -q '^nightly' \
    || die "the fuzz targets need Rust's nightly toolchain (rustup toolchain install nightly), which is not installed"
  if ! cargo fuzz --version >/dev/null 2>&1; then
    say "installing cargo-fuzz (runs the file readers' fuzz targets)"
    cargo install cargo-fuzz --locked
  fi
}

ensure_python_openpyxl() {
  python3 -c 'import openpyxl' 2>/dev/null && return
  say "installing openpyxl (the import round-trip test edits a workbook with it, as a spreadsheet program would)"
  python3 -m pip install --quiet openpyxl || as_root apt-get install -y -q --no-install-recommends python3-openpyxl
}

ensure_npm_packages() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages"
    npm ci --no-audit --no-fund
  fi
}

build_ui() {
  npm -w ui run build >/dev/null
}
