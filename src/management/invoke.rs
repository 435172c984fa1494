//! A call as callers make it: one call through the policies
//! ([`NeonClient::execute_once`]), then what the call's options ask on top — resolving a
//! create that found its resource already there (`ifExists`), and waiting for the operations
//! the answer lists (`wait`). The typed API methods and the JS bindings call through here;
//! nothing below this layer calls back up into it.

use crate::core::error::Error;
use crate::core::transport::HttpResponse;
use crate::management::args::Args;
use crate::management::client::{CallOptions, IfExists, NeonClient};
use crate::management::policies::FirstOutcome;
use crate::management::operation::Operation;
use crate::management::if_exists::{self, Existing};
use crate::management::wait;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// What a create resolves to under `IfExists::Return`.
#[derive(Debug, Clone, PartialEq)]
pub enum Created<R> {
    /// The create succeeded: its own response.
    New(R),
    /// The resource was already there (409 "already exists").
    Existing(Existing),
}

impl NeonClient {
    /// Calls `op` once, then resolves a 409 "already exists" to the existing resource when
    /// the options ask for it, then waits for the operations of either answer when asked.
    async fn call(
        &self,
        op: Operation,
        args: &dyn Args,
        options: &CallOptions,
        first: Option<FirstOutcome>,
    ) -> Result<Result<HttpResponse, Existing>, Error> {
        let started_ms = first.as_ref().map_or_else(|| self.runtime().now_ms(), |f| f.started_ms);
        let outcome = match self.execute_once_after(op, args, options, first).await {
            Err(Error::Api(api)) if options.if_exists == IfExists::Return && if_exists::applies(op, &api) => {
                Err(if_exists::find_existing(self, op, args, options, api).await?)
            }
            other => Ok(other?),
        };
        if options.wait {
            let response = match &outcome {
                Ok(response) => std::borrow::Cow::Borrowed(response),
                Err(existing) => std::borrow::Cow::Owned(existing.to_response()),
            };
            wait::wait_for_response(self, &response, options, started_ms).await?;
        }
        Ok(outcome)
    }

    /// Calls `op` with `args` and returns the raw successful response, honouring the
    /// options' `if_exists` and `wait`. A resource found already there answers with
    /// [`Existing::to_json`]'s body.
    pub async fn execute(
        &self,
        op: Operation,
        args: &dyn Args,
        options: &CallOptions,
    ) -> Result<HttpResponse, Error> {
        self.execute_from(op, args, options, None).await
    }

    /// [`execute`](NeonClient::execute), for a call whose first attempt may have been sent by
    /// the caller: with `first`, [`first_attempt`](NeonClient::first_attempt) planned it and
    /// `first` says what it got. Retries (and their pacing) and errors are then as if the
    /// client had sent it.
    pub async fn execute_from(
        &self,
        op: Operation,
        args: &dyn Args,
        options: &CallOptions,
        first: Option<FirstOutcome>,
    ) -> Result<HttpResponse, Error> {
        Ok(self.call(op, args, options, first).await?.unwrap_or_else(|existing| existing.to_response()))
    }

    /// Calls `op` with typed parameters (serialized to the JS argument shape) and decodes
    /// the response into `R`. With `IfExists::Return` a resource found already there has
    /// no `R` to decode into: that is a client error pointing to
    /// [`create_or_existing`](NeonClient::create_or_existing), which returns both cases.
    pub async fn invoke<P: Serialize + ?Sized, R: DeserializeOwned>(
        &self,
        op: Operation,
        params: &P,
        options: &CallOptions,
    ) -> Result<R, Error> {
        match self.create_or_existing(op, params, options).await? {
            Created::New(r) => Ok(r),
            Created::Existing(existing) => Err(Error::unsupported(
                op.id(),
                &crate::core::text::concat(&[
                    "the ",
                    &existing.resource,
                    " already exists; call `create_or_existing` to get it with ifExists",
                ]),
            )),
        }
    }

    /// A create with typed parameters that resolves either to its response or, under
    /// `IfExists::Return`, to the resource found already there (with its unfinished
    /// operations, waited for when `wait` is set).
    pub async fn create_or_existing<P: Serialize + ?Sized, R: DeserializeOwned>(
        &self,
        op: Operation,
        params: &P,
        options: &CallOptions,
    ) -> Result<Created<R>, Error> {
        let args = encode_params(op, params)?;
        match self.call(op, &args, options, None).await? {
            Ok(response) => crate::core::response::decode(&response.body).map(Created::New),
            Err(existing) => Ok(Created::Existing(existing)),
        }
    }
}

/// Typed parameters of `op` in the JS argument shape that [`Args`] reads.
pub(crate) fn encode_params<P: Serialize + ?Sized>(op: Operation, params: &P) -> Result<serde_json::Value, Error> {
    serde_json::to_value(params).map_err(|e| {
        Error::invalid_parameter(op.id(), "params", &crate::core::text::concat(&["parameters could not be encoded: ", &e.to_string()]))
    })
}
