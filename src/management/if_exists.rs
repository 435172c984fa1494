//! Idempotent re-runs: a create that answers 409 "already exists" resolves, when the caller
//! asks for it (`ifExists: "return"`), to the resource that is already there.
//!
//! The existing resource is found generically from the operation table: the body names it
//! (`{"branch": {"name": "dev"}}`); a `GET` on the create path plus a `{..._name}` parameter
//! fetches it by name (roles, databases), else the list on the create path is searched.
//!
//! The answer is not the create's response (a create answers with endpoints, roles and
//! connection URIs a lookup does not have): it is [`Existing`], `{"<resource>": {...},
//! "operations": [...], "existing": true}`, whose `operations` are the project's unfinished
//! operations on that resource — so `wait` waits out a creation that is still running.

use crate::management::args::{ArgValue, Args};
use crate::management::client::{CallOptions, IfExists, NeonClient};
use crate::core::error::{ApiError, Error};
use crate::management::operation::Operation;
use crate::management::paginate::{is_paginated, Page, Paginator};
use crate::core::transport::{HttpResponse, Method};
use crate::management::wait::OperationState;
use crate::core::json::Json;

/// Whether this failure of `op` is a create finding its resource already there.
pub(crate) fn applies(op: Operation, api: &ApiError) -> bool {
    op.method() == Method::Post
        && api.status == 409
        && crate::core::text::contains(&api.message.to_ascii_lowercase(), "already exists")
}

/// A resource a create found already there.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    /// The resource's key in the create body and the answer (`branch`, `role`, `database`).
    pub resource: String,
    /// The resource as the API describes it.
    pub item: Json,
    /// The project's unfinished operations on it (empty when none is running).
    pub operations: Vec<Json>,
}

impl Existing {
    /// The JSON answer: `{"<resource>": item, "operations": [...], "existing": true}`.
    pub fn to_json(&self) -> Json {
        Json::object([
            (self.resource.clone(), self.item.clone()),
            ("operations".to_owned(), Json::Arr(self.operations.clone())),
            ("existing".to_owned(), Json::Bool(true)),
        ])
    }

    /// The answer as a response, for callers that read bodies.
    pub(crate) fn to_response(&self) -> HttpResponse {
        HttpResponse {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: self.to_json().to_text().into_bytes(),
        }
    }
}

/// Looks up the resource the create named, with its unfinished operations. Returns the 409
/// when it is not found.
pub(crate) async fn find_existing(
    client: &NeonClient,
    create: Operation,
    args: &dyn Args,
    options: &CallOptions,
    conflict: ApiError,
) -> Result<Existing, Error> {
    let not_found = || Error::Api(conflict.clone());
    let body = match args.body_json()? {
        Some(bytes) => Json::parse(&bytes).unwrap_or_default(),
        None => Json::Null,
    };
    let Some((resource, name)) = named_resource(&body) else {
        return Err(not_found());
    };
    let mut path_args = Json::Obj(Vec::new());
    for p in create.path_params() {
        let js_name = p.js_name();
        if let Some(ArgValue::Str(v)) = args.get(&js_name) {
            path_args.set(&js_name, Json::Str(v));
        }
    }
    let lookup = CallOptions {
        if_exists: IfExists::Error,
        wait: false,
        ..options.clone()
    };
    let by_name = crate::management::api::all_operations().find(|op| {
        op.method() == Method::Get
            && op
                .path()
                .strip_prefix(create.path())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|rest| rest.starts_with('{') && !rest.as_bytes().contains(&b'/'))
            && op
                .path_params()
                .last()
                .is_some_and(|p| p.name.ends_with("_name"))
    });
    let found = if let Some(get) = by_name {
        let mut a = path_args.clone();
        if let Some(p) = get.path_params().last() {
            a.set(&p.js_name(), Json::string(name.clone()));
        }
        match get_json(client, get, &a, &lookup).await {
            Ok(body) => body.get(&resource).cloned(),
            Err(e) if e.api().is_some_and(|a| a.status == 404) => None,
            Err(e) => return Err(e),
        }
    } else if let Some(list) = crate::management::api::all_operations()
        .find(|op| op.method() == Method::Get && op.path() == create.path())
    {
        find_in_list(client, list, path_args.clone(), &name, &lookup).await?
    } else {
        None
    };
    let Some(item) = found else {
        return Err(not_found());
    };
    let operations = match operations_of(&path_args, &resource, &item) {
        Some((list, args, field, value)) => {
            let body = get_json(client, list, &args, &lookup).await?;
            let ops = body.get("operations").and_then(Json::as_array).unwrap_or_default();
            ops.iter()
                .filter(|op| op.get(field).and_then(Json::as_str) == Some(&value))
                .filter(|op| OperationState::from_value(op).is_some_and(|state| !state.is_terminal()))
                .cloned()
                .collect()
        }
        None => Vec::new(),
    };
    Ok(Existing { resource, item, operations })
}

/// One GET's body.
async fn get_json(client: &NeonClient, op: Operation, args: &Json, options: &CallOptions) -> Result<Json, Error> {
    let response = client.execute_once(op, args, options).await?;
    Json::parse(&response.body)
}

/// Where the project's unfinished operations on the existing resource are listed, and how to
/// pick them: those of the branch or endpoint itself, or — for what lives on a branch
/// (roles, databases) — of that branch. Without a project in the path (a project create)
/// there is nothing to list.
fn operations_of(path_args: &Json, resource: &str, item: &Json) -> Option<(Operation, Json, &'static str, String)> {
    let project = path_args.get("projectId").and_then(Json::as_str)?;
    let id = item.get("id").and_then(Json::as_str);
    let (field, value) = match (resource, id) {
        ("branch", Some(id)) => ("branch_id", id),
        ("endpoint", Some(id)) => ("endpoint_id", id),
        _ => ("branch_id", path_args.get("branchId").and_then(Json::as_str)?),
    };
    let list = crate::management::api::operation("listProjectOperations")?;
    Some((list, Json::object([("projectId", Json::string(project))]), field, value.to_owned()))
}

/// The resource a create body names: its first object-valued field with a string `name`.
fn named_resource(body: &Json) -> Option<(String, String)> {
    body.as_object()?.iter().find_map(|(key, value)| {
        let name = value.get("name")?.as_str()?;
        Some((key.clone(), name.to_owned()))
    })
}

async fn find_in_list(
    client: &NeonClient,
    list: Operation,
    args: Json,
    name: &str,
    options: &CallOptions,
) -> Result<Option<Json>, Error> {
    let matches = |item: &&Json| item.get("name").and_then(Json::as_str) == Some(name);
    if is_paginated(list) {
        let mut pages = Paginator::new(client, list, args, options.clone())?;
        while let Some(page) = pages.next_page().await? {
            if let Some(item) = page.items.iter().find(matches) {
                return Ok(Some(item.clone()));
            }
        }
        return Ok(None);
    }
    let page = Page::from_body(get_json(client, list, &args, options).await?, list.path());
    Ok(page.items.iter().find(matches).cloned())
}
