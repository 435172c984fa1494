//! A Claimable Neon session as the Management client's API key: the service proxies an
//! allowlisted subset of the Management API under `<origin>/v1`, authorised by the session's
//! access tokens. This adapter lives here, above both halves, because `postgres` (the
//! session) and `management` (the client) may not import each other.
//!
//! ```no_run
//! # async fn f(session: neon_edge::claimable_neon::ClaimableNeonSession) -> Result<(), neon_edge::Error> {
//! use neon_edge::{ApiKey, NeonClient};
//! use std::sync::Arc;
//! let neon = NeonClient::builder()
//!     .api_key(ApiKey::Provider(Arc::new(session.clone())))
//!     .base_url(session.management_base_url())
//!     .build()?;
//! # Ok(()) }
//! ```

use crate::core::error::{ApiError, Error, FailedOperation};
use crate::core::options::RequestOptions;
use crate::core::secret::Secret;
use crate::core::transport::BoxFuture;
use crate::management::config::ApiKeyProvider;
use crate::postgres::claimable_neon::{ClaimableNeonError, ClaimableNeonSession};

impl ApiKeyProvider for ClaimableNeonSession {
    /// The session's access token (cached, or a new exchange); an exchange the service refuses
    /// is an [`Error::Api`] with the service's code (`invalid_grant`, `project_claimed`, …).
    fn api_key(&self) -> BoxFuture<'_, Result<Secret, Error>> {
        Box::pin(async move { self.access_token(&RequestOptions::default()).await.map_err(to_core_error) })
    }
}

fn to_core_error(error: ClaimableNeonError) -> Error {
    match error {
        ClaimableNeonError::DeadAssertion(e) | ClaimableNeonError::Service(e) => Error::Api(ApiError {
            status: e.status,
            code: Some(e.code),
            message: e.message,
            request_id: e.request_id,
            operation: Some(e.operation),
        }),
        ClaimableNeonError::ClaimEnded { state } => Error::Operation {
            failed: vec![FailedOperation { id: String::new(), action: "claim".into(), status: state, error: None }],
        },
        ClaimableNeonError::Other(e) => e,
    }
}
