# Windows from this Linux machine (sourced by scripts/test, and by the Windows packaging): Rust's
# x86_64-pc-windows-gnu target with the MinGW-w64 linker, Wine and NSIS; and the domain's tests built
# once for Windows and run under Wine. Needs say/die/as_root from scripts/lib/setup.sh.

WINDOWS_TARGET=x86_64-pc-windows-gnu
WINDOWS_PACKAGES=(gcc-mingw-w64-x86-64 wine64 wine nsis)

# Every test of these crates runs under Wine: the store and file store, the readers, the hints,
# import/export, the schema and the error shape.
WINDOWS_TEST_CRATES=(catalog-error catalog-schema catalog-preview catalog-hints catalog-core catalog-import)
# Of these crates only what needs neither the test CKAN nor Linux's keyring: the ADC client's own
# tests (loopback sockets), the publisher's unit tests and its Windows Credential Manager test, and the
# command line end to end (tests/cli.rs; tests/live.rs needs CKAN).
WINDOWS_TEST_TARGETS=(-p catalog-adc -p catalog-publish -p catalog-desk-cli --lib --bins
  --test redirects --test windows_keyring --test cli)
# Tests Wine cannot run, by exact name, with why: they start Linux's python3 (openpyxl edits a workbook
# as a spreadsheet program would), and Wine starts Windows programs only. The Linux step runs them.
WINDOWS_SKIPPED_TESTS=(
  one_cell_edited_in_our_template_changes_one_field_of_one_draft
  the_empty_template_has_a_sheet_per_type_keys_drop_downs_and_help_notes
)
WINDOWS_SKIPPED_WHY="they edit a workbook with Linux's python3 + openpyxl, which Wine cannot start"

# Installs what building and running Windows binaries here needs: the Rust target, MinGW-w64 (the
# linker, and the test-only ProcessPrng DLL), Wine (runs the tests) and NSIS (the installer).
ensure_windows_toolchain() {
  command -v rustup >/dev/null || die "rustup is missing: the Windows target is added with it (https://rustup.rs)"
  if ! rustup target list --installed | grep -qx "$WINDOWS_TARGET"; then
    say "adding Rust's $WINDOWS_TARGET target"
    rustup target add "$WINDOWS_TARGET"
  fi
  local missing=() pkg
  for pkg in "${WINDOWS_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    say "installing the Windows cross toolchain: ${missing[*]}"
    as_root apt-get update -q
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
}

# Prints "package-folder<TAB>executable" for each test executable in cargo's JSON messages on stdin.
windows_test_executables() {
  python3 -c '
import json, os, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable") and message["profile"]["test"]:
        print(os.path.dirname(message["manifest_path"]), message["executable"], sep="\t")
'
}

# Wine with this step's own prefix, quiet, and without any display: the tests are console programs.
windows_wine() {
  env -u DISPLAY -u WAYLAND_DISPLAY WINEPREFIX="$WINDOWS_WINEPREFIX" WINEDEBUG=-all "$@"
}

# Rust's standard library imports ProcessPrng from bcryptprimitives.dll (Windows 10 and later), which
# Wine 8 lacks: this test-only stand-in goes beside the executables Wine runs (the tests, the CLI they
# start, the packaging's smoke test). It is never built into or shipped with the product.
build_process_prng_shim() {
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$1/bcryptprimitives.dll" tests/windows/process_prng.c -ladvapi32
}

# Creates the Wine prefix in $WINDOWS_WINEPREFIX once.
prepare_wine_prefix() {
  [ -f "$WINDOWS_WINEPREFIX/system.reg" ] && return
  say "Windows: preparing a Wine prefix in $WINDOWS_WINEPREFIX (once)"
  # mscoree/mshtml off: no Mono or Gecko installer is looked for (nothing is downloaded).
  WINEDLLOVERRIDES="mscoree=;mshtml=" windows_wine wineboot --init >/dev/null 2>&1 \
    || die "Wine could not prepare its prefix in $WINDOWS_WINEPREFIX"
  windows_wine wineserver -w
}

# Builds the Windows test executables once, then runs each under Wine from its package's folder (as
# cargo test would), and prints "Windows (Wine): N passed, N failed". Fails when any test failed or an
# executable did not report.
run_windows_tests() {
  local json started build_seconds
  json=$(mktemp)
  started=$SECONDS
  say "Windows: building the test executables for $WINDOWS_TARGET (once)"
  local crate crates=()
  for crate in "${WINDOWS_TEST_CRATES[@]}"; do crates+=(-p "$crate"); done
  cargo test --no-run --locked --target "$WINDOWS_TARGET" --message-format=json-render-diagnostics \
    "${crates[@]}" --lib --tests >"$json"
  cargo test --no-run --locked --target "$WINDOWS_TARGET" --message-format=json-render-diagnostics \
    "${WINDOWS_TEST_TARGETS[@]}" >>"$json"
  build_seconds=$((SECONDS - started))
  local executables
  executables=$(windows_test_executables <"$json")
  rm -f "$json"
  [ -n "$executables" ] || die "cargo listed no Windows test executables"

  local first_exe deps target_dir
  first_exe=$(head -n 1 <<<"$executables" | cut -f 2)
  deps=$(dirname "$first_exe")
  target_dir=$(dirname "$(dirname "$deps")")
  WINDOWS_WINEPREFIX="$target_dir/wine-prefix"
  local logs="$target_dir/wine-logs"
  rm -rf "$logs" && mkdir -p "$logs"

  build_process_prng_shim "$deps"
  cp "$deps/bcryptprimitives.dll" "$(dirname "$deps")/"
  prepare_wine_prefix

  local skips=() name
  for name in "${WINDOWS_SKIPPED_TESTS[@]}"; do skips+=(--skip "$name"); done
  local passed=0 failed=0 silent=() summary ran_at=$SECONDS package exe log status
  say "Windows: running $(wc -l <<<"$executables") test executables under Wine ($(windows_wine wine --version))"
  while IFS=$'\t' read -r package exe; do
    log="$logs/$(basename "$package")-$(basename "$exe" .exe).log"
    status=0
    (cd "$package" && windows_wine timeout 1200 wine "$exe" --exact "${skips[@]}" </dev/null >"$log" 2>&1) || status=$?
    summary=$(grep -a '^test result:' "$log" | tail -n 1 || true)
    if [ -z "$summary" ]; then
      silent+=("$exe (exit status $status, log: $log)")
      continue
    fi
    printf '  %-16s %-28s %s\n' "$(basename "$package")" "$(basename "$exe" .exe)" "${summary#test result: }" >&2
    passed=$((passed + $(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$summary")))
    failed=$((failed + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$summary")))
    if [ "$status" -ne 0 ]; then
      grep -a -E '^(---- |thread .* panicked|failures:|    [a-z_:]+$)' "$log" | head -n 40 >&2 || true
      say "full log: $log"
    fi
  done <<<"$executables"
  windows_wine wineserver -w

  say "Windows (Wine): $passed passed, $failed failed (built in ${build_seconds} s, ran in $((SECONDS - ran_at)) s)"
  say "Windows (Wine): not run: ${#WINDOWS_SKIPPED_TESTS[@]} tests, as ${WINDOWS_SKIPPED_WHY}"
  if ((${#silent[@]})); then
    die "these Windows test executables reported no result under Wine: ${silent[*]}"
  fi
  ((failed == 0)) || die "$failed Windows tests failed under Wine (logs in $logs)"
}
