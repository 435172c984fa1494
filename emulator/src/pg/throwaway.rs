//! A throwaway cluster (`--pg-auto`): copied from an `initdb` template into a temp directory,
//! started on a free loopback port, and stopped and removed when dropped. Clusters left behind
//! by emulators that died are removed by the next one.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use tokio::process::Command;

use super::PgCluster;

/// A cluster this process created, stopped and removed when dropped.
pub(super) struct OwnedCluster {
    pub(super) data_dir: PathBuf,
    pg_ctl: PathBuf,
    run_as: Option<String>,
}

impl Drop for OwnedCluster {
    fn drop(&mut self) {
        let data = self.data_dir.to_string_lossy().to_string();
        let pg_ctl = self.pg_ctl.to_string_lossy().to_string();
        let args = [
            pg_ctl.as_str(),
            "-D",
            data.as_str(),
            "-m",
            "immediate",
            "-w",
            "stop",
        ];
        let _ = command_as(self.run_as.as_deref(), &args).output();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// A std command for `args`, run as `user` through `runuser` when given.
fn command_as(user: Option<&str>, args: &[&str]) -> StdCommand {
    match user {
        Some(u) => {
            let mut c = StdCommand::new("runuser");
            c.arg("-u").arg(u).arg("--").args(args);
            c
        }
        None => {
            let (program, rest) = args.split_first().unwrap_or((&"true", &[]));
            let mut c = StdCommand::new(program);
            c.args(rest);
            c
        }
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

/// The directory holding `initdb`, `pg_ctl` and `postgres`.
pub fn find_pg_bin_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("NEON_EMULATOR_PG_BIN") {
        let p = PathBuf::from(dir);
        if p.join("initdb").exists() {
            return Some(p);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|d| {
        let initdb = d.join("initdb");
        let real = std::fs::canonicalize(&initdb).ok()?;
        let dir = real.parent()?.to_path_buf();
        dir.join("pg_ctl").exists().then_some(dir)
    })
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

async fn run(user: Option<&str>, args: &[&str], what: &str) -> Result<(), String> {
    let std_cmd = command_as(user, args);
    let out = Command::from(std_cmd)
        .output()
        .await
        .map_err(|e| format!("{what}: cannot run {}: {e}", args.first().unwrap_or(&"")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

impl PgCluster {
    /// Creates and starts a throwaway cluster in a temp directory on a free loopback port.
    pub async fn start_temporary() -> Result<Self, String> {
        let bin = find_pg_bin_dir().ok_or_else(|| {
            "initdb not found: install PostgreSQL (Debian: apt-get install postgresql) or set NEON_EMULATOR_PG_BIN".to_string()
        })?;
        let run_as = is_root().then(|| "postgres".to_string());
        let suffix: u64 = rand::random();
        let parent = cluster_parent_dir(run_as.is_some());
        remove_orphans(&parent, &bin, run_as.as_deref());
        let user = run_as.as_deref();
        let template = ensure_template(&parent, &bin, user).await?;
        let data_dir = parent.join(format!("neon-emulator-pg-{:x}", suffix & 0xffff_ffff));
        let owned = OwnedCluster {
            data_dir: data_dir.clone(),
            pg_ctl: bin.join("pg_ctl"),
            run_as: run_as.clone(),
        };
        let data = data_dir.to_string_lossy().to_string();
        // A copy of a cluster made once by initdb: much faster than initdb each time.
        let source = template.to_string_lossy().to_string();
        run(
            None,
            &["cp", "-a", &source, &data],
            "copying the initdb template",
        )
        .await?;
        // Lets a later emulator remove this cluster if this process dies without cleaning up.
        let _ = std::fs::write(data_dir.join(OWNER_FILE), std::process::id().to_string());
        let port = free_port()?;
        let opts = format!(
            "-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        );
        let log = Path::new(&data)
            .join("server.log")
            .to_string_lossy()
            .to_string();
        let pg_ctl = owned.pg_ctl.to_string_lossy().to_string();
        run(
            user,
            &[
                &pg_ctl, "-D", &data, "-l", &log, "-o", &opts, "-w", "-t", "60", "start",
            ],
            "pg_ctl start",
        )
        .await
        .map_err(|e| format!("{e}\n{}", std::fs::read_to_string(&log).unwrap_or_default()))?;
        let mut config = tokio_postgres::Config::new();
        config
            .host("127.0.0.1")
            .port(port)
            .user("postgres")
            .dbname("postgres");
        PgCluster::open(config, Some(owned))
            .await
            .map_err(|e| format!("cannot connect to the new cluster: {e}"))
    }
}

/// The file in a temporary cluster's directory naming the emulator process that owns it.
const OWNER_FILE: &str = "neon-emulator.pid";

/// Where temporary clusters go: the temp directory, or `/tmp` when it is long (the Unix socket
/// path must stay under 108 bytes) or when the cluster runs as `postgres` (which must reach it).
fn cluster_parent_dir(as_other_user: bool) -> PathBuf {
    let tmp = std::env::temp_dir();
    if as_other_user || tmp.as_os_str().len() > 60 {
        PathBuf::from("/tmp")
    } else {
        tmp
    }
}

/// Stops and removes clusters left behind by emulator processes that no longer exist.
fn remove_orphans(parent: &Path, bin: &Path, run_as: Option<&str>) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let dir = e.path();
        if !e
            .file_name()
            .to_string_lossy()
            .starts_with("neon-emulator-pg-")
        {
            continue;
        }
        let Some(pid) = std::fs::read_to_string(dir.join(OWNER_FILE))
            .ok()
            .and_then(|p| p.trim().parse::<u32>().ok())
        else {
            continue;
        };
        if process_alive(pid) {
            continue;
        }
        let data = dir.to_string_lossy().to_string();
        let pg_ctl = bin.join("pg_ctl").to_string_lossy().to_string();
        let _ = command_as(
            run_as,
            &[&pg_ctl, "-D", &data, "-m", "immediate", "-w", "stop"],
        )
        .output();
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Whether a process exists and is not a zombie.
fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next())
                != Some("Z")
        }
        Err(_) => false,
    }
}

/// Marks a finished initdb template.
const TEMPLATE_READY: &str = "neon-emulator-template-ready";

/// A cluster directory made by `initdb` once and copied for every temporary cluster.
async fn ensure_template(parent: &Path, bin: &Path, user: Option<&str>) -> Result<PathBuf, String> {
    let version = bin
        .parent()
        .and_then(|v| v.file_name())
        .map(|v| v.to_string_lossy().to_string())
        .unwrap_or_else(|| "pg".into());
    let dir = parent.join(format!(
        "neon-emulator-initdb-{version}-{}",
        user.unwrap_or("self")
    ));
    if dir.join(TEMPLATE_READY).exists() {
        return Ok(dir);
    }
    let suffix: u64 = rand::random();
    let tmp = parent.join(format!(
        "neon-emulator-initdb-tmp-{:x}",
        suffix & 0xffff_ffff
    ));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("cannot create {tmp:?}: {e}"))?;
    let data = tmp.to_string_lossy().to_string();
    let made = async {
        if let Some(u) = user {
            run(None, &["chown", "-R", &format!("{u}:"), &data], "chown").await?;
        }
        let initdb = bin.join("initdb").to_string_lossy().to_string();
        let args = [
            initdb.as_str(),
            "-D",
            data.as_str(),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ];
        run(user, &args, "initdb").await?;
        std::fs::write(tmp.join(TEMPLATE_READY), b"ok").map_err(|e| e.to_string())
    }
    .await;
    if let Err(e) = made {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    // Another emulator may have finished first: then its template is used and ours dropped.
    if std::fs::rename(&tmp, &dir).is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    if dir.join(TEMPLATE_READY).exists() {
        Ok(dir)
    } else {
        Err(format!("the initdb template {dir:?} is incomplete"))
    }
}
