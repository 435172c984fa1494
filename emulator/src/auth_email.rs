//! Neon Auth's email: the server its mail goes out through (Neon's shared one, or an SMTP
//! server of the user's) and the test email, which only checks that the SMTP server answers.

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use crate::app::{opt_str, parse_body, Shared};
use crate::auth_config::{with_config, Target};
use crate::error::{ApiError, ApiResult};

/// The email server as answered: an SMTP password is never sent back.
pub fn email_server_json(v: &Value) -> Value {
    let mut v = v.clone();
    if v.get("password").is_some() {
        v["password"] = json!("********");
    }
    v
}

async fn get_email_server(State(app): State<Shared>, t: Target) -> ApiResult<Json<Value>> {
    with_config(&app, &t, |c| Ok(Json(email_server_json(&c.email_server))))
}

/// A standard (SMTP) server needs all of host, port, username, password, sender email and name;
/// a shared one only the sender.
async fn set_email_server(
    State(app): State<Shared>,
    t: Target,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let smtp = ["host", "port", "username", "password"];
    let server = if smtp.iter().any(|k| body.get(*k).is_some()) {
        for k in [
            "host",
            "username",
            "password",
            "sender_email",
            "sender_name",
        ] {
            opt_str(&body, k)?.ok_or_else(|| {
                ApiError::bad_request(format!("{k} is required for an SMTP server"))
            })?;
        }
        let port = crate::app::opt_i64(&body, "port")?
            .filter(|p| (1..=65535).contains(p))
            .ok_or_else(|| ApiError::bad_request("port must be from 1 to 65535"))?;
        let s = |k: &str| body.get(k).cloned().unwrap_or(Value::Null);
        json!({ "type": "standard", "host": s("host"), "port": port, "username": s("username"), "password": s("password"),
                "sender_email": s("sender_email"), "sender_name": s("sender_name") })
    } else {
        let mut v = Map::new();
        v.insert("type".into(), json!("shared"));
        for k in ["sender_email", "sender_name"] {
            if let Some(s) = opt_str(&body, k)? {
                v.insert(k.into(), json!(s));
            }
        }
        Value::Object(v)
    };
    with_config(&app, &t, |c| {
        c.email_server = server;
        Ok(Json(email_server_json(&c.email_server)))
    })
}

/// `POST .../auth/send_test_email`: connects to the SMTP server and reads its greeting; sends
/// no mail.
async fn send_test_email(
    State(app): State<Shared>,
    t: Target,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let recipient = opt_str(&body, "recipient_email")?
        .ok_or_else(|| ApiError::bad_request("recipient_email is required"))?;
    if !crate::project_access::is_email(&recipient) {
        return Err(ApiError::bad_request(
            "recipient_email is not an email address",
        ));
    }
    let host = opt_str(&body, "host")?.ok_or_else(|| ApiError::bad_request("host is required"))?;
    let port = crate::app::opt_i64(&body, "port")?
        .and_then(|p| u16::try_from(p).ok())
        .ok_or_else(|| ApiError::bad_request("port must be from 1 to 65535"))?;
    with_config(&app, &t, |_| Ok(()))?;
    let greeting = async {
        use tokio::io::AsyncReadExt;
        let mut s = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| e.to_string())?;
        let mut buf = [0u8; 512];
        let n = s.read(&mut buf).await.map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&buf[..n]).to_string();
        if text.starts_with("220") {
            Ok(())
        } else {
            Err(format!("the server did not greet as SMTP: {}", text.trim()))
        }
    };
    let out = match tokio::time::timeout(std::time::Duration::from_secs(3), greeting).await {
        Ok(Ok(())) => json!({ "success": true }),
        Ok(Err(e)) => {
            json!({ "success": false, "error_message": format!("cannot reach {host}:{port}: {e}") })
        }
        Err(_) => {
            json!({ "success": false, "error_message": format!("{host}:{port} did not answer within 3 s") })
        }
    };
    Ok(Json(out))
}

/// The email routes of Neon Auth.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/projects/{project_id}/auth/email_server",
            get(get_email_server).patch(set_email_server),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/auth/email_provider",
            get(get_email_server).patch(set_email_server),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/auth/send_test_email",
            post(send_test_email),
        )
}
