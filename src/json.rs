//! Protobuf JSON (the canonical proto3 mapping: lowerCamelCase names, enum names, RFC 3339
//! timestamps) for the command line, read and written through the embedded descriptors.

use crate::pb::FILE_DESCRIPTOR_SET;
use anyhow::Context as _;
use prost::Message;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor};
use std::sync::OnceLock;

fn descriptor(full_name: &str) -> anyhow::Result<MessageDescriptor> {
    static POOL: OnceLock<Result<DescriptorPool, String>> = OnceLock::new();
    let pool = POOL
        .get_or_init(|| DescriptorPool::decode(FILE_DESCRIPTOR_SET).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| anyhow::anyhow!("embedded descriptors are invalid: {e}"))?;
    pool.get_message_by_name(full_name)
        .with_context(|| format!("unknown message {full_name}"))
}

/// Writes `message` (of protobuf type `full_name`) as pretty JSON.
pub fn to_json<M: Message>(message: &M, full_name: &str) -> anyhow::Result<String> {
    let dynamic =
        DynamicMessage::decode(descriptor(full_name)?, message.encode_to_vec().as_slice())?;
    Ok(serde_json::to_string_pretty(&dynamic)?)
}

/// Reads a message of protobuf type `full_name` from JSON.
pub fn from_json<M: Message + Default>(json: &str, full_name: &str) -> anyhow::Result<M> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let dynamic = DynamicMessage::deserialize(descriptor(full_name)?, &mut deserializer)?;
    deserializer.end()?;
    Ok(dynamic.transcode_to()?)
}
