//! The .env parser and merger. The input is the file's text, then `\0`-separated keys and
//! values to add. Nothing may panic; a merge that succeeds keeps the file's text as its
//! prefix, every earlier entry as it was, and reads back each added value exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neon_edge::dotenv::{Addition, ClaimableEnv, DotEnv};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let mut parts = input.split('\0');
    let text = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let additions: Vec<Addition> = rest.chunks(2).map(|kv| Addition::new(kv[0], kv.get(1).copied().unwrap_or_default())).collect();

    let env = DotEnv::parse(text);
    assert_eq!(env.as_str(), text);
    for entry in env.entries() {
        assert!(env.contains(&entry.key));
    }
    if let Ok(merged) = env.merge(&additions) {
        assert!(merged.starts_with(text), "merge rewrote the file's text");
        let reread = DotEnv::parse(&merged);
        assert_eq!(reread.entries().get(..env.entries().len()), Some(env.entries()));
        for addition in &additions {
            assert_eq!(reread.get(&addition.key), Some(addition.value.as_str()), "{merged:?}");
        }
    }
    let field = |i: usize| rest.get(i).copied().unwrap_or_default();
    let block = ClaimableEnv::new(field(0), field(1), field(2), field(3)).with_prefix(field(4)).with_key(field(5));
    if let Ok(merged) = block.merge_into(&env) {
        assert!(merged.starts_with(text));
        assert_eq!(DotEnv::parse(&merged).get(block.key()), Some(field(0)));
    }
});
