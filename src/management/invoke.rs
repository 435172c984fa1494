//! A call as callers make it: one call through the policies
//! ([`NeonClient::execute_once`]), then what the call's options ask on top — resolving a
//! create that found its resource already there (`ifExists`), and waiting for the operations
//! the answer lists (`wait`). The typed API methods and the JS bindings call through here;
//! nothing below this layer calls back up into it.

use crate::core::error::Error;
use crate::core::transport::HttpResponse;
use crate::management::args::Args;
use crate::management::client::{CallOptions, IfExists, NeonClient};
use crate::management::operation::Operation;
use crate::management::{if_exists, wait};
use serde::de::DeserializeOwned;
use serde::Serialize;

impl NeonClient {
    /// Calls `op` with `args` and returns the raw successful response, honouring the
    /// options' `if_exists` and `wait`.
    pub async fn execute(
        &self,
        op: Operation,
        args: &dyn Args,
        options: &CallOptions,
    ) -> Result<HttpResponse, Error> {
        let started_ms = self.runtime().now_ms();
        let response = match self.execute_once(op, args, options).await {
            Err(Error::Api(api)) if options.if_exists == IfExists::Return && if_exists::applies(op, &api) => {
                return if_exists::find_existing(self, op, args, options, api).await;
            }
            other => other?,
        };
        if options.wait {
            wait::wait_for_response(self, &response, options, started_ms).await?;
        }
        Ok(response)
    }

    /// Calls `op` with typed parameters (serialized to the JS argument shape) and decodes
    /// the response into `R`.
    pub async fn invoke<P: Serialize + ?Sized, R: DeserializeOwned>(
        &self,
        op: Operation,
        params: &P,
        options: &CallOptions,
    ) -> Result<R, Error> {
        let args = encode_params(op, params)?;
        let response = self.execute(op, &args, options).await?;
        crate::core::response::decode(&response.body)
    }
}

/// Typed parameters of `op` in the JS argument shape that [`Args`] reads.
pub(crate) fn encode_params<P: Serialize + ?Sized>(op: Operation, params: &P) -> Result<serde_json::Value, Error> {
    serde_json::to_value(params).map_err(|e| {
        Error::invalid_parameter(op.id(), "params", &["parameters could not be encoded: ", &e.to_string()].concat())
    })
}
