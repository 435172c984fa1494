//! `Retry-After` (delay-seconds or an HTTP-date) and HTTP-date parsing. The first 8 bytes are
//! the clock (ms), the rest the header value. Nothing may panic; a date reads as a time
//! between 1970 and 9999, and a wait never exceeds the distance to it or the seconds given.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neon_edge::retry::{parse_http_date, retry_after};
use neon_edge::transport::HttpResponse;

fuzz_target!(|data: &[u8]| {
    let Some((clock, value)) = data.split_first_chunk::<8>() else { return };
    let Ok(value) = std::str::from_utf8(value) else { return };
    let now_ms = f64::from_le_bytes(*clock);

    let date = parse_http_date(value);
    if let Some(seconds) = date {
        assert!((0..=253_402_300_800).contains(&seconds), "{value:?} read as {seconds}");
    }
    let answer = HttpResponse { status: 429, headers: vec![("Retry-After".into(), value.into())], body: Vec::new() };
    let wait = retry_after(&answer, now_ms);
    if let (Some(wait), Some(seconds)) = (wait, parse_http_date(value.trim())) {
        if now_ms.is_finite() && now_ms >= 0.0 {
            assert!(wait.as_secs_f64() <= seconds as f64 + 1.0, "{value:?} at {now_ms} waits {wait:?}");
        }
    }
});
