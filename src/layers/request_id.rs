//! Request ids: taken from the caller's `x-request-id` metadata when it is a sensible id,
//! generated otherwise, returned in the response metadata, and carried by a span so that every
//! log line of the call names it.

use super::{BoxFuture, method_of};
use http::{HeaderValue, Request, Response};
use std::{
    sync::{
        OnceLock,
        atomic::{AtomicU64, Ordering},
    },
    task::{Context, Poll},
};
use tower::{Layer, Service};
use tracing::Instrument as _;

/// The metadata key.
pub const HEADER: &str = "x-request-id";

/// Adds request ids.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestIdLayer;

impl<S> Layer<S> for RequestIdLayer {
    type Service = RequestId<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestId { inner }
    }
}

/// The service [`RequestIdLayer`] builds.
#[derive(Debug, Clone)]
pub struct RequestId<S> {
    inner: S,
}

/// A caller's id is kept when it is short printable ASCII; anything else is replaced, so that
/// logs cannot be forged or flooded through it.
fn usable(value: &HeaderValue) -> Option<&str> {
    let id = value.to_str().ok()?;
    let printable = id.bytes().all(|b| b.is_ascii_graphic());
    (!id.is_empty() && id.len() <= 128 && printable).then_some(id)
}

/// A new id: 32 hex digits, unique within the process and unlikely to repeat across processes.
/// A random 64-bit process key, drawn once, then a counter through a bijective mixer: as unique
/// as the counter, without a system call or a random draw per request.
fn generate() -> String {
    static KEYS: OnceLock<(u64, u64)> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let (process, offset) = *KEYS.get_or_init(|| {
        let mut bytes = [0u8; 16];
        // Without randomness ids are still unique within the process: fall back to the clock.
        if getrandom::fill(&mut bytes).is_err() {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            bytes = nanos.to_le_bytes();
        }
        let [a, b] = [&bytes[..8], &bytes[8..]]
            .map(|half| u64::from_le_bytes(half.try_into().unwrap_or_default()));
        (a, b)
    });
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{process:016x}{:016x}", mix(n.wrapping_add(offset)))
}

/// The SplitMix64 finalizer: a bijection on `u64`, so distinct counters give distinct ids.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl<S, B, R> Service<Request<B>> for RequestId<S>
where
    S: Service<Request<B>, Response = Response<R>> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: Send + 'static,
    R: Send + 'static,
{
    type Response = Response<R>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Response<R>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        let id = request
            .headers()
            .get(HEADER)
            .and_then(usable)
            .map_or_else(generate, str::to_owned);
        let value =
            HeaderValue::from_str(&id).unwrap_or_else(|_| HeaderValue::from_static("invalid"));
        request.headers_mut().insert(HEADER, value.clone());
        let span =
            tracing::info_span!("rpc", request_id = %id, method = method_of(request.uri().path()));
        let call = span.in_scope(|| self.inner.call(request));
        Box::pin(
            async move {
                let mut response = call.await?;
                response.headers_mut().insert(HEADER, value);
                Ok(response)
            }
            .instrument(span),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn generated_ids_are_32_hex_digits_and_never_repeat() {
        let ids: HashSet<String> = (0..100_000).map(|_| generate()).collect();
        assert_eq!(ids.len(), 100_000);
        assert!(
            ids.iter()
                .all(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        );
    }

    #[test]
    fn the_mixer_spreads_neighbouring_counters() {
        // Consecutive counters differ in about half their bits.
        let differing = (mix(41) ^ mix(42)).count_ones();
        assert!((16..=48).contains(&differing), "{differing} bits differ");
    }
}
