//! What the service remembers: its signing key, settings, and one record per registration.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use super::errors::{Code, ServiceError};
use super::tokens::Signer;

/// The service's settings; tests shorten the durations through the control plane.
#[derive(Debug, Clone)]
pub struct Config {
    /// Lifetime of an access token (the service's is one hour), before the project's expiry caps it.
    pub access_token_ttl: i64,
    /// Lifetime of an unclaimed project (72 hours is the service's policy).
    pub project_ttl: i64,
    /// Lifetime of a claim attempt's user code.
    pub claim_ttl: i64,
    /// Registrations allowed per client address (0 = unlimited).
    pub registration_limit: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            access_token_ttl: 3600,
            project_ttl: 72 * 3600,
            claim_ttl: 900,
            registration_limit: 0,
        }
    }
}

/// Where a registration's project stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    /// Deleted by its agent: the assertion is revoked.
    Deleted,
    /// Claimed and reconciled: the project belongs to a Neon account now.
    Claimed,
    /// Expired unclaimed (its project is gone).
    Expired,
}

/// A claim attempt's state, as `GET …/claim` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptState {
    Pending,
    Accepted,
    Reconciled,
    Expired,
}

impl AttemptState {
    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            AttemptState::Pending => "pending",
            AttemptState::Accepted => "accepted",
            AttemptState::Reconciled => "reconciled",
            AttemptState::Expired => "expired",
        }
    }
}

/// One claim attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub user_code: String,
    pub expires_at: i64,
    pub state: AttemptState,
    /// The transfer request made when the user code was submitted on `/claim`.
    pub transfer_id: Option<String>,
}

/// One anonymous identity and its project.
#[derive(Debug, Clone)]
pub struct Registration {
    pub id: String,
    pub project_id: String,
    pub branch_id: String,
    pub scopes: Vec<&'static str>,
    /// Unix seconds.
    pub expires_at: i64,
    pub status: Status,
    /// The `jti` of the identity assertion.
    pub assertion_jti: String,
    pub claim: Option<Attempt>,
    /// New access tokens are refused while a submitted claim is under way.
    pub frozen: bool,
    /// Access tokens expired on demand (control plane) and revoked ones, by `jti`.
    pub issued: Vec<String>,
    pub expired_tokens: HashSet<String>,
    pub revoked_tokens: HashSet<String>,
}

impl Registration {
    /// The attempt, with a pending one that ran out of time marked expired (issuance thaws).
    pub fn refresh(&mut self, now: i64) {
        if let Some(a) = &mut self.claim {
            if a.state == AttemptState::Pending && now >= a.expires_at {
                a.state = AttemptState::Expired;
                self.frozen = false;
            }
        }
        if self.status == Status::Active && now >= self.expires_at {
            self.status = Status::Expired;
        }
    }

    /// `claim_in_progress`, with the attempt's state.
    pub fn claim_in_progress(&self) -> ServiceError {
        let state = self
            .claim
            .as_ref()
            .map_or(AttemptState::Pending, |a| a.state);
        ServiceError::new(
            Code::ClaimInProgress,
            "A claim of this project is in progress; only its status can be read.",
        )
        .with("claim_state", state.name())
    }

    /// The pending claim attempt, for the control plane to `action` it.
    pub fn pending_attempt(&mut self, action: &str) -> Result<&mut Attempt, ServiceError> {
        self.claim
            .as_mut()
            .filter(|a| a.state == AttemptState::Pending)
            .ok_or_else(|| {
                ServiceError::new(
                    Code::InvalidRequest,
                    format!("No pending claim attempt to {action}."),
                )
            })
    }

    /// The authoritative refusals of a registration that is no longer usable.
    pub fn usable(&self) -> Result<(), ServiceError> {
        match self.status {
            Status::Active => Ok(()),
            Status::Expired => Err(ServiceError::new(
                Code::ProjectExpired,
                "This project expired before it was claimed.",
            )),
            Status::Claimed => Err(ServiceError::new(
                Code::ProjectClaimed,
                "This project has been claimed; its agent identity no longer has access.",
            )),
            Status::Deleted => Err(ServiceError::new(
                Code::InvalidGrant,
                "This identity has been revoked.",
            )),
        }
    }
}

/// Mutable state of the service.
#[derive(Debug, Default)]
pub struct Registry {
    pub config: Config,
    pub registrations: HashMap<String, Registration>,
    /// Registrations made per client address since the limit was last set.
    pub per_client: HashMap<String, u32>,
}

impl Registry {
    /// The registration of `project_id`.
    pub fn by_project(&mut self, project_id: &str) -> Option<&mut Registration> {
        self.registrations
            .values_mut()
            .find(|r| r.project_id == project_id)
    }
}

/// The service as the app holds it.
#[derive(Debug)]
pub struct Service {
    pub signer: Signer,
    registry: Mutex<Registry>,
}

impl Service {
    /// A service with a fresh signing key.
    pub fn new() -> Result<Service, String> {
        Ok(Service {
            signer: Signer::generate()?,
            registry: Mutex::new(Registry::default()),
        })
    }

    /// Locks the registry; a poisoned lock still holds consistent data for an emulator.
    pub fn lock(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the registration that owns `project_id`.
    pub fn with_project<T>(
        &self,
        project_id: &str,
        f: impl FnOnce(&mut Registration) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let mut registry = self.lock();
        let reg = registry.by_project(project_id).ok_or_else(|| {
            ServiceError::new(
                Code::NotFound,
                format!("No registration owns project {project_id}."),
            )
        })?;
        f(reg)
    }

    /// Forgets every registration and setting (the emulator's reset).
    pub fn reset(&self) {
        *self.lock() = Registry::default();
    }
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Unix seconds as the service writes timestamps (RFC 3339, milliseconds, `Z`).
pub fn iso(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}
