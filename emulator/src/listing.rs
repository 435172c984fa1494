//! Sorted, cursor-paginated listings (`sort_by`, `sort_order`, `limit`, `cursor`), answered with
//! Neon's `{next, sort_by, sort_order}` pagination. The cursor is the id of a page's last item.

use serde_json::{json, Value};

use crate::app::QueryMap;
use crate::error::{ApiError, ApiResult};

/// The sorting and page a listing was asked for.
pub struct ListParams {
    sort_by: String,
    descending: bool,
    limit: usize,
    cursor: Option<String>,
}

impl ListParams {
    /// Reads the parameters; `sort_fields[0]` is the default field (descending by default, as
    /// Neon sorts), `max_limit` also the default page size.
    pub fn parse(q: &QueryMap, sort_fields: &[&str], max_limit: usize) -> ApiResult<ListParams> {
        let sort_by = match q.get("sort_by") {
            Some(f) if sort_fields.contains(&f.as_str()) => f.clone(),
            Some(f) => {
                return Err(ApiError::bad_request(format!(
                    "sort_by must be one of {}, got {f}",
                    sort_fields.join(", ")
                )))
            }
            None => sort_fields
                .first()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        };
        let descending = match q.get("sort_order").map(|s| s.to_ascii_lowercase()) {
            None => true,
            Some(o) if o == "desc" => true,
            Some(o) if o == "asc" => false,
            Some(o) => {
                return Err(ApiError::bad_request(format!(
                    "sort_order must be asc or desc, got {o}"
                )))
            }
        };
        let limit = match q.get("limit") {
            None => max_limit,
            Some(l) => l
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max_limit).contains(n))
                .ok_or_else(|| {
                    ApiError::bad_request(format!("limit must be an integer from 1 to {max_limit}"))
                })?,
        };
        let cursor = q.get("cursor").filter(|c| !c.is_empty()).cloned();
        Ok(ListParams {
            sort_by,
            descending,
            limit,
            cursor,
        })
    }

    /// The field to sort by.
    pub fn sort_by(&self) -> &str {
        &self.sort_by
    }

    /// One page of `items`, sorted by `key(item, field)` then by `id(item)`, and the response's
    /// `pagination` (with `next` when more items follow).
    pub fn page<T>(
        &self,
        mut items: Vec<T>,
        key: impl Fn(&T) -> String,
        id: impl Fn(&T) -> String,
    ) -> ApiResult<(Vec<T>, Value)> {
        items.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| id(a).cmp(&id(b))));
        if self.descending {
            items.reverse();
        }
        let start = match &self.cursor {
            Some(c) => items
                .iter()
                .position(|i| &id(i) == c)
                .map(|p| p + 1)
                .ok_or_else(|| {
                    ApiError::bad_request(format!("cursor {c} is not a position in this listing"))
                })?,
            None => 0,
        };
        let more = items.len() > start + self.limit;
        let page: Vec<T> = items.into_iter().skip(start).take(self.limit).collect();
        let mut pagination = json!({ "sort_by": self.sort_by, "sort_order": if self.descending { "DESC" } else { "ASC" } });
        if let (true, Some(last)) = (more, page.last()) {
            pagination["next"] = json!(id(last));
        }
        Ok((page, pagination))
    }
}
