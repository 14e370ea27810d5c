//! A TCP proxy in front of PostgreSQL that a test can switch off, to take the database away
//! from a store and give it back without touching the shared server.

#![allow(dead_code)]

use std::net::SocketAddr;
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
    stop: CancellationToken,
}

impl Proxy {
    /// Starts forwarding from a fresh loopback port to `upstream`.
    pub async fn start(upstream: (String, u16)) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the proxy");
        let addr = listener.local_addr().expect("the proxy's address");
        let (mode, watching) = watch::channel(Mode::Forward);
        let stop = CancellationToken::new();
        tokio::spawn(accept(listener, upstream, watching, stop.clone()));
        Self { addr, mode, stop }
    }

    /// Where stores should connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Switches the proxy to `mode`, at once for open connections too.
    pub fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
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
            accepted = async { listener.as_ref().expect("listening").accept().await },
                if listener.is_some() =>
            {
                if let Ok((client, _)) = accepted {
                    tokio::spawn(connection(client, upstream.clone(), mode.clone(), stop.clone()));
                }
            }
        }
    }
}

/// One proxied connection: held while blackholed, cut when refusing or stopped.
async fn connection(
    client: TcpStream,
    upstream: (String, u16),
    mut mode: watch::Receiver<Mode>,
    stop: CancellationToken,
) {
    let cut = {
        let mut mode = mode.clone();
        async move {
            let _ = mode.wait_for(|m| *m == Mode::Refuse).await;
        }
    };
    let forward = async {
        // Accepted while blackholed: the database is not even contacted until forwarding.
        if !forwarding(&mut mode).await {
            return;
        }
        let Ok(server) = TcpStream::connect((upstream.0.as_str(), upstream.1)).await else {
            return;
        };
        let _ = (client.set_nodelay(true), server.set_nodelay(true));
        let (client_read, client_write) = client.into_split();
        let (server_read, server_write) = server.into_split();
        tokio::select! {
            () = pump(client_read, server_write, mode.clone()) => {}
            () = pump(server_read, client_write, mode.clone()) => {}
        }
    };
    // Whichever ends first drops both sockets, which closes the connection both ways.
    tokio::select! {
        () = stop.cancelled() => {}
        () = cut => {}
        () = forward => {}
    }
}

/// Waits while blackholed; true when forwarding, false when refusing (or the proxy is gone).
async fn forwarding(mode: &mut watch::Receiver<Mode>) -> bool {
    matches!(
        mode.wait_for(|m| *m != Mode::Blackhole).await.map(|m| *m),
        Ok(Mode::Forward)
    )
}

/// Copies `from` to `to` while forwarding; a blackhole holds bytes back until forwarding again.
async fn pump(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, mut mode: watch::Receiver<Mode>) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if !forwarding(&mut mode).await {
            return;
        }
        let read = tokio::select! {
            read = from.read(&mut buf) => read,
            // Switched while waiting for bytes: look at the mode again before passing any.
            _ = mode.changed() => continue,
        };
        let n = match read {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        // Bytes read just as the blackhole began are held back too.
        if !forwarding(&mut mode).await || to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}
