//! Links the `parafind` binary as a position-dependent executable on Linux: a PIE must apply
//! tens of thousands of relocations to the data of its dependencies (Unicode and HTML entity
//! tables) at every start, which costs a search about 0.6 ms of its ~3 ms (measured with
//! `perf stat` and hyperfine; see BENCHMARKS.md).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
