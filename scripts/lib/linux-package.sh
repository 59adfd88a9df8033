# shellcheck shell=bash
# Sourced by scripts/package: builds the Debian/Ubuntu package with the Tauri CLI (`tauri build --bundles
# deb`; nothing is downloaded: the deb bundler packs local files only) and, with --install-test, installs
# it on this machine, starts the installed app under Xvfb with a fresh data folder, checks what was
# installed and removes the package again, also when a check fails.

DEB_SCREENSHOT=target/e2e-screenshots/deb-installed.png

package_linux() {
  local profile=release install_test=false arg
  for arg in "$@"; do
    case "$arg" in
      --debug) profile=debug ;;
      --install-test) install_test=true ;;
      *) die "scripts/package linux: unknown option '$arg' (see scripts/package --help)" ;;
    esac
  done
  ensure_toolchains
  ensure_system_packages
  ensure_npm_packages

  local version target_dir started built deb
  version=$(node -p 'require("./tauri.conf.json").version')
  target_dir=${CARGO_TARGET_DIR:-$(pwd)/target}
  say "building the .deb: the UI, then the app ($profile build, the UI embedded), then the package"
  local flags=(--ci --bundles deb)
  if [ "$profile" = debug ]; then flags+=(--debug); fi
  started=$(mktemp)
  # Its progress goes to stderr: stdout carries only the package's path.
  npx tauri build "${flags[@]}" >&2

  built=$(find "$target_dir/$profile/bundle/deb" -maxdepth 1 -name "*_${version}_*.deb" -newer "$started" \
    -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
  rm -f "$started"
  [ -n "$built" ] || die "tauri build finished but wrote no .deb of version $version into $target_dir/$profile/bundle/deb"
  # Debian's own file name (package_version_arch.deb): no space to quote when installing.
  deb="$target_dir/package/$( [ "$profile" = debug ] && echo debug/)$(deb_field "$built" Package)_$(deb_field "$built" Version)_$(deb_field "$built" Architecture).deb"
  mkdir -p "$(dirname "$deb")"
  cp "$built" "$deb"
  say "Linux package ($profile build): $deb ($(human_size "$(stat -c %s "$deb")"), $(stat -c %s "$deb") bytes; installed $(deb_field "$deb" Installed-Size) KiB)"
  echo "$deb"

  if $install_test; then
    deb_install_test "$deb"
  fi
}

deb_field() { dpkg-deb --field "$1" "$2"; }

human_size() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }

ensure_desktop_file_utils() {
  command -v desktop-file-validate >/dev/null && return
  say "installing desktop-file-utils (checks the package's desktop entry)"
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends desktop-file-utils
}

# Installs DEB, checks it, starts it, removes it. In its own subshell: its trap removes the package
# whatever happens, and leaves the caller's traps alone.
deb_install_test() (
  local deb=$1 pkg work lock
  ensure_desktop_file_utils
  pkg=$(deb_field "$deb" Package)

  deb_check_archive "$deb"

  # One install test at a time on this machine (two runs would remove each other's package).
  exec {lock}>/tmp/catalog-desk-deb-install-test.lock
  flock -w 900 "$lock" || die "another install test of $pkg has held /tmp/catalog-desk-deb-install-test.lock for 15 min"
  if dpkg -s "$pkg" >/dev/null 2>&1; then
    die "$pkg is already installed on this machine ($(dpkg-query -W -f '${Version}' "$pkg")): remove it first (sudo apt-get remove $pkg); the test installs and removes its own build"
  fi

  work=$(mktemp -d /tmp/catalog-desk-deb.XXXXXX)
  trap 'deb_test_cleanup "$pkg" "$work"' EXIT
  # apt reads a local package as its unprivileged _apt user: the folder must be readable to it.
  chmod 755 "$work"
  cp "$deb" "$work/"
  say "installing $(basename "$deb") with apt-get (its Depends from Debian's archive)"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q -o DPkg::Lock::Timeout=300 "$work/$(basename "$deb")"
  [ "$(dpkg-query -W -f '${Status}' "$pkg")" = "install ok installed" ] || die "apt-get did not leave $pkg installed"

  deb_check_installed "$pkg"
  deb_start_installed "$work/data"

  say "removing $pkg with apt-get"
  DEBIAN_FRONTEND=noninteractive as_root apt-get remove -y -q -o DPkg::Lock::Timeout=300 "$pkg"
  if dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
    die "apt-get remove left $pkg installed"
  fi
  [ ! -e /usr/bin/catalog-desk ] || die "/usr/bin/catalog-desk is still there after apt-get remove"
  say "the .deb installed, started, rendered its window and was removed again"
)

deb_test_cleanup() {
  local pkg=$1 work=$2
  if dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
    say "removing $pkg after the failure"
    DEBIAN_FRONTEND=noninteractive as_root apt-get remove -y -q -o DPkg::Lock::Timeout=300 "$pkg" >&2 || true
  fi
  rm -rf "$work"
}

# What the archive declares and holds, before anything is installed (dpkg -I, dpkg -c).
deb_check_archive() {
  local deb=$1 depends contents dep
  say "checking the package: dpkg -I (control) and dpkg -c (files)"
  dpkg -I "$deb" >&2
  depends=$(deb_field "$deb" Depends)
  # The dependencies tauri.conf.json declares are the package's; nothing else should have to be trusted.
  while read -r dep; do
    echo "$depends" | tr ',' '\n' | sed 's/^ *//; s/ *(.*$//' | grep -qx "$dep" \
      || die "the package's Depends ($depends) lacks $dep, which tauri.conf.json declares"
  done < <(node -p 'require("./tauri.conf.json").bundle.linux.deb.depends.join("\n")')
  dep=$(echo "$depends" | tr ',' '\n' | sed 's/^ *//; s/ *(.*$//' | sort | uniq -d | tr '\n' ' ')
  [ -z "$dep" ] || die "the package's Depends names ${dep}twice ($depends): the Tauri bundler adds libwebkit2gtk-4.1-0 and libgtk-3-0 itself"
  contents=$(dpkg -c "$deb" | awk '{ $1=$2=$3=$4=$5=""; sub(/^ +(\.\/)?/, "/"); print }')
  echo "$contents" | grep -qx '/usr/bin/catalog-desk' || die "the package has no /usr/bin/catalog-desk"
  echo "$contents" | grep -q '^/usr/share/applications/.*\.desktop$' || die "the package has no desktop entry"
  echo "$contents" | grep -q '^/usr/share/icons/hicolor/[0-9x@]*/apps/.*\.png$' || die "the package has no icons"
}

# The installed files: the desktop entry (valid, and pointing at the installed program and icon), the
# icons (PNGs of their folder's size), and every library the program links to provided by a package
# the Depends line pulls in.
deb_check_installed() {
  local pkg=$1 entry name exec_prog icon categories png size want
  say "checking the installed files: desktop entry, icons, libraries"
  entry=$(dpkg -L "$pkg" | grep '^/usr/share/applications/.*\.desktop$' | head -n 1)
  desktop-file-validate "$entry" || die "desktop-file-validate rejects $entry"
  name=$(desktop_key "$entry" Name)
  exec_prog=$(desktop_key "$entry" Exec | awk '{ print $1 }')
  icon=$(desktop_key "$entry" Icon)
  categories=$(desktop_key "$entry" Categories)
  [ "$(desktop_key "$entry" Type)" = Application ] || die "$entry: Type is not Application"
  [ "$name" = "$(node -p 'require("./tauri.conf.json").productName')" ] || die "$entry: Name is '$name'"
  [ "$(command -v "$exec_prog")" = /usr/bin/catalog-desk ] || die "$entry: Exec '$exec_prog' does not start /usr/bin/catalog-desk"
  [ -n "$categories" ] || die "$entry: no Categories (the menus would not list it)"
  say "desktop entry $entry: Name=$name, Exec=$exec_prog, Icon=$icon, Categories=$categories"

  local found=0
  while read -r png; do
    size=$(echo "$png" | sed -n 's|^/usr/share/icons/hicolor/\([0-9]*x[0-9]*\)\(@2\)\{0,1\}/apps/.*|\1\2|p')
    want=${size%@2}
    [[ $size == *@2 ]] && want="$((${want%x*} * 2))x$((${want#*x} * 2))"
    [ "$(identify -format '%wx%h' "$png")" = "$want" ] || die "$png is $(identify -format '%wx%h' "$png"), not $want"
    found=$((found + 1))
  done < <(dpkg -L "$pkg" | grep "^/usr/share/icons/hicolor/.*/apps/$icon\.png$")
  [ "$found" -gt 0 ] || die "no icon named '$icon' (the desktop entry's Icon) under /usr/share/icons/hicolor"
  say "$found icons named $icon under /usr/share/icons/hicolor, each of its folder's size"

  deb_check_libraries /usr/bin/catalog-desk "$(dpkg-query -W -f '${Depends}' "$pkg")"
}

desktop_key() { sed -n "/^\[Desktop Entry\]/,/^\[/ s/^$2=//p" "$1" | head -n 1; }

# Every shared library PROGRAM names (ELF NEEDED) must come from a package that DEPENDS pulls in, so
# a machine without the build's -dev packages has it too.
deb_check_libraries() {
  local program=$1 depends=$2 soname path candidates=() closure owners lib="" owner
  if ldd "$program" | grep -q 'not found'; then
    die "$program cannot find: $(ldd "$program" | grep 'not found' | tr -s ' \t' ' ')"
  fi
  while read -r soname; do
    path=$(ldd "$program" | awk -v n="$soname" '$1 == n { print $3 }')
    [ -n "$path" ] || path=$(ldd "$program" | awk -v n="$soname" 'index($1, n) { print $1 }')
    candidates+=("$path")
    if [[ $path == /lib* ]]; then candidates+=("/usr$path"); else candidates+=("${path#/usr}"); fi
  done < <(readelf -d "$program" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  # dpkg knows each library under one of its two paths (/lib is /usr/lib since Debian 12): it fails
  # for the other.
  owners=$(dpkg -S "${candidates[@]}" 2>/dev/null | sed 's/:[a-z0-9]*: / /; s/: / /' || true)
  local declared
  mapfile -t declared < <(echo "$depends" | tr ',' '\n' | sed 's/^ *//; s/ *(.*$//; s/ *|.*//')
  closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "${declared[@]}" | grep -v '^ ' | sort -u)
  while read -r soname; do
    owner=$(echo "$owners" | awk -v n="$soname" '{ k = split($2, p, "/") } p[k] == n { print $1; exit }')
    [ -n "$owner" ] || die "no installed package owns $soname, which $program links to"
    echo "$closure" | grep -qx "$owner" \
      || die "$program links to $soname from $owner, which the package's Depends ($depends) does not pull in"
    lib="$lib $soname ($owner)"
  done < <(readelf -d "$program" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  say "every library catalog-desk links to comes with its Depends:$lib"
}

# Starts the installed program as the menu would, in a virtual X display with a fresh data folder;
# waits for the window to say it is ready (the log line the UI triggers once its first data and draft
# list are painted), screenshots it and checks the screenshot shows a rendered page, not an empty one.
deb_start_installed() {
  local data=$1 shot
  shot="$(pwd)/$DEB_SCREENSHOT"
  mkdir -p "$(dirname "$shot")"
  rm -f "$shot"
  say "starting the installed /usr/bin/catalog-desk under Xvfb with the fresh data folder $data"
  NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    set -euo pipefail
    data=$1 shot=$2
    /usr/bin/catalog-desk --data-dir "$data" >"$data.out" 2>&1 &
    app=$!
    trap "kill \$app 2>/dev/null || true" EXIT
    for _ in $(seq 1 240); do
      grep -qs "window ready" "$data"/logs/catalog-desk.*.log && break
      kill -0 "$app" 2>/dev/null || { echo "the installed app exited early:" >&2; cat "$data.out" >&2; exit 1; }
      sleep 0.5
    done
    grep -qs "window ready" "$data"/logs/catalog-desk.*.log \
      || { echo "the window did not report ready within 120 s" >&2; cat "$data.out" >&2; exit 1; }
    xwininfo -root -tree | grep -q "\"Catalog Desk\"" || { echo "no window titled Catalog Desk" >&2; exit 1; }
    import -window root "$shot"
    kill -0 "$app" 2>/dev/null || { echo "the installed app exited after drawing its window" >&2; exit 1; }
  ' _ "$data" "$shot" || {
    tail -n 20 "$data"/logs/catalog-desk.*.log >&2 2>/dev/null || true
    die "the installed app did not start and draw its window (its log above)"
  }

  [ -f "$data/catalog-desk.sqlite3" ] || die "the installed app made no database in its fresh data folder $data"
  grep -h "window ready" "$data"/logs/catalog-desk.*.log | tail -n 1 | sed 's/^/  log: /' >&2
  local colours deviation
  read -r colours deviation < <(convert "$shot" -format '%k %[fx:standard_deviation]\n' info:)
  say "screenshot of the installed app: $shot ($colours colours, standard deviation $deviation)"
  # An empty window is one colour (two or three with the page's background drawn but nothing on it);
  # the rendered page's anti-aliased Thai text and controls give over a thousand.
  if [ "$colours" -lt 100 ] || ! awk -v d="$deviation" 'BEGIN { exit !(d > 0.02) }'; then
    die "the screenshot $shot looks empty ($colours colours, standard deviation $deviation): the page did not render"
  fi
}
