//! Neon's proxy, for the emulator's databases: the Postgres wire protocol on a loopback TCP
//! port, and the same protocol carried in WebSocket messages (`GET /v2`, what
//! `@neondatabase/serverless`'s `Pool` and `Client` speak). A client names its endpoint in the
//! startup packet's `options` (`endpoint=ep-…`, as Neon asks of clients without SNI; the
//! emulator serves plaintext on loopback, so there is no SNI), sends the role's password
//! (checked by the emulator, which knows every role's password), and is then relayed to a
//! session as that role on the branch's database on the real PostgreSQL.

mod backend;
mod messages;
mod registry;
pub mod route;
mod startup;
pub mod websocket;

use std::collections::BTreeMap;
use std::io;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::app::Shared;
pub use registry::Connections;
use route::{Refusal, Route};
use startup::Opening;

/// How often live connections are checked against the endpoints and branches.
const SWEEP_EVERY: Duration = Duration::from_millis(100);
/// How long a client may take to send its startup packet and password (PostgreSQL's default
/// `authentication_timeout` is one minute), so that idle sockets do not pile up.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);

/// Accepts wire-protocol clients on `listener` and closes connections whose endpoint or branch
/// changed; aborting the task closes every connection.
pub fn spawn(listener: TcpListener, app: Shared) -> JoinHandle<()> {
    tokio::spawn(async move {
        let _closer = CloseAll(app.clone());
        let sweeper = {
            let app = app.clone();
            async move {
                loop {
                    tokio::time::sleep(SWEEP_EVERY).await;
                    let store = app.lock();
                    app.connections.close_stale(&store);
                }
            }
        };
        let acceptor = async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                let _ = socket.set_nodelay(true);
                tokio::spawn(serve_client(app.clone(), socket));
            }
        };
        tokio::join!(sweeper, acceptor);
    })
}

/// Closes every relay when the proxy stops.
struct CloseAll(Shared);

impl Drop for CloseAll {
    fn drop(&mut self) {
        self.0.connections.close_all();
    }
}

/// Serves one client connection (a TCP socket or a WebSocket's byte stream) to its end.
pub async fn serve_client<S>(app: Shared, client: S)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    if let Err(e) = converse(&app, client).await {
        if app.log_requests {
            crate::log(&format!("wire connection ended: {e}"));
        }
    }
}

async fn converse<S>(app: &Shared, mut client: S) -> io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let params = match within_handshake(startup::read(&mut client)).await? {
        Opening::Cancel(body) => {
            return match &app.pg {
                Some(pg) => backend::cancel(&pg.address, &body).await,
                None => Ok(()),
            }
        }
        Opening::Startup(params) => params,
    };
    let (route, params) = match within_handshake(authenticate(app, &mut client, params)).await? {
        Ok(found) => found,
        Err(refusal) => return messages::refuse(&mut client, &refusal).await,
    };
    let Some(pg) = app.pg.clone() else {
        let refusal = Refusal {
            code: "XX000",
            message: "the emulator has no PostgreSQL server (start it with --pg-auto or --pg-url)"
                .into(),
        };
        return messages::refuse(&mut client, &refusal).await;
    };
    let (mut server, greeting) = match backend::open(&pg.address, &params).await {
        Ok(opened) => opened,
        Err(backend::Refused::Emulator(refusal)) => {
            return messages::refuse(&mut client, &refusal).await
        }
        Err(backend::Refused::Postgres(error)) => {
            client.write_all(&error).await?;
            return client.shutdown().await;
        }
    };
    client.write_all(&greeting).await?;
    let relay = tokio::spawn(async move {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
    });
    let id = app.connections.add(route, relay.abort_handle());
    let _ = relay.await;
    app.connections.remove(id);
    Ok(())
}

async fn within_handshake<T>(
    step: impl std::future::Future<Output = io::Result<T>>,
) -> io::Result<T> {
    tokio::time::timeout(HANDSHAKE_TIMEOUT, step)
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "the client's handshake timed out"))?
}

/// Finds the endpoint, asks for the password and checks it: the route and the startup
/// parameters for PostgreSQL (the role, the physical database, the options minus the endpoint).
async fn authenticate<S>(
    app: &Shared,
    client: &mut S,
    mut params: BTreeMap<String, String>,
) -> io::Result<Result<(Route, BTreeMap<String, String>), Refusal>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let user = params.remove("user").unwrap_or_default();
    let database = params.remove("database").unwrap_or_else(|| user.clone());
    let (endpoint, options) = route::split_options(&params.remove("options").unwrap_or_default());
    let Some(endpoint) = endpoint else {
        return Ok(Err(Refusal {
            code: "XX000",
            message: route::NO_ENDPOINT.into(),
        }));
    };
    client.write_all(&messages::ASK_CLEARTEXT_PASSWORD).await?;
    client.flush().await?;
    let Some(password) = messages::read_password(client).await? else {
        return Ok(Err(Refusal {
            code: "08P01",
            message: "expected a password message".into(),
        }));
    };
    let found = {
        let store = app.lock();
        route::resolve(&store, &endpoint, &user, &password, &database)
    };
    let route = match found {
        Ok(route) if route.suspended => return Ok(Err(route::suspended(&endpoint))),
        Ok(route) => route,
        Err(refusal) => return Ok(Err(refusal)),
    };
    params.insert("user".into(), user);
    params.insert("database".into(), route.pg_name.clone());
    if !options.is_empty() {
        params.insert("options".into(), options);
    }
    Ok(Ok((route, params)))
}
