//! `operations.waitFor`: the existing operation wait under the name `@neon/sdk` gives it,
//! reporting each polling round as a progress step.

use super::run::{Run, WorkflowOptions, WorkflowResult};
use crate::core::json::Json;
use crate::management::client::NeonClient;
use crate::management::wait::OperationState;

/// The `operations` workflows of a client: `client.operations()`.
#[derive(Debug, Clone, Copy)]
pub struct OperationWorkflows<'a> {
    pub(crate) client: &'a NeonClient,
}

impl OperationWorkflows<'_> {
    /// Waits until every operation (API operation objects or ids) of the project is
    /// terminal and returns their last known states; fails with the operations that
    /// failed, errored or were cancelled.
    pub async fn wait_for(&self, project_id: &str, operations: &[Json], options: &WorkflowOptions) -> WorkflowResult<Vec<OperationState>> {
        let run = Run::new(self.client, "operations.waitFor", options);
        let project = run.required(Some(project_id), "projectId")?;
        run.wait("wait_for_operations", project, operations, &[]).await
    }
}
