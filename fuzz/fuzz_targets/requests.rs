//! The request validation and conversion layer on arbitrary protobuf bytes: decoding and
//! converting every request type must never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use paydiag::{
    api::{diagnosis_codec::diagnose_input, fact_codec},
    pb::v1 as pb,
};
use prost::Message;

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = pb::DiagnoseRequest::decode(data) {
        let _ = diagnose_input(&request, chrono::DateTime::UNIX_EPOCH);
    }
    if let Ok(batch) = pb::BatchDiagnoseRequest::decode(data) {
        for request in &batch.requests {
            let _ = diagnose_input(request, chrono::DateTime::UNIX_EPOCH);
        }
    }
    if let Ok(item) = pb::ImportFactsRequest::decode(data) {
        let _ = fact_codec::import_item(&item);
    }
    if let Ok(request) = pb::PutTransactionRequest::decode(data) {
        if let Some(t) = &request.transaction {
            let _ = fact_codec::transaction(t, "transaction");
        }
    }
    if let Ok(request) = pb::PutMaintenanceWindowRequest::decode(data) {
        if let Some(w) = &request.maintenance_window {
            let _ = fact_codec::maintenance_window(w, "maintenance_window");
        }
    }
});
