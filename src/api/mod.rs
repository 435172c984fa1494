//! The typed Management API: operation descriptors, parameter and response types, and one
//! method per operation on [`NeonClient`].
//!
//! These first operations are hand-written; the generator replaces them with the whole spec.

pub mod models;

use crate::client::{CallOptions, NeonClient};
use crate::error::Error;
use crate::operation::{BodyKind, Operation, PathParam, QueryParam, QueryStyle};
use crate::transport::Method;
use models::*;

const PROJECT_ID: PathParam = PathParam { name: "project_id", js_name: "projectId" };
const OPERATION_ID: PathParam = PathParam { name: "operation_id", js_name: "operationId" };

const fn query(name: &'static str, required: bool) -> QueryParam {
    QueryParam { name, required, style: QueryStyle::FormExploded }
}

/// The operations this module knows, by `operationId`.
pub const OPERATIONS: &[Operation] = &[
    Operation {
        id: "listProjects",
        method: Method::Get,
        path: "/projects",
        path_params: &[],
        query_params: &[
            query("cursor", false),
            query("limit", false),
            query("search", false),
            query("org_id", false),
            query("timeout", false),
            query("recoverable", false),
        ],
        body: BodyKind::None,
        deprecated: false,
    },
    Operation {
        id: "createProject",
        method: Method::Post,
        path: "/projects",
        path_params: &[],
        query_params: &[],
        body: BodyKind::Required,
        deprecated: false,
    },
    Operation {
        id: "getProject",
        method: Method::Get,
        path: "/projects/{project_id}",
        path_params: &[PROJECT_ID],
        query_params: &[],
        body: BodyKind::None,
        deprecated: false,
    },
    Operation {
        id: "deleteProject",
        method: Method::Delete,
        path: "/projects/{project_id}",
        path_params: &[PROJECT_ID],
        query_params: &[],
        body: BodyKind::None,
        deprecated: false,
    },
    Operation {
        id: "getConnectionURI",
        method: Method::Get,
        path: "/projects/{project_id}/connection_uri",
        path_params: &[PROJECT_ID],
        query_params: &[
            query("branch_id", false),
            query("endpoint_id", false),
            query("database_name", true),
            query("role_name", true),
            query("pooled", false),
        ],
        body: BodyKind::None,
        deprecated: false,
    },
    Operation {
        id: "listProjectOperations",
        method: Method::Get,
        path: "/projects/{project_id}/operations",
        path_params: &[PROJECT_ID],
        query_params: &[query("cursor", false), query("limit", false)],
        body: BodyKind::None,
        deprecated: false,
    },
    Operation {
        id: "getProjectOperation",
        method: Method::Get,
        path: "/projects/{project_id}/operations/{operation_id}",
        path_params: &[PROJECT_ID, OPERATION_ID],
        query_params: &[],
        body: BodyKind::None,
        deprecated: false,
    },
];

/// The operation with this `operationId`.
pub fn operation(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.id == id)
}

fn op(index: usize) -> &'static Operation {
    &OPERATIONS[index]
}

impl NeonClient {
    /// Lists the projects the API key can see (`GET /projects`).
    pub async fn list_projects(&self, params: &ListProjectsParams, options: &CallOptions) -> Result<ListProjectsResponse, Error> {
        self.invoke(op(0), params, options).await
    }

    /// Creates a project with its default branch, endpoint, role and database (`POST /projects`).
    pub async fn create_project(&self, params: &CreateProjectParams, options: &CallOptions) -> Result<CreatedProject, Error> {
        self.invoke(op(1), params, options).await
    }

    /// Retrieves one project (`GET /projects/{project_id}`).
    pub async fn get_project(&self, params: &GetProjectParams, options: &CallOptions) -> Result<ProjectResponse, Error> {
        self.invoke(op(2), params, options).await
    }

    /// Deletes a project (`DELETE /projects/{project_id}`).
    pub async fn delete_project(&self, params: &DeleteProjectParams, options: &CallOptions) -> Result<ProjectResponse, Error> {
        self.invoke(op(3), params, options).await
    }

    /// Builds a connection URI for a database and role (`GET /projects/{project_id}/connection_uri`).
    pub async fn get_connection_uri(&self, params: &GetConnectionUriParams, options: &CallOptions) -> Result<ConnectionUriResponse, Error> {
        self.invoke(op(4), params, options).await
    }

    /// Lists a project's operations (`GET /projects/{project_id}/operations`).
    pub async fn list_project_operations(&self, params: &ListProjectOperationsParams, options: &CallOptions) -> Result<OperationsResponse, Error> {
        self.invoke(op(5), params, options).await
    }

    /// Retrieves one operation (`GET /projects/{project_id}/operations/{operation_id}`).
    pub async fn get_project_operation(&self, params: &GetProjectOperationParams, options: &CallOptions) -> Result<OperationResponse, Error> {
        self.invoke(op(6), params, options).await
    }
}
