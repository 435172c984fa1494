//! What branches, resets and snapshots do to the data seen over SQL: copies of the parent's
//! data or only its schema, a reset to the parent, a restore under the same connection string.
//! These tests need `initdb` (Debian's `postgresql` package) and fail loudly without it.

mod common;

use common::schema::assert_response;
use common::sql::{create_branch, first_uri, project, query, rows, snapshot};
use common::Emu;
use reqwest::Method;
use serde_json::{json, Value};

/// `GET path`, expecting 200 and a body valid against the spec's response for `template`.
async fn get_valid(emu: &Emu, template: &str, path: &str) -> Value {
    let v = emu.expect(200, Method::GET, path, None).await;
    assert_response(template, "get", 200, &v);
    v
}

#[tokio::test]
async fn branches_copy_their_parent_data_and_snapshots_restore_it_under_the_same_connection_string()
{
    let emu = Emu::start_with_postgres(0).await;
    let p = project(&emu, "data").await;
    rows(&emu, &p.uri, "CREATE TABLE notes (body text)").await;
    rows(&emu, &p.uri, "INSERT INTO notes VALUES ('v1')").await;
    let sid = snapshot(&emu, &p.id, &p.main, "name=v1").await;

    let dev = json!({ "branch": { "name": "dev" }, "endpoints": [{ "type": "read_write" }] });
    let dev_uri = first_uri(&create_branch(&emu, &p.id, dev).await);
    rows(&emu, &dev_uri, "INSERT INTO notes VALUES ('only on dev')").await;
    let dev_rows = rows(&emu, &dev_uri, "SELECT body FROM notes ORDER BY 1").await;
    assert_eq!(dev_rows, json!([["only on dev"], ["v1"]]));
    rows(&emu, &p.uri, "UPDATE notes SET body = 'v2'").await;
    let main_rows = rows(&emu, &p.uri, "SELECT body FROM notes").await;
    assert_eq!(main_rows, json!([["v2"]]));
    emu.wait_for_operations(&p.id).await;

    let restore = format!("/projects/{}/snapshots/{sid}/restore", p.id);
    let body = json!({ "target_branch_id": p.main, "finalize_restore": true });
    emu.expect(200, Method::POST, &restore, Some(body)).await;
    emu.wait_for_operations(&p.id).await;
    assert_eq!(
        rows(&emu, &p.uri, "SELECT body FROM notes").await,
        json!([["v1"]]),
        "the same connection string now reads the snapshot"
    );
}

#[tokio::test]
async fn concurrent_branch_creations_on_one_project_let_one_through_and_lock_the_other() {
    let emu = Emu::start_with_postgres(0).await;
    let p = project(&emu, "race").await;
    let path = format!("/projects/{}/branches", p.id);
    let (a, b) = tokio::join!(emu.post(&path, json!({})), emu.post(&path, json!({})));
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [201, 423], "{a:?} {b:?}");
}

#[tokio::test]
async fn a_branch_resets_from_its_parent_and_schema_differences_are_reported() {
    let emu = Emu::start_with_postgres(0).await;
    let p = project(&emu, "reset").await;
    rows(&emu, &p.uri, "CREATE TABLE items (id int)").await;
    let feature =
        json!({ "branch": { "name": "feature" }, "endpoints": [{ "type": "read_write" }] });
    let b = create_branch(&emu, &p.id, feature).await;
    let bid = b["branch"]["id"].as_str().expect("id").to_string();
    let dev_uri = first_uri(&b);
    rows(&emu, &dev_uri, "ALTER TABLE items ADD COLUMN label text").await;

    let template = "/projects/{project_id}/branches/{branch_id}";
    let branch = format!("/projects/{}/branches/{bid}", p.id);
    let schema_path = format!("{branch}/schema?db_name=neondb");
    let schema = get_valid(&emu, &format!("{template}/schema"), &schema_path).await;
    let sql = schema["sql"].as_str().expect("sql");
    assert!(sql.contains("CREATE TABLE public.items"), "{sql}");
    let compare = format!("{branch}/compare_schema?db_name=neondb");
    let cmp = get_valid(&emu, &format!("{template}/compare_schema"), &compare).await;
    let diff = cmp["diff"].as_str().expect("diff");
    assert!(diff.contains("+    label text"), "{cmp}");

    emu.wait_for_operations(&p.id).await;
    let reset =
        json!({ "source_branch_id": p.main, "preserve_under_name": "feature-before-reset" });
    let restore = format!("{branch}/restore");
    let r = emu.expect(200, Method::POST, &restore, Some(reset)).await;
    assert_response(&format!("{template}/restore"), "post", 200, &r);
    assert!(r["branch"]["last_reset_at"].is_string());
    emu.wait_for_operations(&p.id).await;
    let (_, cmp) = emu.get(&compare).await;
    assert_eq!(cmp["diff"], "", "reset to the parent's schema");
    let (status, v) = query(&emu, &dev_uri, "SELECT label FROM items").await;
    assert_eq!(
        (status, v["code"].clone()),
        (400, json!("42703")),
        "the column is gone on the same connection string"
    );
    let search = format!("/projects/{}/branches?search=feature-before-reset", p.id);
    let (_, list) = emu.get(&search).await;
    assert_eq!(
        list["branches"].as_array().map(Vec::len),
        Some(1),
        "the old state is preserved"
    );
}

#[tokio::test]
async fn a_schema_only_branch_has_the_parents_tables_but_none_of_its_rows() {
    let emu = Emu::start_with_postgres(0).await;
    let p = project(&emu, "schema-only").await;
    let create = "CREATE TABLE customers (id serial PRIMARY KEY, email text UNIQUE)";
    rows(&emu, &p.uri, create).await;
    let insert = "INSERT INTO customers (email) VALUES ('a@example.com')";
    rows(&emu, &p.uri, insert).await;
    let b = create_branch(
        &emu,
        &p.id,
        json!({ "branch": { "name": "dev", "init_source": "schema-only" }, "endpoints": [{ "type": "read_write" }] }),
    )
    .await;
    assert_eq!(b["branch"]["init_source"], "schema-only");
    let dev = first_uri(&b);
    let count = rows(&emu, &dev, "SELECT count(*) FROM customers").await;
    assert_eq!(count, json!([["0"]]));
    let insert = "INSERT INTO customers (email) VALUES ('b@example.com')";
    rows(&emu, &dev, insert).await;
    let owners =
        "SELECT current_user, (SELECT tableowner FROM pg_tables WHERE tablename = 'customers')";
    assert_eq!(
        rows(&emu, &dev, owners).await,
        json!([["neondb_owner", "neondb_owner"]])
    );
}
