//! Connections before calls: accepting them, capping how many are open, and closing those that
//! never begin HTTP/2 or fall idle.
//!
//! tonic serves whatever connections it is handed and keeps them for as long as the peer does;
//! a peer that connects and never speaks would hold a file descriptor and ~30 KB forever. This
//! module decides what tonic is handed: at most `max_connections` at once, each closed if it has
//! not begun HTTP/2 within `handshake_timeout`, or has carried no call for `idle_timeout`.

mod accept;

pub use accept::{Acceptor, default_max_connections};

use futures_util::Stream;
use std::{
    future::Future,
    io,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    task::{Context, Poll, ready},
    time::Duration,
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::OwnedSemaphorePermit,
    time::{Instant, Sleep},
};
use tonic::transport::server::Connected;

/// The HTTP/2 client preface (24 bytes) and the header of the SETTINGS frame that must follow
/// it: a client has begun HTTP/2 once this much has arrived.
const HANDSHAKE_BYTES: usize = 24 + 9;

/// A GOAWAY frame (type 7) on stream 0: no error, and no stream of the peer's left to process.
/// Sent only when no call is open, so every stream the peer opens afterwards may be retried.
const IDLE_GOAWAY: [u8; 17] = [0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// How many connections may be open, and how long they may stay without doing anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Most connections open at once; further ones are closed as soon as they are accepted.
    pub max_connections: usize,
    /// How long a new connection has to begin HTTP/2 (or, with TLS, to complete its handshake).
    pub handshake_timeout: Duration,
    /// How long a connection may carry no call before it is closed (with GOAWAY).
    pub idle_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: default_max_connections(),
            handshake_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(300),
        }
    }
}

/// The calls open on one connection, shared by the connection and the calls made on it.
#[derive(Debug)]
pub struct OpenCalls {
    count: AtomicUsize,
    /// When the last call ended, in milliseconds since `opened`.
    idle_since: AtomicU64,
    opened: Instant,
}

impl Default for OpenCalls {
    fn default() -> Self {
        Self {
            count: AtomicUsize::new(0),
            idle_since: AtomicU64::new(0),
            opened: Instant::now(),
        }
    }
}

impl OpenCalls {
    /// Counts a call as open until the guard is dropped.
    pub fn enter(self: &Arc<Self>) -> CallOpen {
        self.count.fetch_add(1, Ordering::AcqRel);
        CallOpen(self.clone())
    }

    /// When the connection last had no call open, or `None` while one is.
    fn idle_since(&self) -> Option<Instant> {
        if self.count.load(Ordering::Acquire) > 0 {
            return None;
        }
        let millis = self.idle_since.load(Ordering::Acquire);
        Some(self.opened + Duration::from_millis(millis))
    }
}

/// A call open on a connection; dropping it ends the call.
#[derive(Debug)]
pub struct CallOpen(Arc<OpenCalls>);

impl Drop for CallOpen {
    fn drop(&mut self) {
        let calls = &self.0;
        if calls.count.fetch_sub(1, Ordering::AcqRel) == 1 {
            let millis = u64::try_from(calls.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
            calls.idle_since.store(millis, Ordering::Release);
        }
    }
}

/// What the calls made on a connection know of it: tonic puts it in every request's extensions.
#[derive(Debug, Clone)]
pub struct Peer {
    /// The peer's address.
    pub address: SocketAddr,
    /// The calls open on the connection.
    pub calls: Arc<OpenCalls>,
}

/// The connections `listener` accepts, within `limits`, for tonic to serve. With `plaintext`
/// false (TLS), an idle connection is closed without GOAWAY: only the TLS layer may write to it.
pub fn incoming(
    listener: TcpListener,
    limits: ConnectionLimits,
    plaintext: bool,
) -> impl Stream<Item = io::Result<Connection>> + Send {
    let acceptor = Acceptor::new(listener, limits.max_connections, "grpc");
    futures_util::stream::unfold(acceptor, move |mut acceptor| async move {
        let (stream, address, slot) = acceptor.accept().await;
        // Nagle's algorithm would hold every small answer back for a delayed ACK.
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot set TCP_NODELAY");
        }
        let connection = Connection::new(stream, address, slot, limits, plaintext);
        Some((Ok(connection), acceptor))
    })
}

/// An accepted connection, closed when it does not begin HTTP/2 in time or falls idle.
pub struct Connection {
    stream: TcpStream,
    peer: Peer,
    /// Bytes still to arrive before the client has begun HTTP/2; 0 once it has.
    handshake_left: usize,
    /// The handshake deadline, then the idle deadline.
    deadline: Pin<Box<Sleep>>,
    idle_armed: bool,
    idle_timeout: Duration,
    plaintext: bool,
    /// Whether the last write was taken whole: only then does a frame written now start at a
    /// frame boundary.
    writes_whole: bool,
    _slot: OwnedSemaphorePermit,
}

impl Connection {
    fn new(
        stream: TcpStream,
        address: SocketAddr,
        slot: OwnedSemaphorePermit,
        limits: ConnectionLimits,
        plaintext: bool,
    ) -> Self {
        Self {
            stream,
            peer: Peer {
                address,
                calls: Arc::default(),
            },
            handshake_left: HANDSHAKE_BYTES,
            deadline: Box::pin(tokio::time::sleep(limits.handshake_timeout)),
            idle_armed: false,
            idle_timeout: limits.idle_timeout,
            plaintext,
            writes_whole: true,
            _slot: slot,
        }
    }

    /// Called while the peer has nothing to read: an error once the connection must close.
    ///
    /// The idle deadline is not moved as calls come and go (that would touch the timer on every
    /// call): when it passes, the connection closes if it has had no call since, and otherwise
    /// sets it again from the end of its last call.
    fn poll_expired(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        if self.handshake_left > 0 {
            ready!(self.deadline.as_mut().poll(cx));
            return Poll::Ready(closed("handshake_timeout", "no HTTP/2 handshake in time"));
        }
        if !self.idle_armed {
            self.idle_armed = true;
            let until = Instant::now() + self.idle_timeout;
            self.deadline.as_mut().reset(until);
        }
        loop {
            ready!(self.deadline.as_mut().poll(cx));
            let now = Instant::now();
            let idle_until = match self.peer.calls.idle_since() {
                Some(since) => since + self.idle_timeout,
                None => now + self.idle_timeout,
            };
            if idle_until <= now {
                break;
            }
            self.deadline.as_mut().reset(idle_until);
        }
        if self.plaintext && self.writes_whole {
            // Best effort: a peer that is not reading simply sees the connection close.
            let _ = self.stream.try_write(&IDLE_GOAWAY);
        }
        Poll::Ready(closed("idle", "no call for the idle timeout"))
    }
}

/// Counts a connection closed for `reason`, and the error that closes it.
fn closed(reason: &'static str, message: &'static str) -> io::Error {
    metrics::counter!("paydiag_connections_closed_total", "reason" => reason).increment(1);
    io::Error::new(io::ErrorKind::TimedOut, message)
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.stream).poll_read(cx, buf) {
            Poll::Pending => this.poll_expired(cx).map(Err),
            Poll::Ready(Ok(())) => {
                let read = buf.filled().len() - before;
                this.handshake_left = this.handshake_left.saturating_sub(read);
                Poll::Ready(Ok(()))
            }
            failed => failed,
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = ready!(Pin::new(&mut this.stream).poll_write(cx, buf));
        this.writes_whole = matches!(written, Ok(n) if n == buf.len());
        Poll::Ready(written)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = ready!(Pin::new(&mut this.stream).poll_write_vectored(cx, bufs));
        let total: usize = bufs.iter().map(|b| b.len()).sum();
        this.writes_whole = matches!(written, Ok(n) if n == total);
        Poll::Ready(written)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

impl Connected for Connection {
    type ConnectInfo = Peer;

    fn connect_info(&self) -> Peer {
        self.peer.clone()
    }
}
