//! Identifiers and timestamps shaped like Neon's.

use rand::seq::SliceRandom;
use rand::Rng;

const ADJECTIVES: &[&str] = &[
    "aged",
    "ancient",
    "autumn",
    "billowing",
    "bitter",
    "black",
    "blue",
    "bold",
    "broad",
    "broken",
    "calm",
    "cold",
    "cool",
    "crimson",
    "curly",
    "damp",
    "dark",
    "dawn",
    "delicate",
    "divine",
    "dry",
    "empty",
    "falling",
    "fancy",
    "flat",
    "floral",
    "fragrant",
    "frosty",
    "gentle",
    "green",
    "hidden",
    "holy",
    "icy",
    "jolly",
    "late",
    "lingering",
    "little",
    "lively",
    "long",
    "lucky",
    "misty",
    "morning",
    "muddy",
    "mute",
    "nameless",
    "noisy",
    "odd",
    "old",
    "orange",
    "patient",
    "plain",
    "polished",
    "proud",
    "purple",
    "quiet",
    "rapid",
    "raspy",
    "red",
    "restless",
    "rough",
    "round",
    "royal",
    "shiny",
    "shrill",
    "shy",
    "silent",
    "small",
    "snowy",
    "soft",
    "solitary",
    "sparkling",
    "spring",
    "square",
    "steep",
    "still",
    "summer",
    "super",
    "sweet",
    "throbbing",
    "tight",
    "tiny",
    "twilight",
    "wandering",
    "weathered",
    "white",
    "wild",
    "winter",
    "wispy",
    "withered",
    "yellow",
    "young",
];

const NOUNS: &[&str] = &[
    "art",
    "band",
    "bar",
    "base",
    "bird",
    "block",
    "boat",
    "bonus",
    "bread",
    "breeze",
    "brook",
    "bush",
    "butterfly",
    "cake",
    "cell",
    "cherry",
    "cloud",
    "credit",
    "darkness",
    "dawn",
    "dew",
    "disk",
    "dream",
    "dust",
    "feather",
    "field",
    "fire",
    "firefly",
    "flower",
    "fog",
    "forest",
    "frog",
    "frost",
    "glade",
    "glitter",
    "grass",
    "hall",
    "hat",
    "haze",
    "heart",
    "hill",
    "king",
    "lab",
    "lake",
    "leaf",
    "limit",
    "math",
    "meadow",
    "mode",
    "moon",
    "morning",
    "mountain",
    "mouse",
    "mud",
    "night",
    "paper",
    "pine",
    "poetry",
    "pond",
    "queen",
    "rain",
    "recipe",
    "resonance",
    "rice",
    "river",
    "salad",
    "scene",
    "sea",
    "shadow",
    "shape",
    "silence",
    "sky",
    "smoke",
    "snow",
    "snowflake",
    "sound",
    "star",
    "sun",
    "sunset",
    "surf",
    "term",
    "thunder",
    "tooth",
    "tree",
    "truth",
    "union",
    "unit",
    "violet",
    "voice",
    "water",
    "waterfall",
    "wave",
    "wildflower",
    "wind",
    "wood",
];

fn words() -> (String, String) {
    let mut rng = rand::thread_rng();
    let a = ADJECTIVES.choose(&mut rng).copied().unwrap_or("quiet");
    let n = NOUNS.choose(&mut rng).copied().unwrap_or("river");
    (a.to_string(), n.to_string())
}

fn alnum(len: usize) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// `hidden-river-50598307`
pub fn project_id() -> String {
    let (a, n) = words();
    let num: u32 = rand::thread_rng().gen_range(10_000_000..99_999_999);
    format!("{a}-{n}-{num}")
}

/// `br-long-feather-adpbgzlx`
pub fn branch_id() -> String {
    let (a, n) = words();
    format!("br-{a}-{n}-{}", alnum(8))
}

/// `ep-round-morning-adtpn2oc`
pub fn endpoint_id() -> String {
    let (a, n) = words();
    format!("ep-{a}-{n}-{}", alnum(8))
}

/// `snap-quiet-river-adtpn2oc`
pub fn snapshot_id() -> String {
    let (a, n) = words();
    format!("snap-{a}-{n}-{}", alnum(8))
}

/// `org-quiet-river-12345678`
pub fn org_id() -> String {
    let (a, n) = words();
    let num: u32 = rand::thread_rng().gen_range(10_000_000..99_999_999);
    format!("org-{a}-{n}-{num}")
}

/// A random role password like Neon's (`npg_` + 12 characters).
pub fn password() -> String {
    format!("npg_{}", alnum(12))
}

/// An API key secret.
pub fn api_key_secret() -> String {
    format!("napi_{}", alnum(64))
}

/// A physical PostgreSQL database name (short, lowercase, unique enough).
pub fn pg_database_name() -> String {
    format!("nd_{}", alnum(16))
}

/// Now, as Neon writes timestamps (`2025-09-10T12:15:23Z`).
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A timestamp with milliseconds (claimable API style: `2026-01-26T14:19:14.580Z`).
pub fn now_millis_plus(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(hours))
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}
