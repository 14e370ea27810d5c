//! A TCP proxy in front of PostgreSQL that a test can switch off, to take the database away
//! from a store and give it back without touching the shared server.

#![allow(dead_code)]

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};
use tokio::{
    io::{AsyncReadExt as _, AsyncWriteExt as _},
    net::{
        TcpListener, TcpStream,
        tcp::{OwnedReadHalf, OwnedWriteHalf},
    },
    sync::watch,
};
use tokio_util::sync::CancellationToken;

/// What the proxy does with connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Passes bytes both ways.
    Forward,
    /// The server is down: new connections are refused (nothing listens on the port) and every
    /// open one is cut.
    Refuse,
    /// The network lost its route: connections are accepted, nothing is passed on either way,
    /// and open connections simply hang. Forwarding again delivers what was held back.
    Blackhole,
}

/// A running proxy; dropping it closes every connection through it.
#[derive(Debug)]
pub struct Proxy {
    addr: SocketAddr,
    mode: watch::Sender<Mode>,
    /// Connections numbered below this hang for good (see [`Proxy::stall_open_connections`]).
    stalled_below: watch::Sender<u64>,
    accepted: Arc<AtomicU64>,
    stop: CancellationToken,
}

/// What a proxied connection watches.
#[derive(Clone)]
struct Watch {
    mode: watch::Receiver<Mode>,
    stalled_below: watch::Receiver<u64>,
    /// This connection's number, in order of acceptance.
    number: u64,
}

impl Proxy {
    /// Starts forwarding from a fresh loopback port to `upstream`.
    pub async fn start(upstream: (String, u16)) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the proxy");
        let addr = listener.local_addr().expect("the proxy's address");
        let (mode, watching) = watch::channel(Mode::Forward);
        let (stalled_below, stalls) = watch::channel(0);
        let accepted = Arc::new(AtomicU64::new(0));
        let stop = CancellationToken::new();
        let numbered = (stalls, accepted.clone());
        tokio::spawn(accept(listener, upstream, watching, numbered, stop.clone()));
        Self {
            addr,
            mode,
            stalled_below,
            accepted,
            stop,
        }
    }

    /// Where stores should connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Switches the proxy to `mode`, at once for open connections too.
    pub fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }

    /// The route to the database behind every connection open now is lost for good (as when
    /// it failed over to another machine at the same address): those connections hang, passing
    /// nothing either way, until cut; connections opened from now on are forwarded.
    pub fn stall_open_connections(&self) {
        self.stalled_below
            .send_replace(self.accepted.load(Ordering::SeqCst));
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Accepts connections while not refusing; refusing closes the listening socket, so that
/// connecting fails at once, and forwarding again binds the same port anew.
async fn accept(
    listener: TcpListener,
    upstream: (String, u16),
    mut mode: watch::Receiver<Mode>,
    (stalled_below, accepted): (watch::Receiver<u64>, Arc<AtomicU64>),
    stop: CancellationToken,
) {
    let addr = listener.local_addr().expect("the proxy's address");
    let mut listener = Some(listener);
    loop {
        let current = *mode.borrow_and_update();
        if current == Mode::Refuse {
            listener = None;
        } else if listener.is_none() {
            // Nobody else binds a port a moment ago handed out by the kernel; if someone did,
            // the test fails on the database not coming back, after this message.
            let rebound = TcpListener::bind(addr).await;
            listener = Some(rebound.unwrap_or_else(|e| panic!("rebinding proxy {addr}: {e}")));
        }
        tokio::select! {
            () = stop.cancelled() => return,
            changed = mode.changed() => if changed.is_err() { return },
            incoming = async { listener.as_ref().expect("listening").accept().await },
                if listener.is_some() =>
            {
                if let Ok((client, _)) = incoming {
                    let watch = Watch {
                        mode: mode.clone(),
                        stalled_below: stalled_below.clone(),
                        number: accepted.fetch_add(1, Ordering::SeqCst),
                    };
                    tokio::spawn(connection(client, upstream.clone(), watch, stop.clone()));
                }
            }
        }
    }
}

/// One proxied connection: held while blackholed or stalled, cut when refusing or stopped.
async fn connection(
    client: TcpStream,
    upstream: (String, u16),
    mut watch: Watch,
    stop: CancellationToken,
) {
    let cut = {
        let mut mode = watch.mode.clone();
        async move {
            let _ = mode.wait_for(|m| *m == Mode::Refuse).await;
        }
    };
    let forward = async {
        // Accepted while blackholed: the database is not even contacted until forwarding.
        if !watch.forwarding().await {
            return;
        }
        let Ok(server) = TcpStream::connect((upstream.0.as_str(), upstream.1)).await else {
            return;
        };
        let _ = (client.set_nodelay(true), server.set_nodelay(true));
        let (client_read, client_write) = client.into_split();
        let (server_read, server_write) = server.into_split();
        tokio::select! {
            () = pump(client_read, server_write, watch.clone()) => {}
            () = pump(server_read, client_write, watch.clone()) => {}
        }
    };
    // Whichever ends first drops both sockets, which closes the connection both ways.
    tokio::select! {
        () = stop.cancelled() => {}
        () = cut => {}
        () = forward => {}
    }
}

impl Watch {
    /// Waits while blackholed or stalled; true when forwarding, false when refusing (or the
    /// proxy is gone).
    async fn forwarding(&mut self) -> bool {
        loop {
            let stalled = *self.stalled_below.borrow_and_update() > self.number;
            let mode = *self.mode.borrow_and_update();
            match mode {
                Mode::Refuse => return false,
                Mode::Forward if !stalled => return true,
                _ => {}
            }
            tokio::select! {
                changed = self.mode.changed() => if changed.is_err() { return false },
                changed = self.stalled_below.changed() => if changed.is_err() { return false },
            }
        }
    }

    /// Completes when the mode or the stall changes.
    async fn changed(&mut self) {
        tokio::select! {
            _ = self.mode.changed() => {}
            _ = self.stalled_below.changed() => {}
        }
    }
}

/// Copies `from` to `to` while forwarding; a blackhole holds bytes back until forwarding again,
/// a stall for good.
async fn pump(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, mut watch: Watch) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if !watch.forwarding().await {
            return;
        }
        let read = tokio::select! {
            read = from.read(&mut buf) => read,
            // Switched while waiting for bytes: look again before passing any.
            () = watch.changed() => continue,
        };
        let n = match read {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        // Bytes read just as the blackhole or stall began are held back too.
        if !watch.forwarding().await || to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}
