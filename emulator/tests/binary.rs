//! The `neon-emulator` command: its one stdout line, its flags, and Ctrl-C cleaning up.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_neon-emulator");

#[test]
fn help_exits_zero_and_unknown_flags_exit_two() {
    let help = Command::new(BIN).arg("--help").output().expect("runs");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--pg-auto"));
    let bad = Command::new(BIN).arg("--nope").output().expect("runs");
    assert_eq!(bad.status.code(), Some(2));
}

#[tokio::test]
async fn it_prints_its_address_and_ctrl_c_stops_it_and_removes_the_cluster() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--pg-auto", "--op-duration-ms", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("one line");
    let url = line
        .trim()
        .strip_prefix("neon-emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?} (is PostgreSQL installed?)"))
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let health: serde_json::Value = reqwest::get(format!("{url}/__emulator/health"))
        .await
        .expect("up")
        .json()
        .await
        .expect("json");
    let data_dir = health["postgres_data_dir"]
        .as_str()
        .expect("a temporary cluster")
        .to_string();
    assert!(std::path::Path::new(&data_dir).exists());

    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().expect("waits") {
            break s;
        }
        assert!(Instant::now() < deadline, "the emulator did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    assert!(
        !std::path::Path::new(&data_dir).exists(),
        "the temporary cluster was removed"
    );
}
