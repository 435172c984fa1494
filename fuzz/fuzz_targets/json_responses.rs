//! The JSON reader, Neon's error bodies and every operation's success decoding: the first
//! byte picks an operation from the table derived from the generated methods (build.rs),
//! the rest is the body. Nothing may panic; a body the reader accepts must read back
//! unchanged from the text it writes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neon_edge::api::*;
use neon_edge::json::Json;
use neon_edge::response;
use neon_edge::transport::HttpResponse;

include!(concat!(env!("OUT_DIR"), "/operations.rs"));

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let (_, decode) = OPERATIONS[usize::from(pick) % OPERATIONS.len()];
    let _ = decode(body);

    if let Ok(value) = Json::parse(body) {
        let text = value.to_text();
        assert_eq!(Json::parse(text.as_bytes()).ok(), Some(value), "written as {text}");
    }
    let answer = HttpResponse { status: 400 + u16::from(pick % 200), headers: Vec::new(), body: body.to_vec() };
    let error = response::api_error(&answer, Some("fuzz"));
    assert!(!error.message.is_empty());
});
