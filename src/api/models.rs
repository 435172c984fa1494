//! Parameter and response types of the first hand-written operations.
//!
//! Field names follow the spec; parameter types use the JS argument shape (path
//! parameters in camelCase, query parameters by spec name, the body under `body`).

use serde::{Deserialize, Serialize};

macro_rules! model {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
        pub struct $name { $($body)* }
    };
}

model! {
    /// Arguments of `listProjects`.
    pub struct ListProjectsParams {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub cursor: Option<String>,
        /// 1 to 400.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub limit: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub search: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub org_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub timeout: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub recoverable: Option<bool>,
    }
}

model! {
    /// A project as listed.
    pub struct ProjectListItem {
        pub id: String,
        pub name: String,
        pub region_id: String,
        pub pg_version: i64,
        pub created_at: String,
        pub updated_at: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub org_id: Option<String>,
    }
}

model! {
    /// A cursor for the next page.
    pub struct Pagination {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub cursor: Option<String>,
    }
}

model! {
    /// The answer of `listProjects`.
    pub struct ListProjectsResponse {
        pub projects: Vec<ProjectListItem>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub pagination: Option<Pagination>,
        /// Projects that could not be loaded for this page.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub unavailable_project_ids: Option<Vec<String>>,
    }
}

model! {
    /// Settings of a new project.
    pub struct ProjectCreateSettings {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub region_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub pg_version: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub org_id: Option<String>,
    }
}

model! {
    /// The body of `createProject`.
    pub struct ProjectCreateRequest {
        pub project: ProjectCreateSettings,
    }
}

model! {
    /// Arguments of `createProject`.
    pub struct CreateProjectParams {
        pub body: ProjectCreateRequest,
    }
}

model! {
    /// Arguments of `getProject`.
    pub struct GetProjectParams {
        #[serde(rename = "projectId")]
        pub project_id: String,
    }
}

model! {
    /// Arguments of `deleteProject`.
    pub struct DeleteProjectParams {
        #[serde(rename = "projectId")]
        pub project_id: String,
    }
}

model! {
    /// A project.
    pub struct Project {
        pub id: String,
        pub name: String,
        pub region_id: String,
        pub pg_version: i64,
        pub created_at: String,
        pub updated_at: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub org_id: Option<String>,
    }
}

model! {
    /// The answer of `getProject` and `deleteProject`.
    pub struct ProjectResponse {
        pub project: Project,
    }
}

model! {
    /// A connection URI with its parameters.
    pub struct ConnectionDetails {
        pub connection_uri: String,
    }
}

model! {
    /// A long-running Neon operation.
    pub struct NeonOperation {
        pub id: String,
        pub project_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub branch_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub endpoint_id: Option<String>,
        pub action: String,
        /// scheduling, running, finished, failed, error, cancelling, cancelled, skipped.
        pub status: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub error: Option<String>,
        pub failures_count: i64,
        pub created_at: String,
        pub updated_at: String,
    }
}

model! {
    /// The answer of `createProject`.
    pub struct CreatedProject {
        pub project: Project,
        pub connection_uris: Vec<ConnectionDetails>,
        pub operations: Vec<NeonOperation>,
    }
}

model! {
    /// Arguments of `getConnectionURI`.
    pub struct GetConnectionUriParams {
        #[serde(rename = "projectId")]
        pub project_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub branch_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub endpoint_id: Option<String>,
        pub database_name: String,
        pub role_name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub pooled: Option<bool>,
    }
}

model! {
    /// The answer of `getConnectionURI`.
    pub struct ConnectionUriResponse {
        pub uri: String,
    }
}

model! {
    /// Arguments of `listProjectOperations`.
    pub struct ListProjectOperationsParams {
        #[serde(rename = "projectId")]
        pub project_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub cursor: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub limit: Option<i64>,
    }
}

model! {
    /// The answer of `listProjectOperations`.
    pub struct OperationsResponse {
        pub operations: Vec<NeonOperation>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        pub pagination: Option<Pagination>,
    }
}

model! {
    /// Arguments of `getProjectOperation`.
    pub struct GetProjectOperationParams {
        #[serde(rename = "projectId")]
        pub project_id: String,
        #[serde(rename = "operationId")]
        pub operation_id: String,
    }
}

model! {
    /// The answer of `getProjectOperation`.
    pub struct OperationResponse {
        pub operation: NeonOperation,
    }
}
