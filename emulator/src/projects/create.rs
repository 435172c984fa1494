//! A new project with its default branch, owner role, database and read-write endpoint: the
//! `POST /projects` handler and the builder it shares with Claimable Postgres.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::merge;
use crate::app::{self, get_branch, get_project, opt_bool, opt_i64, opt_str, parse_body, Shared};
use crate::branches::{branch_connection_uris, new_branch};
use crate::endpoints::new_endpoint;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::render;
use crate::state::{Database, Project, Role, Store};

fn default_settings() -> Value {
    json!({
        "allowed_ips": { "ips": [], "protected_branches_only": false },
        "enable_logical_replication": false,
        "block_public_connections": false,
        "block_vpc_connections": false,
    })
}

/// What a new project (or claimable database) is made of.
pub struct NewProject {
    pub name: Option<String>,
    pub region_id: String,
    pub pg_version: i64,
    pub org_id: String,
    pub settings: Value,
    pub default_endpoint_settings: Value,
    pub history_retention_seconds: i64,
    pub store_passwords: bool,
    pub branch_name: String,
    pub role_name: String,
    pub database_name: String,
    pub claimable: bool,
}

/// The objects created with a project.
pub struct CreatedProject {
    pub project_id: String,
    pub branch_id: String,
    pub endpoint_id: String,
    pub operation_ids: Vec<String>,
}

/// Creates a project with its default branch, role, database and read-write endpoint.
pub async fn create_project(app: &Shared, np: NewProject) -> ApiResult<CreatedProject> {
    let pg_name = ids::pg_database_name();
    app.pg_role(&np.role_name).await?;
    app.pg_create(&pg_name, None, Some(&np.role_name)).await?;
    let mut store = app.lock();
    let now = ids::now();
    let project_id = ids::project_id();
    let seq = store.next_seq();
    let project = Project {
        id: project_id.clone(),
        seq,
        name: np.name.unwrap_or_else(|| project_id.clone()),
        region_id: np.region_id,
        pg_version: np.pg_version,
        org_id: np.org_id,
        settings: np.settings,
        default_endpoint_settings: np.default_endpoint_settings.clone(),
        history_retention_seconds: np.history_retention_seconds,
        store_passwords: np.store_passwords,
        created_at: now.clone(),
        updated_at: now.clone(),
        claimable: np.claimable,
    };
    let database = Database {
        id: store.next_database_id(),
        name: np.database_name,
        owner_name: np.role_name.clone(),
        pg_name,
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    let role = Role {
        name: np.role_name,
        password: ids::password(),
        protected: false,
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    let mut branch = new_branch(
        &mut store,
        &project_id,
        Some(np.branch_name),
        vec![database],
        vec![role],
    );
    branch.default = true;
    let branch_id = branch.id.clone();
    let endpoint = new_endpoint(
        &mut store,
        &project_id,
        &branch_id,
        "read_write",
        &np.default_endpoint_settings,
    );
    let endpoint_id = endpoint.id.clone();
    let op1 = store.add_operation(&project_id, Some(&branch_id), None, "create_timeline");
    let op2 = store.add_operation(
        &project_id,
        Some(&branch_id),
        Some(&endpoint_id),
        "start_compute",
    );
    store.projects.insert(project_id.clone(), project);
    store.branches.insert(branch_id.clone(), branch);
    store.endpoints.insert(endpoint_id.clone(), endpoint);
    Ok(CreatedProject {
        project_id,
        branch_id,
        endpoint_id,
        operation_ids: vec![op1, op2],
    })
}

/// `POST /projects`
pub async fn create(State(app): State<Shared>, body: Bytes) -> ApiResult<impl IntoResponse> {
    let body = parse_body(&body)?;
    let p = app::sub_object(&body, "project")?;
    let branch = app::sub_object(&p, "branch")?;
    let pg_version = opt_i64(&p, "pg_version")?.unwrap_or(17);
    if !(14..=18).contains(&pg_version) {
        return Err(ApiError::bad_request(
            "pg_version must be one of 14, 15, 16, 17, 18",
        ));
    }
    let org_id = match opt_str(&p, "org_id")? {
        Some(o) => {
            if !app.lock().organizations.contains_key(&o) {
                return Err(ApiError::not_found(format!("organization {o} not found")));
            }
            o
        }
        None => app.lock().default_org_id.clone(),
    };
    let name = opt_str(&p, "name")?;
    if let Some(n) = &name {
        app::validate_display_name("project", n)?;
    }
    let database_name = opt_str(&branch, "database_name")?.unwrap_or_else(|| "neondb".into());
    let role_name =
        opt_str(&branch, "role_name")?.unwrap_or_else(|| format!("{database_name}_owner"));
    app::validate_pg_name("database", &database_name)?;
    app::validate_pg_name("role", &role_name)?;
    let mut des = merge(
        json!({ "autoscaling_limit_min_cu": 0.25, "autoscaling_limit_max_cu": 0.25, "suspend_timeout_seconds": 0 }),
        p.get("default_endpoint_settings"),
    );
    for k in ["autoscaling_limit_min_cu", "autoscaling_limit_max_cu"] {
        if let Some(v) = p.get(k) {
            if let Some(o) = des.as_object_mut() {
                o.insert(k.into(), v.clone());
            }
        }
    }
    let np = NewProject {
        name,
        region_id: opt_str(&p, "region_id")?.unwrap_or_else(|| "aws-us-east-2".into()),
        pg_version,
        org_id,
        settings: merge(default_settings(), p.get("settings")),
        default_endpoint_settings: des,
        history_retention_seconds: opt_i64(&p, "history_retention_seconds")?.unwrap_or(86_400),
        store_passwords: opt_bool(&p, "store_passwords")?.unwrap_or(true),
        branch_name: opt_str(&branch, "name")?.unwrap_or_else(|| "main".into()),
        role_name,
        database_name,
        claimable: false,
    };
    let created = create_project(&app, np).await?;
    let store = app.lock();
    let body = created_project_body(&store, &created)?;
    Ok((StatusCode::CREATED, Json(body)))
}

fn created_project_body(store: &Store, c: &CreatedProject) -> ApiResult<Value> {
    let project = get_project(store, &c.project_id)?;
    let branch = get_branch(store, &c.project_id, &c.branch_id)?;
    let ep = store
        .endpoints
        .get(&c.endpoint_id)
        .ok_or_else(|| ApiError::internal("endpoint vanished"))?;
    Ok(json!({
        "project": render::project(project),
        "connection_uris": branch_connection_uris(&store.wire_address, branch, &ep.id),
        "roles": branch.roles.iter().map(|r| render::role_with_password(&branch.id, r)).collect::<Vec<_>>(),
        "databases": branch.databases.iter().map(|d| render::database(&branch.id, d)).collect::<Vec<_>>(),
        "operations": render::operations(store, &c.operation_ids),
        "branch": render::branch(branch),
        "endpoints": [render::endpoint(ep, &project.region_id)],
    }))
}
