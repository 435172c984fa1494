//! Claimable Neon end to end, natively, against the local emulator on a real PostgreSQL: the
//! library as a Rust user calls it (register, a session, credentials, SQL over HTTP, the
//! proxied Management API through `NeonClient`, the claim), over the reqwest transport.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/emulator_client.rs"]
mod support;

use neon_edge::claimable_neon::{ClaimableNeon, ClaimableNeonError, ClaimableNeonSession, Register};
use neon_edge::sql::{Query, SqlClient};
use neon_edge::transport::ReqwestTransport;
use neon_edge::{ApiKey, NeonClient, RequestOptions};
use std::sync::Arc;
use std::time::Duration;
use support::Emulator;

fn service(emu: &Emulator) -> ClaimableNeon {
    ClaimableNeon::builder()
        .origin(emu.handle.claimable_neon_origin.clone())
        .transport(Arc::new(ReqwestTransport::new().unwrap()))
        .build()
        .unwrap()
}

async fn registered(emu: &Emulator) -> (ClaimableNeonSession, String) {
    let cn = service(emu);
    let request = Register { capabilities: vec!["postgres".into()], source: Some("neon-edge-tests".into()), data_api: None };
    let reg = cn.register(&request, &RequestOptions::default()).await.unwrap();
    assert!(reg.registration_id.starts_with("reg_"));
    assert!(reg.capabilities.iter().any(|c| c.capability == "postgres" && c.granted));
    assert!(!format!("{reg:?}").contains(reg.identity_assertion.expose()), "Debug hides the assertion");
    let session = cn.session(reg.identity_assertion.clone(), &reg.project_id).unwrap();
    (session, reg.branch_id)
}

fn none() -> RequestOptions {
    RequestOptions::default()
}

async fn sql_answers(emu: &Emulator, url: &str) -> Result<(), neon_edge::sql::SqlError> {
    let db = SqlClient::builder(url).endpoint(format!("{}/sql", emu.handle.base_url)).transport(Arc::new(ReqwestTransport::new().unwrap())).build()?;
    db.query(&Query::new("SELECT 1"), &none()).await.map(drop)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_credentials_sql_proxy_then_claim_and_the_old_url_is_refused() {
    let emu = Emulator::start().await;
    let (session, branch_id) = registered(&emu).await;
    let project_id = session.project_id().to_owned();

    let creds = session.credentials(&none()).await.unwrap();
    assert_eq!(creds.project_id, project_id);
    sql_answers(&emu, creds.database_url.expose()).await.unwrap();

    // The allowlisted Management API, through the typed client with the session as its key.
    let neon = NeonClient::builder()
        .api_key(ApiKey::Provider(Arc::new(session.clone())))
        .base_url(session.management_base_url())
        .transport(Arc::new(ReqwestTransport::new().unwrap()))
        .build()
        .unwrap();
    // The proxy reduces a project to six fields, fewer than the typed `ProjectResponse`
    // requires: read it raw.
    let ids = serde_json::json!({"projectId": project_id});
    let project = neon.execute(neon_edge::api::operations::GET_PROJECT, &ids, &Default::default()).await.unwrap();
    let project: serde_json::Value = serde_json::from_slice(&project.body).unwrap();
    assert_eq!(project["project"]["id"], project_id.as_str());
    let body = serde_json::json!({"projectId": project_id, "branchId": branch_id, "body": {"branch": {"name": "renamed"}}});
    let renamed = neon.execute(neon_edge::api::operations::UPDATE_PROJECT_BRANCH, &body, &Default::default()).await.unwrap();
    let renamed = String::from_utf8(renamed.body).unwrap();
    assert!(renamed.contains("\"renamed\""), "{renamed}");
    assert_eq!(session.exchanges(), 1, "one token served every call");

    // The claim: pending -> accepted -> reconciled, driven through the control plane.
    let code = session.claim(&none()).await.unwrap();
    assert!(code.verification_uri_complete.contains(&code.user_code));
    assert_eq!(session.claim_status(&none()).await.unwrap().state, "pending");
    let base = format!("claimable-neon/projects/{project_id}/claim");
    emu.control(&format!("{base}/accept"), serde_json::json!({})).await;
    assert_eq!(session.claim_status(&none()).await.unwrap().state, "accepted");
    emu.control(&format!("{base}/reconcile"), serde_json::json!({})).await;
    let mut seen = Vec::new();
    let done = session.wait_for_claim(Duration::from_millis(50), &mut |s| seen.push(s.state.clone()), &none()).await.unwrap();
    assert!(done.reconciled, "{seen:?}");
    assert!(sql_answers(&emu, creds.database_url.expose()).await.is_err(), "the pre-claim URL is dead");
    let dead = session.credentials(&none()).await.unwrap_err();
    assert!(matches!(&dead, ClaimableNeonError::DeadAssertion(e) if e.code == "project_claimed"), "{dead:?}");
    // The claimed project shows under the emulator's own Management API.
    assert!(emu.client().execute(neon_edge::api::operations::GET_PROJECT, &ids, &Default::default()).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_tokens_are_re_exchanged_and_concurrent_calls_share_one_exchange() {
    let emu = Emulator::start().await;
    let (session, _) = registered(&emu).await;
    let options = none();
    let calls: Vec<_> = (0..20).map(|_| session.credentials(&options)).collect();
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(session.exchanges(), 1);
    emu.control(&format!("claimable-neon/projects/{}/expire-tokens", session.project_id()), serde_json::json!({})).await;
    session.credentials(&none()).await.unwrap();
    assert_eq!(session.exchanges(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_project_is_a_dead_assertion_and_a_deleted_one_too() {
    let emu = Emulator::start().await;
    let (session, _) = registered(&emu).await;
    emu.control(&format!("claimable-neon/projects/{}/expire", session.project_id()), serde_json::json!({})).await;
    let error = session.credentials(&none()).await.unwrap_err();
    assert!(matches!(&error, ClaimableNeonError::DeadAssertion(e) if e.code == "project_expired" && e.status == 410), "{error:?}");

    let (session, _) = registered(&emu).await;
    session.delete(&none()).await.unwrap();
    let error = session.revoke(&none()).await.and(session.credentials(&none()).await.map(drop)).unwrap_err();
    assert!(error.service().is_some(), "{error:?}");
}
