//! `Paginator::into_stream` with `futures::StreamExt` on tokio (cargo feature `native`): pages
//! fetched over HTTP by the native transport, on a multi-threaded runtime, the stream moved
//! into a spawned task.

#[path = "support/loopback.rs"]
mod loopback;

use futures_util::StreamExt;
use loopback::{Behaviour, Loopback};
use neon_edge::{ApiKey, CallOptions, Error, NeonClient};
use serde_json::json;

fn page(ids: &[&str], cursor: Option<&str>) -> Behaviour {
    let projects: Vec<_> = ids.iter().map(|id| json!({ "id": id })).collect();
    let mut body = json!({ "projects": projects, "applications": {}, "integrations": {} });
    if let Some(c) = cursor {
        body["pagination"] = json!({ "cursor": c });
    }
    Behaviour::Json(200, body.to_string())
}

fn neon(base: &str) -> NeonClient {
    NeonClient::builder().api_key(ApiKey::fixed("napi_stream").unwrap()).base_url(format!("{base}/api/v2")).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_stream_in_order_from_a_spawned_task() {
    let server = Loopback::start().await;
    server.push(page(&["p-1", "p-2"], Some("c1")));
    server.push(page(&["p-3"], Some("c2")));
    server.push(page(&[], Some("c3")));
    let neon = neon(&server.base);
    let op = neon_edge::api::operation("listProjects").unwrap();
    let stream = neon.paginate(op, json!({ "limit": 2 }), CallOptions::default()).unwrap().into_stream();

    // The stream is `Send`: it runs on another worker thread.
    let ids = tokio::spawn(async move {
        stream
            .map(|page| page.expect("a page").items)
            .flat_map(futures_util::stream::iter)
            .map(|item| item["id"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
            .await
    })
    .await
    .unwrap();

    assert_eq!(ids, ["p-1", "p-2", "p-3"]);
    let lines: Vec<_> = server.seen().into_iter().map(|s| s.request_line).collect();
    assert_eq!(
        lines,
        [
            "GET /api/v2/projects?limit=2 HTTP/1.1",
            "GET /api/v2/projects?cursor=c1&limit=2 HTTP/1.1",
            "GET /api/v2/projects?cursor=c2&limit=2 HTTP/1.1",
        ]
    );
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_its_error() {
    let server = Loopback::start().await;
    server.push(page(&["p-1"], Some("same")));
    server.push(page(&["p-2"], Some("same")));
    let neon = neon(&server.base);
    let op = neon_edge::api::operation("listProjects").unwrap();
    let results: Vec<_> = neon.paginate(op, json!({}), CallOptions::default()).unwrap().into_stream().collect().await;
    // The page that repeats the cursor is not yielded: the error ends the stream in its place.
    assert_eq!(results.len(), 2, "one page, then the error: {results:?}");
    assert!(results[0].is_ok());
    assert!(matches!(&results[1], Err(Error::Pagination { cursor, .. }) if cursor == "same"), "{:?}", results[1]);
}
