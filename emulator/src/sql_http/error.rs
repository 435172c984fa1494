//! The errors `POST /sql` answers, from request checks and from PostgreSQL.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

/// An error answered the way Neon's proxy does: status 400 with Postgres error fields.
pub(super) struct SqlError {
    status: StatusCode,
    body: Value,
}

impl SqlError {
    pub(super) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        SqlError {
            status,
            body: json!({ "message": message.into(), "code": code }),
        }
    }
    pub(super) fn bad(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
}

impl From<tokio_postgres::Error> for SqlError {
    fn from(e: tokio_postgres::Error) -> Self {
        let Some(db) = e.as_db_error() else {
            return SqlError::bad("08006", e.to_string());
        };
        let mut m = Map::new();
        m.insert("message".into(), json!(db.message()));
        m.insert("code".into(), json!(db.code().code()));
        m.insert("severity".into(), json!(db.severity()));
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                m.insert(k.into(), json!(v));
            }
        };
        put("detail", db.detail().map(str::to_string));
        put("hint", db.hint().map(str::to_string));
        match db.position() {
            Some(tokio_postgres::error::ErrorPosition::Original(p)) => {
                put("position", Some(p.to_string()))
            }
            Some(tokio_postgres::error::ErrorPosition::Internal { position, query }) => {
                put("internalPosition", Some(position.to_string()));
                put("internalQuery", Some(query.clone()));
            }
            None => {}
        }
        put("where", db.where_().map(str::to_string));
        put("schema", db.schema().map(str::to_string));
        put("table", db.table().map(str::to_string));
        put("column", db.column().map(str::to_string));
        put("dataType", db.datatype().map(str::to_string));
        put("constraint", db.constraint().map(str::to_string));
        put("file", db.file().map(str::to_string));
        put("line", db.line().map(|l| l.to_string()));
        put("routine", db.routine().map(str::to_string));
        SqlError {
            status: StatusCode::BAD_REQUEST,
            body: Value::Object(m),
        }
    }
}

impl IntoResponse for SqlError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}
