//! Compiles `proto/` with the pure-Rust `protox` compiler (no system `protoc`) and generates the
//! tonic services. The encoded descriptor set keeps source info so that server reflection, and so
//! `grpcurl describe`, show the proto's doc comments.

use std::{env, fs, path::PathBuf};

const PROTOS: &[&str] = &[
    "paydiag/v1/facts.proto",
    "paydiag/v1/diagnosis.proto",
    "paydiag/v1/diagnosis_service.proto",
    "paydiag/v1/fact_service.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto");
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
        .compile_fds(compiler.file_descriptor_set())?;
    Ok(())
}
