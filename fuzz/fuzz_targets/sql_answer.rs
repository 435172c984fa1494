//! SQL-over-HTTP answers, read as a user's `SqlClient` reads them (over the scripted
//! transport): the first byte picks the status (2xx answers to a query and to a
//! transaction, or an error), the rest is the body. Nothing may panic, and no result or
//! error ever shows the connection string's password, even when the server echoes it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neon_edge::sql::http::TransactionOptions;
use neon_edge::sql::{Query, SqlClient};
use neon_edge::transport::{ScriptedResponse, ScriptedTransport};
use neon_edge::RequestOptions;
use std::sync::Arc;

const PASSWORD: &str = "npg_s3cretPW";

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let status = match pick % 4 {
        0 | 1 => 200,
        2 => 400,
        _ => 500 + u16::from(pick / 4 % 5),
    };
    let transport = ScriptedTransport::new();
    transport.push(ScriptedResponse::raw(status, &[("content-type", "application/json")], body));
    let url = format!("postgresql://owner:{PASSWORD}@ep-fuzz.us-east-2.aws.neon.test/neondb");
    let Ok(client) = SqlClient::builder(url).transport(Arc::new(transport)).build() else {
        panic!("the fixed connection string must build")
    };
    let options = RequestOptions::default();
    // A successful result carries the server's rows as they are; errors are what get scrubbed.
    let error = if pick % 2 == 0 {
        pollster::block_on(client.query(&Query::new("SELECT 1"), &options)).map(|result| {
            let _ = result.row_objects();
            let _ = result.decode::<serde_json::Value>();
        })
    } else {
        let queries = [Query::new("SELECT 1"), Query::new("SELECT 2")];
        pollster::block_on(client.transaction(&queries, &TransactionOptions::default(), &options)).map(drop)
    };
    if let Err(e) = error {
        let shown = format!("{e}");
        assert!(!shown.contains(PASSWORD), "{shown}");
        // `Debug` writes a line feed as `\n`: a line feed then `pg_s3cretPW` (no password in
        // the text) would read as the password, so that escape is read back first.
        let debug = format!("{e:?}").replace("\\n", "\n");
        assert!(!debug.contains(PASSWORD), "{debug}");
    }
});
