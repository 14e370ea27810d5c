//! Compiles `proto/` with the pure-Rust `protox` compiler (no system `protoc`) and generates the
//! tonic services. The encoded descriptor set keeps source info so that server reflection, and so
//! `grpcurl describe`, show the proto's doc comments.

use std::{env, fs, path::PathBuf};

const PROTOS: &[&str] = &[
    "paydiag/v1/facts.proto",
    "paydiag/v1/diagnosis.proto",
    "paydiag/v1/triage.proto",
    "paydiag/v1/diagnosis_service.proto",
    "paydiag/v1/fact_service.proto",
];

/// Set to a PostgreSQL URL to run the tests that need PostgreSQL (see `tests/`).
const POSTGRES_TEST_URL: &str = "PAYDIAG_TEST_POSTGRES_URL";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto");
    // Tests that need PostgreSQL are ignored, with a reason saying how to run them, unless the
    // URL is set when building: then they run like every other test.
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo:rerun-if-env-changed={POSTGRES_TEST_URL}");
    if env::var_os(POSTGRES_TEST_URL).is_some() {
        println!("cargo:rustc-cfg=postgres_tests");
    }
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);

    let mut compiler = protox::Compiler::new(["proto"])?;
    compiler.include_source_info(true).include_imports(true);
    compiler.open_files(PROTOS)?;
    fs::write(
        out_dir.join("paydiag_descriptor.bin"),
        compiler.encode_file_descriptor_set(),
    )?;

    tonic_prost_build::configure()
        .extern_path(".google.rpc.Status", "::tonic_types::Status")
        // Ordered maps: evidence is listed in key order, and small maps build and read faster
        // than hash maps.
        .btree_map(".")
        // prost's codec with a smaller encode buffer (see `pb::Codec`).
        .codec_path("crate::pb::Codec")
        .compile_fds(compiler.file_descriptor_set())?;
    Ok(())
}
