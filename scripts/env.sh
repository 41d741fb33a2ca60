# Sourced by hearth.sh and the other scripts: where tools and build artefacts live.
# Everything persistent is outside the clone, so a fresh clone (CI) reuses earlier builds.
export HEARTH_CACHE="${HEARTH_CACHE:-$HOME/.cache/hearth}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HEARTH_CACHE/target}"
export HEARTH_TOOLS="$HEARTH_CACHE/tools"
export PATH="$HEARTH_TOOLS/bin:$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Builds use the committed .sqlx/ query data; no database is needed to compile.
export SQLX_OFFLINE="${SQLX_OFFLINE:-true}"
# cargo-leptos sets this for its builds, and leptos reads it at compile time (the wasm file's
# name in the page). Setting it for every cargo call keeps plain `cargo build/test` builds
# identical to cargo-leptos's: no "_bg.wasm" 404s and no rebuilds of leptos between them.
export LEPTOS_OUTPUT_NAME=hearth
# Versions that must match Cargo.toml / package.json.
export WASM_BINDGEN_VERSION="0.2.130"
export CARGO_LEPTOS_VERSION="0.3.11"

# Runs cargo-leptos with the toolchain recipe of shared/toolchain.md: the wasm front end is
# built by Debian's rustc-web with -Zbuild-std; the server by rustup stable (bin-cargo-command).
# Every build splits the wasm into per-page chunks (`--split`, the #[lazy_route]s of src/app.rs):
# dev builds too, so the tests run what is deployed. Release builds also write brotli-11 and
# gzip copies of the client's files (`--precompress`), which the server sends as they are.
leptos() {
  local cmd=${1:-} extra=()
  case "$cmd" in
    build | serve | watch | end-to-end)
      extra=(--split)
      for a in "$@"; do [ "$a" = --release ] && extra+=(--precompress); done
      shift
      set -- "$cmd" "${extra[@]}" "$@"
      ;;
  esac
  RUSTUP_TOOLCHAIN=/usr RUSTC_BOOTSTRAP=1 cargo leptos "$@"
}
