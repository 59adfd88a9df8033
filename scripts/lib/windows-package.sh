# Sourced by scripts/package (after scripts/lib/windows.sh): builds the Windows portable zip from Linux
# (MinGW cross-build) and smoke-tests it under Wine. Why a zip and not an installer, and what the target
# PC needs: docs/release.md.

# DLLs every Windows 10/11 PC has; an executable that imports anything else would not start there.
# WebView2Loader.dll is Microsoft's redistributable loader from the WebView2 SDK: it ships beside the app.
WINDOWS_SYSTEM_DLLS='^(advapi32|bcrypt|bcryptprimitives|combase|comctl32|comdlg32|crypt32|dwmapi|gdi32|gdiplus|imm32|kernel32|msvcrt|ncrypt|ntdll|ole32|oleaut32|propsys|rpcrt4|secur32|shell32|shlwapi|user32|userenv|uxtheme|version|winmm|ws2_32|api-ms-win-[a-z0-9-]+)\.dll$'
SHIPPED_DLLS='^webview2loader\.dll$'

ensure_cargo_about() {
  if ! command -v cargo-about >/dev/null && [ ! -x "$HOME/.cargo/bin/cargo-about" ]; then
    say "installing cargo-about (writes the third-party licences shipped with the app)"
    cargo install cargo-about@0.9.3 --locked --features cli
  fi
}

# Fails when an executable needs a DLL that Windows does not ship (a MinGW runtime, a WebView2 loader).
check_windows_imports() {
  local exe=$1 dll
  while read -r dll; do
    echo "$dll" | tr 'A-Z' 'a-z' | grep -Eq "$WINDOWS_SYSTEM_DLLS|$SHIPPED_DLLS" \
      || die "$(basename "$exe") needs $dll, which Windows does not have: it would not start on an officer's PC"
  done < <(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\s*DLL Name: //p')
}

package_windows() {
  ensure_toolchains
  ensure_system_packages
  ensure_npm_packages
  ensure_windows_toolchain
  ensure_cargo_about

  local version target_dir release out stage zip
  version=$(node -p 'require("./tauri.conf.json").version')
  target_dir=${CARGO_TARGET_DIR:-$(pwd)/target}
  release="$target_dir/$WINDOWS_TARGET/release"
  out="$target_dir/package"
  stage="$out/Catalog Desk $version"
  zip="$out/Catalog-Desk_${version}_windows-x64-portable.zip"

  say "building the app for Windows ($WINDOWS_TARGET, release, the UI embedded)"
  npx tauri build --ci --no-bundle --target "$WINDOWS_TARGET"
  say "building the command line for Windows"
  cargo build --locked --release --target "$WINDOWS_TARGET" -p catalog-desk-cli

  check_windows_imports "$release/catalog-desk.exe"
  check_windows_imports "$release/catalog-desk-cli.exe"

  rm -rf "$stage" "$zip"
  mkdir -p "$stage/licenses"
  cp "$release/catalog-desk.exe" "$release/catalog-desk-cli.exe" "$release/WebView2Loader.dll" "$stage/"
  sed "s/{version}/$version/" assets/packaging/windows/README.txt | sed 's/$/\r/' >"$stage/README.txt"
  sed 's/$/\r/' LICENSE >"$stage/LICENSE.txt"
  cp assets/fonts/OFL-Sarabun.txt "$stage/licenses/Sarabun-font-OFL.txt"
  cargo about generate --frozen --fail -c assets/packaging/about.toml --target "$WINDOWS_TARGET" \
    -m Cargo.toml --workspace assets/packaging/about.hbs >"$stage/licenses/third-party-rust.html"
  node scripts/lib/ui-licenses.mjs >"$stage/licenses/third-party-ui.txt"

  (cd "$out" && python3 -m zipfile -c "$(basename "$zip")" "$(basename "$stage")")
  say "Windows portable zip: $zip ($(du -h "$zip" | cut -f1), $(stat -c %s "$zip") bytes)"

  say "smoke test: the packed command line under Wine"
  windows_smoke_test "$stage"
}

# Runs what was packed, under Wine, from a folder with a Thai name and spaces: the command line imports
# the NSO sample template and validates it; the app, which cannot draw its WebView2 window under Wine,
# must start and show its Thai/English "WebView2 is missing" message box (screenshot beside the zip).
windows_smoke_test() {
  local stage=$1 try screenshot
  try="$(mktemp -d)/ทดลอง Catalog Desk"
  screenshot="$(dirname "$stage")/windows-app-without-webview2.png"
  mkdir -p "$try"
  cp -r "$stage"/. "$try/"
  build_process_prng_shim "$try"
  WINDOWS_WINEPREFIX="$(dirname "$stage")/wine-prefix"
  prepare_wine_prefix
  cp ../shared/fixtures/nso-template/sample-nso-template.xlsx "$try/แบบฟอร์ม นำเข้า.xlsx"
  (
    cd "$try"
    windows_wine wine catalog-desk-cli.exe import "แบบฟอร์ม นำเข้า.xlsx" --apply --data-dir "ข้อมูล ทดลอง" >import.json \
      || die "the Windows command line could not import the NSO sample template under Wine"
    grep -q '"created": 17' import.json || die "the Windows command line did not create the 17 drafts of the NSO sample"
    local status=0
    windows_wine wine catalog-desk-cli.exe validate --data-dir "ข้อมูล ทดลอง" >validate.json || status=$?
    [ "$status" -le 1 ] && grep -q '"drafts"' validate.json || die "the Windows command line could not validate the drafts under Wine"
    NO_AT_BRIDGE=1 WINEPREFIX="$WINDOWS_WINEPREFIX" WINEDEBUG=-all xvfb-run -a -s "-screen 0 1024x700x24" bash -c '
      wine catalog-desk.exe --data-dir "ข้อมูล แอป" &
      for _ in $(seq 1 120); do
        xwininfo -root -tree 2>/dev/null | grep -q "\"Catalog Desk\"" && break
        sleep 0.5
      done
      sleep 1
      import -window root "$1"
      wineserver -k' _ "$screenshot"
    grep -q "app.webview_missing" "ข้อมูล แอป"/logs/* \
      || die "the Windows app did not start and report the missing WebView2 runtime under Wine"
  )
  rm -rf "$(dirname "$try")"
  say "smoke test passed: import and validate from a Thai folder; the app's WebView2 message: $screenshot"
}
