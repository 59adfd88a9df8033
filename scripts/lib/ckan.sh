# Sourced by scripts/test (from the repository root, after `say` and `die` are defined): starts the
# loopback test CKAN from ../shared/ckan (the ADC stand-in the catalog-adc integration tests call) and
# exports CATALOG_TEST_CKAN_ENV, the path of its env file (CKAN_URL, CKAN_ORG_ID, the tokens ...).
# First start on a machine: apt (PostgreSQL, Redis) + pip (CKAN) into ${CKAN_LAB_DIR:-/tmp/ckan-lab},
# about a minute here; later starts take seconds. Settings: see ../shared/ckan/README.md.

ensure_ckan() {
  local start=../shared/ckan/start-ckan env_file t0
  [ -f "$start" ] || die "$start is missing: the integration tests need the shared test CKAN beside the repository (../shared/ckan)"
  say "test CKAN: starting (first start installs PostgreSQL, Redis and CKAN; progress below)"
  t0=$(date +%s)
  if ! env_file=$(bash "$start"); then
    die "the test CKAN did not start (see the [start-ckan] lines above and the logs in ${CKAN_LAB_DIR:-${TMPDIR:-/tmp}/ckan-lab}/log)"
  fi
  [ -n "$env_file" ] && [ -r "$env_file" ] || die "start-ckan printed no readable env file (got '$env_file')"
  grep -q '^CKAN_URL=' "$env_file" || die "the test CKAN env file $env_file has no CKAN_URL"
  export CATALOG_TEST_CKAN_ENV=$env_file
  say "test CKAN: ready in $(($(date +%s) - t0)) s, CATALOG_TEST_CKAN_ENV=$env_file"
}
