//! wasm tests in Node: real fetch against the loopback mock server.
#![cfg(target_arch = "wasm32")]

include!("wasm/common.rs");

mod resilience {
    include!("wasm/resilience.rs");

    /// Node's fetch says why a connection failed (`cause.code`): a refused one provably sent
    /// nothing, so even a create is retried (browsers do not say; their fetch stays "maybe sent").
    #[wasm_bindgen_test]
    async fn a_refused_connection_is_retried_even_for_a_post() {
        let (mut policy, events) = recording();
        policy.max_attempts = 2;
        policy.base_delay = Duration::from_millis(10);
        // Port 2: nothing listens there (9, the usual one, is on fetch's blocked-port list,
        // which fails without a `cause.code`).
        let c = builder("http://127.0.0.1:2/api/v2".into()).retry(policy).rate_limiter(None).build().unwrap();
        let op = neon_edge::api::operation("createProject").unwrap();
        let err = c.execute(op, &json!({ "body": { "project": {} } }), &CallOptions::default()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Network, "{err}");
        let events = events.lock().unwrap();
        assert_eq!(events.len(), 1, "one retry of the refused POST: {events:?}");
        assert_eq!(events[0].reason, RetryReason::Network);
    }
}
