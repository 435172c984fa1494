//! An in-memory transport for tests: canned answers in, a log of requests out.

use super::{BoxFuture, HttpRequest, HttpResponse, SentState, Transport, TransportError};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

/// One canned answer.
#[derive(Debug, Clone)]
pub enum ScriptedResponse {
    /// Answer with this response.
    Reply(HttpResponse),
    /// Fail with this transport error.
    Fail(TransportError),
}

impl ScriptedResponse {
    /// A JSON reply with the given status and body text.
    pub fn json(status: u16, body: &str) -> ScriptedResponse {
        ScriptedResponse::Reply(HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        })
    }

    /// A reply with arbitrary headers and body.
    pub fn raw(status: u16, headers: &[(&str, &str)], body: &[u8]) -> ScriptedResponse {
        ScriptedResponse::Reply(HttpResponse {
            status,
            headers: headers.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect(),
            body: body.to_vec(),
        })
    }
}

#[derive(Default)]
struct Script {
    answers: VecDeque<ScriptedResponse>,
    log: Vec<HttpRequest>,
}

/// Answers requests from a queue and records every request it receives.
#[derive(Clone, Default)]
pub struct ScriptedTransport {
    script: Arc<Mutex<Script>>,
}

impl ScriptedTransport {
    /// An empty script.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Script> {
        self.script.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues an answer.
    pub fn push(&self, answer: ScriptedResponse) -> &Self {
        self.lock().answers.push_back(answer);
        self
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.lock().log.clone()
    }
}

impl Transport for ScriptedTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let mut script = self.lock();
        let cancelled = request.cancel.as_ref().is_some_and(|c| c.is_cancelled());
        script.log.push(request);
        let answer = if cancelled {
            Err(TransportError::Aborted)
        } else {
            match script.answers.pop_front() {
                Some(ScriptedResponse::Reply(r)) => Ok(r),
                Some(ScriptedResponse::Fail(e)) => Err(e),
                None => Err(TransportError::Network {
                    message: "the script has no answer left".into(),
                    sent: SentState::NotSent,
                }),
            }
        };
        Box::pin(async move { answer })
    }
}
