//! Pagination over every cursor-paginated operation: those whose query parameters include
//! both `cursor` and `limit`. Neon answers with one of two shapes: `pagination.cursor`
//! (projects, operations, consumption) or `pagination.next` (branches, members, ...);
//! both are followed. An empty page or a missing cursor ends the iteration; a cursor that
//! comes back a second time ends it with [`Error::Pagination`] instead of looping forever.
//! [`Paginator::next_page`] and [`Paginator::all`] are async; [`Paginator::into_stream`] gives
//! a [`futures_core::Stream`] of pages.

use crate::management::client::{CallOptions, NeonClient};
use crate::core::error::Error;
use crate::management::operation::Operation;
use crate::core::transport::Method;
use crate::core::json::Json;
use serde::de::DeserializeOwned;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Whether `op` takes `cursor` and `limit` query parameters.
pub fn is_paginated(op: Operation) -> bool {
    let has = |name: &str| op.query_params().any(|q| q.name == name);
    op.method() == Method::Get && has("cursor") && has("limit")
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The items of the page (the response's list, e.g. `projects`).
    pub items: Vec<Json>,
    /// The name of the list in the response body.
    pub items_key: Option<String>,
    /// The cursor of the next page, when the response gave one.
    pub next_cursor: Option<String>,
    /// Projects the API could not list this time (`listProjects`): a partial page.
    pub unavailable_project_ids: Vec<String>,
    /// The whole response body.
    pub body: Json,
}

impl Page {
    /// Reads a page out of a response body; `path` names the list when the body has several.
    pub fn from_body(body: Json, path: &str) -> Page {
        let items_key = items_key(&body, path);
        let items = items_key
            .as_ref()
            .and_then(|k| body.get(k))
            .and_then(Json::as_array)
            .map(<[Json]>::to_vec)
            .unwrap_or_default();
        let pagination = body.get("pagination");
        let next_cursor = ["next", "cursor"]
            .iter()
            .filter_map(|k| pagination.and_then(|p| p.get(k)).and_then(Json::as_str))
            .find(|c| !c.is_empty())
            .map(str::to_owned);
        let unavailable_project_ids = body
            .get("unavailable_project_ids")
            .and_then(Json::as_array)
            .map(|ids| ids.iter().filter_map(Json::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        Page {
            items,
            items_key,
            next_cursor,
            unavailable_project_ids,
            body,
        }
    }
}

/// The list in a page: the array named after the path's last segment, else the first array
/// other than `unavailable_project_ids`.
fn items_key(body: &Json, path: &str) -> Option<String> {
    let obj = body.as_object()?;
    let last = path
        .rsplit('/')
        .find(|s| !s.is_empty() && !s.starts_with('{'))
        .unwrap_or_default();
    if body.get(last).is_some_and(Json::is_array) {
        return Some(last.to_owned());
    }
    obj.iter()
        .find(|(k, v)| v.is_array() && k.as_str() != "unavailable_project_ids")
        .map(|(k, _)| k.clone())
}

/// Every item of every page, with the partial-page ids collected on the way.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllPages {
    /// The items, in page order.
    pub items: Vec<Json>,
    /// Union of every page's `unavailable_project_ids`, in first-seen order.
    pub unavailable_project_ids: Vec<String>,
    /// How many pages were fetched.
    pub pages: u32,
}

impl AllPages {
    /// Decodes the items into `T`.
    pub fn items_as<T: DeserializeOwned>(&self) -> Result<Vec<T>, Error> {
        self.items
            .iter()
            .map(|v| crate::core::response::decode(v.to_text().as_bytes()))
            .collect()
    }
}

/// Walks the pages of one paginated operation, lazily.
pub struct Paginator {
    client: NeonClient,
    op: Operation,
    /// The argument object; `cursor` is set on it page by page.
    args: Json,
    options: CallOptions,
    /// Cursors already followed (one per page: a list is enough).
    seen: Vec<String>,
    done: bool,
}

impl std::fmt::Debug for Paginator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("op", &self.op.id())
            .field("done", &self.done)
            .finish()
    }
}

impl Paginator {
    /// Pages through `op` called with `args` (the JS argument shape, e.g. `{"limit": 100}`).
    pub fn new(
        client: &NeonClient,
        op: Operation,
        args: impl Into<Json>,
        options: CallOptions,
    ) -> Result<Paginator, Error> {
        if !is_paginated(op) {
            return Err(Error::unsupported(op.id(), "the operation is not cursor-paginated"));
        }
        let args = match args.into() {
            Json::Null => Json::Obj(Vec::new()),
            obj @ Json::Obj(_) => obj,
            _ => {
                return Err(Error::invalid_parameter(op.id(), "args", "the argument must be an object"));
            }
        };
        let seen = args
            .get("cursor")
            .and_then(Json::as_str)
            .map(str::to_owned)
            .into_iter()
            .collect();
        Ok(Paginator {
            client: client.clone(),
            op,
            args,
            options,
            seen,
            done: false,
        })
    }

    /// The next page, or `None` once the pages are exhausted.
    pub async fn next_page(&mut self) -> Result<Option<Page>, Error> {
        if self.done {
            return Ok(None);
        }
        let response = match self.client.execute_once(self.op, &self.args, &self.options).await {
            Ok(r) => r,
            Err(e) => {
                self.done = true;
                return Err(e);
            }
        };
        let page = Page::from_body(Json::parse(&response.body)?, self.op.path());
        match &page.next_cursor {
            Some(cursor) if !page.items.is_empty() => {
                if self.seen.contains(cursor) {
                    self.done = true;
                    return Err(Error::Pagination {
                        operation: self.op.id().to_owned(),
                        cursor: cursor.clone(),
                    });
                }
                self.seen.push(cursor.clone());
                self.args.set("cursor", Json::string(cursor.clone()));
            }
            _ => self.done = true,
        }
        Ok(Some(page))
    }

    /// Fetches every remaining page.
    pub async fn all(mut self) -> Result<AllPages, Error> {
        let mut all = AllPages::default();
        while let Some(page) = self.next_page().await? {
            all.pages += 1;
            all.items.extend(page.items);
            for id in page.unavailable_project_ids {
                if !all.unavailable_project_ids.contains(&id) {
                    all.unavailable_project_ids.push(id);
                }
            }
        }
        Ok(all)
    }
}

// `Send` natively, so a stream of pages can move between a multi-threaded executor's threads.
type PageFuture = crate::core::transport::BoxFuture<'static, (Paginator, Result<Option<Page>, Error>)>;

/// The pages of a [`Paginator`] as a [`futures_core::Stream`]; it ends after the last page
/// or the first error.
pub struct PageStream {
    idle: Option<Paginator>,
    pending: Option<PageFuture>,
}

impl Paginator {
    /// Turns the paginator into a stream of pages, for `futures::StreamExt` on any executor
    /// (`Send` natively):
    ///
    /// ```
    /// use futures_util::StreamExt;
    /// use neon_edge::transport::{ScriptedResponse, ScriptedTransport};
    /// use neon_edge::{ApiKey, CallOptions, NeonClient};
    /// use std::sync::Arc;
    ///
    /// let transport = ScriptedTransport::new();
    /// transport.push(ScriptedResponse::json(200, r#"{"projects":[{"id":"p-1"}],"pagination":{"cursor":"c1"}}"#));
    /// transport.push(ScriptedResponse::json(200, r#"{"projects":[]}"#));
    /// let neon = NeonClient::builder().api_key(ApiKey::fixed("napi_example")?).transport(Arc::new(transport)).build()?;
    /// let op = neon_edge::api::operation("listProjects").expect("a known operation");
    /// let pages = neon.paginate(op, serde_json::json!({ "limit": 100 }), CallOptions::default())?.into_stream();
    /// let ids: Vec<String> = pollster::block_on(pages.map(|page| page.map(|p| p.items)).collect::<Vec<_>>())
    ///     .into_iter()
    ///     .collect::<Result<Vec<_>, _>>()?
    ///     .into_iter()
    ///     .flatten()
    ///     .filter_map(|item| item["id"].as_str().map(str::to_owned))
    ///     .collect();
    /// assert_eq!(ids, ["p-1"], "an empty page ends the listing");
    /// # Ok::<(), neon_edge::Error>(())
    /// ```
    pub fn into_stream(self) -> PageStream {
        PageStream {
            idle: Some(self),
            pending: None,
        }
    }
}

impl futures_core::Stream for PageStream {
    type Item = Result<Page, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.pending.is_none() {
            let Some(mut pages) = self.idle.take() else {
                return Poll::Ready(None);
            };
            self.pending = Some(Box::pin(async move {
                let page = pages.next_page().await;
                (pages, page)
            }));
        }
        let Some(pending) = self.pending.as_mut() else {
            return Poll::Ready(None);
        };
        let (pages, page) = std::task::ready!(pending.as_mut().poll(cx));
        self.pending = None;
        match page {
            Ok(Some(page)) => {
                self.idle = Some(pages);
                Poll::Ready(Some(Ok(page)))
            }
            Ok(None) => Poll::Ready(None),
            Err(e) => Poll::Ready(Some(Err(e))),
        }
    }
}

impl NeonClient {
    /// Pages through a cursor-paginated operation (`listProjects`, `listProjectBranches`, ...).
    pub fn paginate(
        &self,
        op: Operation,
        args: impl Into<Json>,
        options: CallOptions,
    ) -> Result<Paginator, Error> {
        Paginator::new(self, op, args, options)
    }
}
