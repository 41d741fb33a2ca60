#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    hearth::server::cli::main()
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The client is a library loaded by the browser; the binary needs the `ssr` feature.
}
