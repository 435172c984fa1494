//! The claimable block (`ClaimableEnv`): what it writes into a .env file, and the expiry date
//! it writes as a comment.

use super::claimable::format_utc_date;
use super::*;

fn env(text: &str) -> DotEnv {
    DotEnv::parse(text)
}

const POOLED: &str = "postgresql://o:p@ep-a-pooler.us-east-2.aws.neon.tech/neondb?sslmode=require";
const DIRECT: &str = "postgresql://o:p@ep-a.us-east-2.aws.neon.tech/neondb?sslmode=require";
const CLAIM: &str = "https://neon.new/claim/019beb39-37fb-709d-87ac-7ad6198b89f7";

fn block() -> ClaimableEnv {
    ClaimableEnv::new(POOLED, DIRECT, "2026-01-26T14:19:14.580Z", CLAIM)
}

#[test]
fn claimable_block_matches_what_neon_new_writes() {
    let out = block().merge_into(&env("")).unwrap();
    assert_eq!(
        out,
        format!(
            "DATABASE_URL={POOLED}\nDATABASE_URL_DIRECT={DIRECT}\n# Claimable DB expires at: Mon, 26 Jan 2026 14:19:14 GMT\n# Claim it now to your account using the link below:\nPUBLIC_POSTGRES_CLAIM_URL={CLAIM}\n"
        )
    );
}

#[test]
fn claimable_block_uses_the_chosen_key_and_prefix() {
    let b = block().with_key("NEON_URL").with_prefix("VITE_");
    assert_eq!(
        (b.key(), b.direct_key(), b.claim_url_key()),
        (
            "NEON_URL",
            "NEON_URL_DIRECT".into(),
            "VITE_POSTGRES_CLAIM_URL".into()
        )
    );
    let e = env(&b.merge_into(&env("OTHER=1\n")).unwrap());
    assert_eq!(e.get("NEON_URL"), Some(POOLED));
    assert_eq!(e.get("NEON_URL_DIRECT"), Some(DIRECT));
    assert_eq!(e.get("VITE_POSTGRES_CLAIM_URL"), Some(CLAIM));
}

#[test]
fn claim_url_is_found_again_under_the_prefixed_key() {
    let out = block()
        .with_prefix("NEXT_PUBLIC_")
        .merge_into(&env(""))
        .unwrap();
    assert_eq!(env(&out).get(&claim_url_key("NEXT_PUBLIC_")), Some(CLAIM));
    assert_eq!(claim_url_key(DEFAULT_PREFIX), "PUBLIC_POSTGRES_CLAIM_URL");
}

#[test]
fn claimable_block_with_an_empty_prefix_writes_postgres_claim_url() {
    assert_eq!(
        block().with_prefix("").claim_url_key(),
        "POSTGRES_CLAIM_URL"
    );
}

#[test]
fn claimable_block_is_refused_when_any_of_its_keys_exists() {
    let error = block()
        .merge_into(&env("DATABASE_URL_DIRECT=x\n"))
        .unwrap_err();
    assert_eq!(
        error,
        DotEnvError::KeysExist {
            keys: vec!["DATABASE_URL_DIRECT".into()]
        }
    );
}

#[test]
fn claimable_block_keeps_a_crlf_file_crlf() {
    let out = block().merge_into(&env("A=1\r\n")).unwrap();
    assert!(out.starts_with("A=1\r\n\r\nDATABASE_URL="));
    assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
}

#[test]
fn claimable_block_writes_an_unparseable_expiry_as_given() {
    let out = ClaimableEnv::new(POOLED, DIRECT, "in 72 hours", CLAIM)
        .merge_into(&env(""))
        .unwrap();
    assert!(out.contains("# Claimable DB expires at: in 72 hours\n"));
}

#[test]
fn claimable_block_cannot_inject_lines_through_the_expiry() {
    let out = ClaimableEnv::new(POOLED, DIRECT, "soon\nDATABASE_URL=evil", CLAIM)
        .merge_into(&env(""))
        .unwrap();
    assert!(out.contains("# Claimable DB expires at: soon\n# DATABASE_URL=evil\n"));
    assert_eq!(env(&out).get("DATABASE_URL"), Some(POOLED));
}

#[test]
fn expiry_is_formatted_as_a_utc_date() {
    assert_eq!(
        format_utc_date("2026-02-01T12:00:00Z").as_deref(),
        Some("Sun, 01 Feb 2026 12:00:00 GMT")
    );
    assert_eq!(
        format_utc_date("1970-01-01T00:00:00Z").as_deref(),
        Some("Thu, 01 Jan 1970 00:00:00 GMT")
    );
    assert_eq!(
        format_utc_date("2024-02-29 23:59:59.999999z").as_deref(),
        Some("Thu, 29 Feb 2024 23:59:59 GMT")
    );
}

#[test]
fn expiry_offsets_are_converted_to_utc_across_days_and_years() {
    assert_eq!(
        format_utc_date("2025-12-31T22:30:00-02:00").as_deref(),
        Some("Thu, 01 Jan 2026 00:30:00 GMT")
    );
    assert_eq!(
        format_utc_date("2026-03-01T01:00:00+05:30").as_deref(),
        Some("Sat, 28 Feb 2026 19:30:00 GMT")
    );
}

#[test]
fn invalid_expiry_timestamps_are_not_formatted() {
    for s in [
        "",
        "2026-02-30T00:00:00Z",
        "2025-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T00:00:00",
        "2026-01-01T00:00:00+5:00",
        "2026-01-01T00:00:00.Z",
        "２０２６-01-01T00:00:00Z",
        "2026-01-01T00:00:00Zjunk",
    ] {
        assert_eq!(format_utc_date(s), None, "{s}");
    }
}
