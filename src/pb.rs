//! The generated protobuf and gRPC code: the only module that includes it.

#![allow(missing_docs, clippy::all, clippy::pedantic)]

/// `package paydiag.v1`.
pub mod v1 {
    tonic::include_proto!("paydiag.v1");
}

/// The encoded `FileDescriptorSet` of `proto/`, imports and doc comments included: served by
/// reflection and used to read and write protobuf JSON.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("paydiag_descriptor");
