# Shared by the bench scripts (source it from the repository's root).

# GNU time, for peak memory (`%M`): installed with apt-get when missing.
command -v /usr/bin/time >/dev/null || apt-get install -y time >/dev/null

# The binary to measure, as an absolute path (scripts change directory): the path given, else
# a release build of this checkout.
parafind_binary() {
  if [[ -n "${1:-}" ]]; then
    realpath "$1"
  else
    cargo build --release --quiet
    echo "$PWD/target/release/parafind"
  fi
}
