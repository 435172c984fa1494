//! Databases and roles of a branch, with password reveal and reset.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::app::{
    self, ensure_no_running_operations, get_branch, opt_str, parse_body, validate_pg_name,
    BusyGuard, Shared,
};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::render;
use crate::state::{Branch, Database, Role, Store};

fn branch_mut<'a>(store: &'a mut Store, bid: &str) -> ApiResult<&'a mut Branch> {
    store
        .branches
        .get_mut(bid)
        .ok_or_else(|| ApiError::not_found(format!("branch {bid} not found")))
}

/// What databases and roles have in common as objects listed under a branch: one piece of
/// code lists, gets, finds and names them both.
pub trait BranchObject: Sized {
    /// The singular in paths, request bodies and messages: `database`, `role`.
    const KIND: &'static str;
    /// The key of the list response: `databases`, `roles`.
    const PLURAL: &'static str;
    fn all(b: &Branch) -> &[Self];
    fn name(&self) -> &str;
    fn render(branch_id: &str, item: &Self) -> Value;
}

impl BranchObject for Database {
    const KIND: &'static str = "database";
    const PLURAL: &'static str = "databases";
    fn all(b: &Branch) -> &[Self] {
        &b.databases
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn render(branch_id: &str, item: &Self) -> Value {
        render::database(branch_id, item)
    }
}

impl BranchObject for Role {
    const KIND: &'static str = "role";
    const PLURAL: &'static str = "roles";
    fn all(b: &Branch) -> &[Self] {
        &b.roles
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn render(branch_id: &str, item: &Self) -> Value {
        render::role(branch_id, item)
    }
}

fn find<'a, T: BranchObject>(b: &'a Branch, name: &str) -> ApiResult<&'a T> {
    T::all(b)
        .iter()
        .find(|x| x.name() == name)
        .ok_or_else(|| ApiError::not_found(format!("{} {name} not found", T::KIND)))
}

/// Refuses a name another object of the branch already has.
fn ensure_new_name<T: BranchObject>(b: &Branch, name: &str) -> ApiResult<()> {
    if T::all(b).iter().any(|x| x.name() == name) {
        return Err(ApiError::conflict(format!(
            "{} with name '{name}' already exists",
            T::KIND
        )));
    }
    Ok(())
}

/// The `database` or `role` object of a create request and its required `name`.
fn creation_request<T: BranchObject>(body: &Bytes) -> ApiResult<(Value, String)> {
    let body = parse_body(body)?;
    let object = app::sub_object(&body, T::KIND)?;
    let name = opt_str(&object, "name")?
        .ok_or_else(|| ApiError::bad_request(format!("{}.name is required", T::KIND)))?;
    Ok((object, name))
}

/// Database and role changes are applied through the branch's compute.
pub fn config_op(store: &mut Store, pid: &str, bid: &str) -> ApiResult<String> {
    let ep = store.branch_rw_endpoint(bid).map(|e| e.id.clone());
    let Some(ep) = ep else {
        return Err(ApiError::bad_request(format!(
            "branch {bid} has no read_write endpoint"
        )));
    };
    Ok(store.add_operation(pid, Some(bid), Some(&ep), "apply_config"))
}

/// `GET .../databases` and `GET .../roles`
pub async fn list<T: BranchObject>(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    let b = get_branch(&store, &pid, &bid)?;
    let items: Vec<Value> = T::all(b).iter().map(|x| T::render(&bid, x)).collect();
    Ok(Json(json!({ (T::PLURAL): items })))
}

/// `GET .../databases/{database_name}` and `GET .../roles/{role_name}`
pub async fn get<T: BranchObject>(
    State(app): State<Shared>,
    Path((pid, bid, name)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    let b = get_branch(&store, &pid, &bid)?;
    Ok(Json(
        json!({ (T::KIND): T::render(&bid, find::<T>(b, &name)?) }),
    ))
}

/// `POST .../databases`
pub async fn create_database(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let (d, name) = creation_request::<Database>(&body)?;
    let owner = opt_str(&d, "owner_name")?
        .ok_or_else(|| ApiError::bad_request("database.owner_name is required"))?;
    validate_pg_name("database", &name)?;
    let pg_name = ids::pg_database_name();
    let _busy = {
        let mut store = app.lock();
        let b = get_branch(&store, &pid, &bid)?;
        ensure_no_running_operations(&store, &pid)?;
        ensure_new_name::<Database>(b, &name)?;
        find::<Role>(b, &owner)?;
        if store.branch_rw_endpoint(&bid).is_none() {
            return Err(ApiError::bad_request(format!(
                "branch {bid} has no read_write endpoint"
            )));
        }
        BusyGuard::mark(&app, &mut store, &pid)
    };
    app.pg_create(&pg_name, None, Some(&owner)).await?;
    let mut store = app.lock();
    let op = config_op(&mut store, &pid, &bid)?;
    let now = ids::now();
    let db = Database {
        id: store.next_database_id(),
        name,
        owner_name: owner,
        pg_name,
        created_at: now.clone(),
        updated_at: now,
    };
    branch_mut(&mut store, &bid)?.databases.push(db.clone());
    let body = json!({ "database": render::database(&bid, &db), "operations": render::operations(&store, &[op]) });
    Ok((StatusCode::CREATED, Json(body)))
}

/// `PATCH .../databases/{database_name}`
pub async fn update_database(
    State(app): State<Shared>,
    Path((pid, bid, name)): Path<(String, String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let d = app::sub_object(&body, "database")?;
    let new_name = opt_str(&d, "name")?;
    let owner = opt_str(&d, "owner_name")?;
    let mut store = app.lock();
    let b = get_branch(&store, &pid, &bid)?;
    find::<Database>(b, &name)?;
    ensure_no_running_operations(&store, &pid)?;
    if let Some(n) = &new_name {
        validate_pg_name("database", n)?;
        if n != &name {
            ensure_new_name::<Database>(b, n)?;
        }
    }
    if let Some(o) = &owner {
        find::<Role>(b, o)?;
    }
    let op = config_op(&mut store, &pid, &bid)?;
    let branch = branch_mut(&mut store, &bid)?;
    if let Some(n) = &new_name {
        // The branch's history follows the database under its new name.
        for e in branch.log.iter_mut().filter(|e| e.database == name) {
            e.database = n.clone();
        }
        if let crate::history::Base::Copies(c) = &mut branch.base {
            for (db_name, _) in c.iter_mut().filter(|(d, _)| d == &name) {
                *db_name = n.clone();
            }
        }
    }
    let db = branch
        .databases
        .iter_mut()
        .find(|x| x.name == name)
        .ok_or_else(|| ApiError::not_found("database not found"))?;
    if let Some(n) = new_name {
        db.name = n;
    }
    if let Some(o) = owner {
        db.owner_name = o;
    }
    db.updated_at = ids::now();
    let db = db.clone();
    Ok(Json(
        json!({ "database": render::database(&bid, &db), "operations": render::operations(&store, &[op]) }),
    ))
}

/// `DELETE .../databases/{database_name}`
pub async fn delete_database(
    State(app): State<Shared>,
    Path((pid, bid, name)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let (body, pg_name) = {
        let mut store = app.lock();
        let b = get_branch(&store, &pid, &bid)?;
        let db = find::<Database>(b, &name)?.clone();
        ensure_no_running_operations(&store, &pid)?;
        let op = config_op(&mut store, &pid, &bid)?;
        branch_mut(&mut store, &bid)?
            .databases
            .retain(|x| x.name != name);
        (
            json!({ "database": render::database(&bid, &db), "operations": render::operations(&store, &[op]) }),
            db.pg_name,
        )
    };
    app.pg_drop_all(vec![pg_name]).await;
    Ok(Json(body))
}

/// `POST .../roles`
pub async fn create_role(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let (_, name) = creation_request::<Role>(&body)?;
    validate_pg_name("role", &name)?;
    app.pg_role(&name).await?;
    let mut store = app.lock();
    let b = get_branch(&store, &pid, &bid)?;
    ensure_no_running_operations(&store, &pid)?;
    ensure_new_name::<Role>(b, &name)?;
    let op = config_op(&mut store, &pid, &bid)?;
    let now = ids::now();
    let role = Role {
        name,
        password: ids::password(),
        protected: false,
        created_at: now.clone(),
        updated_at: now,
    };
    branch_mut(&mut store, &bid)?.roles.push(role.clone());
    let body = json!({ "role": render::role_with_password(&bid, &role), "operations": render::operations(&store, &[op]) });
    Ok((StatusCode::CREATED, Json(body)))
}

/// `DELETE .../roles/{role_name}`
pub async fn delete_role(
    State(app): State<Shared>,
    Path((pid, bid, name)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    let b = get_branch(&store, &pid, &bid)?;
    let role = find::<Role>(b, &name)?.clone();
    if b.databases.iter().any(|d| d.owner_name == name) {
        return Err(ApiError::bad_request(format!(
            "role {name} owns databases; delete or reassign them first"
        )));
    }
    ensure_no_running_operations(&store, &pid)?;
    let op = config_op(&mut store, &pid, &bid)?;
    branch_mut(&mut store, &bid)?
        .roles
        .retain(|x| x.name != name);
    Ok(Json(
        json!({ "role": render::role(&bid, &role), "operations": render::operations(&store, &[op]) }),
    ))
}

/// `GET .../roles/{role_name}/reveal_password`
pub async fn reveal_password(
    State(app): State<Shared>,
    Path((pid, bid, name)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    let b = get_branch(&store, &pid, &bid)?;
    Ok(Json(
        json!({ "password": find::<Role>(b, &name)?.password }),
    ))
}

/// `POST .../roles/{role_name}/reset_password`
pub async fn reset_password(
    State(app): State<Shared>,
    Path((pid, bid, name)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    let b = get_branch(&store, &pid, &bid)?;
    find::<Role>(b, &name)?;
    ensure_no_running_operations(&store, &pid)?;
    let op = config_op(&mut store, &pid, &bid)?;
    let branch = branch_mut(&mut store, &bid)?;
    let role = branch
        .roles
        .iter_mut()
        .find(|r| r.name == name)
        .ok_or_else(|| ApiError::not_found("role not found"))?;
    role.password = ids::password();
    role.updated_at = ids::now();
    let role = role.clone();
    Ok(Json(
        json!({ "role": render::role_with_password(&bid, &role), "operations": render::operations(&store, &[op]) }),
    ))
}
