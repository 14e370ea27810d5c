//! The generated protobuf and gRPC code: the only module that includes it.

#![allow(missing_docs, clippy::all, clippy::pedantic)]

/// `package paydiag.v1`.
pub mod v1 {
    tonic::include_proto!("paydiag.v1");
}

/// The encoded `FileDescriptorSet` of `proto/`, imports and doc comments included: served by
/// reflection and used to read and write protobuf JSON.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("paydiag_descriptor");

/// The protobuf codec of every generated service and client: prost's, with a 4 KiB encode
/// buffer rather than tonic's 8 KiB. A diagnosis with its findings (about 2.4 KiB) still fits
/// without growing it, and each open `WatchDiagnosis` stream, which keeps its buffer between
/// messages, holds half as much.
#[derive(Debug, Clone, Copy)]
pub struct Codec<T, U>(std::marker::PhantomData<(T, U)>);

/// The encode buffer's initial size.
const ENCODE_BUFFER: usize = 4 * 1024;
/// Encoded bytes handed on at once when a stream has more messages ready: tonic's default.
const YIELD_THRESHOLD: usize = 32 * 1024;

impl<T, U> Default for Codec<T, U> {
    fn default() -> Self {
        Self(std::marker::PhantomData)
    }
}

impl<T, U> tonic::codec::Codec for Codec<T, U>
where
    T: prost::Message + Send + 'static,
    U: prost::Message + Default + Send + 'static,
{
    type Encode = T;
    type Decode = U;
    type Encoder = tonic_prost::ProstEncoder<T>;
    type Decoder = tonic_prost::ProstDecoder<U>;

    fn encoder(&mut self) -> Self::Encoder {
        let settings = tonic::codec::BufferSettings::new(ENCODE_BUFFER, YIELD_THRESHOLD);
        tonic_prost::ProstCodec::<T, U>::raw_encoder(settings)
    }

    fn decoder(&mut self) -> Self::Decoder {
        tonic_prost::ProstCodec::<T, U>::raw_decoder(tonic::codec::BufferSettings::default())
    }
}
