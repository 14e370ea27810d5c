//! A `paydiag serve` process of its own, for figures that must be the server's alone (its
//! resident memory): the binary built beside this one, pinned to CPU 1 with `--pin`.

use anyhow::Context as _;
use std::{
    io::{BufRead as _, BufReader},
    net::SocketAddr,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::Duration,
};

/// A running `paydiag serve`; dropping it kills the process.
pub struct ServerProcess {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// Starts `paydiag serve --db DB` with `flags` and waits until it says where it serves.
    pub fn start(db: &str, flags: &[String], pin: bool) -> anyhow::Result<Self> {
        let exe = sibling("paydiag")?;
        let mut command = if pin {
            let mut taskset = Command::new("taskset");
            taskset.args(["-c", "1"]).arg(&exe);
            taskset
        } else {
            Command::new(&exe)
        };
        command
            // JSON, so that the address is read without colours in the way.
            .args(["--log-format", "json", "serve", "--db", db])
            .args(["--listen", "127.0.0.1:0", "--metrics-listen", "off"])
            .args(flags)
            .env("RUST_LOG", "warn,paydiag::server=info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", exe.display()))?;
        let stderr = child.stderr.take().context("the server's stderr")?;
        let (found, address) = mpsc::channel();
        // Reads the log until the address line, then keeps draining it so the server never
        // finds its stderr full.
        std::thread::spawn(move || {
            let mut found = Some(found);
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let addr = line
                    .contains("serving paydiag.v1")
                    .then(|| {
                        line.split(r#""address":""#)
                            .nth(1)?
                            .split('"')
                            .next()?
                            .parse()
                            .ok()
                    })
                    .flatten();
                if let Some(addr) = addr
                    && let Some(found) = found.take()
                {
                    let _ = found.send(addr);
                }
            }
        });
        let mut server = Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        server.addr = address
            .recv_timeout(Duration::from_secs(60))
            .context("the server did not say where it serves within 60 s")?;
        Ok(server)
    }

    /// The process's resident memory, MiB (`VmRSS` of `/proc/PID/status`).
    pub fn rss_mib(&self) -> anyhow::Result<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
            .context("no VmRSS")?;
        Ok(kib / 1024.0)
    }

    /// CPU time its threads have used so far (`/proc/PID/task/*/schedstat`).
    pub fn cpu_time(&self) -> Duration {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", self.pid()));
        tasks
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
            .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .map(Duration::from_nanos)
            .sum()
    }

    fn pid(&self) -> u32 {
        // Through taskset, which execs the server in its own place: the same process.
        self.child.id()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary `name` built beside this one.
fn sibling(name: &str) -> anyhow::Result<PathBuf> {
    let me = std::env::current_exe().context("finding this binary")?;
    let path = me.with_file_name(name);
    anyhow::ensure!(
        path.exists(),
        "{} not found: build it first (cargo build --release -p paydiag, or without --release)",
        path.display()
    );
    Ok(path)
}
