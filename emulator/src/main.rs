//! `neon-emulator`: serves the emulated Neon APIs on 127.0.0.1 until Ctrl-C.

use std::time::Duration;

use emulator::{Config, PgMode};

const USAGE: &str = "usage: neon-emulator [--port N] [--wire-port N] [--pg-url URL | --pg-auto] [--op-duration-ms N]
                     [--rate-limit-per-minute N] [--rate-limit-route-per-second N] [--log-requests]

Serves Neon's Management API (/api/v2), Claimable Postgres (/api/v1), Claimable Neon (/v1/agent,
/v1/oauth2, /v1/projects, /v1/databases, /claim, /.well-known: the base URL is its origin), SQL over
HTTP (/sql) and the Postgres protocol over WebSocket (/v2) on 127.0.0.1, and the Postgres wire protocol on a
second port, and prints `neon-emulator listening on http://127.0.0.1:PORT` once ready.
  --port N                         port to bind (0, the default, picks a free one)
  --wire-port N                    port of the Postgres wire protocol (0, the default, a free one)
  --pg-auto                        create a throwaway PostgreSQL cluster (initdb) for the databases
  --pg-url URL                     use an existing PostgreSQL server (a role that may CREATE DATABASE)
  --op-duration-ms N               how long each operation runs (default 200)
  --rate-limit-per-minute N        requests per API key per minute (default 700, 0 = off)
  --rate-limit-route-per-second N  requests per key and route per second (default 40, 0 = off)
  --log-requests                   log each request to stderr

Control endpoints for tests: POST /__emulator/faults, DELETE /__emulator/faults,
POST /__emulator/reset, POST /__emulator/config, POST /__emulator/claimable/{id}/advance,
POST /__emulator/claimable/{id}/expire, POST /__emulator/organizations, GET /__emulator/health,
/__emulator/claimable-neon/* (see emulator/README.md).";

fn parse_args() -> Result<Config, String> {
    let mut config = Config::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                config.port = value("--port")?
                    .parse()
                    .map_err(|_| "--port: not a port".to_string())?
            }
            "--wire-port" => {
                config.wire_port = value("--wire-port")?
                    .parse()
                    .map_err(|_| "--wire-port: not a port".to_string())?
            }
            "--pg-auto" => config.pg = PgMode::Auto,
            "--log-requests" => config.log_requests = true,
            "--pg-url" => config.pg = PgMode::Url(value("--pg-url")?),
            "--op-duration-ms" => {
                let ms: u64 = value("--op-duration-ms")?
                    .parse()
                    .map_err(|_| "--op-duration-ms: not a number".to_string())?;
                config.op_duration = Duration::from_millis(ms);
            }
            "--rate-limit-per-minute" => {
                config.rate_limit_per_minute = value("--rate-limit-per-minute")?
                    .parse()
                    .map_err(|_| "--rate-limit-per-minute: not a number".to_string())?
            }
            "--rate-limit-route-per-second" => {
                config.rate_limit_route_per_second = value("--rate-limit-route-per-second")?
                    .parse()
                    .map_err(|_| "--rate-limit-route-per-second: not a number".to_string())?
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(config)
}

#[tokio::main]
async fn main() {
    let config = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut signals = StopSignals::listen();
    let handle = match emulator::start(config).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("neon-emulator: {e}");
            std::process::exit(1);
        }
    };
    if let Some(pg) = &handle.pg_address {
        emulator::log(&format!("PostgreSQL at {pg}"));
    }
    {
        // Write errors (a closed pipe) must not kill the server: nobody reads this line then.
        use std::io::Write;
        let mut out = std::io::stdout();
        let _ = writeln!(out, "neon-emulator listening on {}", handle.base_url);
        let _ = writeln!(
            out,
            "neon-emulator Claimable Neon origin {}",
            handle.claimable_neon_origin
        );
        let _ = out.flush();
    }
    signals.wait().await;
    emulator::log("stopping");
    handle.shutdown().await;
}

/// Ctrl-C and SIGTERM, listened for from the start so that a signal arriving while the
/// cluster is being created still stops everything cleanly.
struct StopSignals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            StopSignals {
                interrupt: signal(SignalKind::interrupt()).ok(),
                terminate: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    async fn wait(&mut self) {
        #[cfg(unix)]
        {
            if let (Some(i), Some(t)) = (self.interrupt.as_mut(), self.terminate.as_mut()) {
                tokio::select! {
                    _ = i.recv() => {}
                    _ = t.recv() => {}
                }
                return;
            }
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}
