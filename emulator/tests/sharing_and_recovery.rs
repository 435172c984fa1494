//! The stateful rules of the newer areas, against an in-process emulator: transfer requests,
//! recovery, organization admins, VPC restrictions, listings, and what goes with a project.

mod common;

use common::{test_config, Emu};
use reqwest::Method;
use serde_json::{json, Value};

fn id(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string, got {v}"))
        .to_string()
}

#[tokio::test]
async fn a_transfer_request_is_used_once_and_expires() {
    let emu = Emu::start(test_config(10)).await;
    let p = emu.create_project("moving").await;
    let pid = id(&p["project"]["id"]);
    let paid = "org-emulator-paid-00000002";
    let req = emu
        .expect(
            201,
            Method::POST,
            &format!("/projects/{pid}/transfer_requests"),
            Some(json!({})),
        )
        .await;
    let path = format!("/projects/{pid}/transfer_requests/{}", id(&req["id"]));
    emu.expect(204, Method::PUT, &path, Some(json!({ "org_id": paid })))
        .await;
    let got = emu
        .expect(200, Method::GET, &format!("/projects/{pid}"), None)
        .await;
    assert_eq!(got["project"]["org_id"], paid);
    emu.expect(404, Method::PUT, &path, Some(json!({}))).await;

    let short = emu
        .expect(
            201,
            Method::POST,
            &format!("/projects/{pid}/transfer_requests"),
            Some(json!({ "ttl_seconds": 1 })),
        )
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let path = format!("/projects/{pid}/transfer_requests/{}", id(&short["id"]));
    emu.expect(410, Method::PUT, &path, Some(json!({}))).await;
    emu.expect(
        400,
        Method::POST,
        &format!("/projects/{pid}/transfer_requests"),
        Some(json!({ "ttl_seconds": 0 })),
    )
    .await;
}

#[tokio::test]
async fn a_deleted_project_is_recovered_with_its_permissions_and_purged_on_reset() {
    let emu = Emu::start(test_config(10)).await;
    let p = emu.create_project("gone").await;
    let pid = id(&p["project"]["id"]);
    emu.expect(
        200,
        Method::POST,
        &format!("/projects/{pid}/permissions"),
        Some(json!({ "email": "a@example.com" })),
    )
    .await;
    emu.expect(200, Method::DELETE, &format!("/projects/{pid}"), None)
        .await;
    emu.expect(404, Method::GET, &format!("/projects/{pid}"), None)
        .await;
    emu.expect(
        404,
        Method::GET,
        &format!("/projects/{pid}/permissions"),
        None,
    )
    .await;
    let listed = emu
        .expect(200, Method::GET, "/projects?recoverable=true", None)
        .await;
    assert_eq!(listed["projects"][0]["id"], pid.as_str());
    assert!(listed["projects"][0]["recoverable_until"].is_string());
    emu.expect(200, Method::POST, &format!("/projects/{pid}/recover"), None)
        .await;
    let perms = emu
        .expect(
            200,
            Method::GET,
            &format!("/projects/{pid}/permissions"),
            None,
        )
        .await;
    assert_eq!(
        perms["project_permissions"][0]["granted_to_email"],
        "a@example.com"
    );
    emu.expect(404, Method::POST, &format!("/projects/{pid}/recover"), None)
        .await;

    emu.expect(200, Method::DELETE, &format!("/projects/{pid}"), None)
        .await;
    let r = emu.raw(Method::POST, "/__emulator/reset", None).await;
    assert_eq!(r.status(), 200);
    let listed = emu
        .expect(200, Method::GET, "/projects?recoverable=true", None)
        .await;
    assert_eq!(listed["projects"], json!([]));
    emu.expect(404, Method::POST, &format!("/projects/{pid}/recover"), None)
        .await;
}

#[tokio::test]
async fn a_deleted_branch_comes_back_only_while_its_parent_exists() {
    let emu = Emu::start(test_config(10)).await;
    let p = emu.create_project("branches").await;
    let pid = id(&p["project"]["id"]);
    let mut ids = Vec::new();
    let mut parent = id(&p["branch"]["id"]);
    for name in ["child", "grandchild"] {
        let b = emu
            .expect(
                201,
                Method::POST,
                &format!("/projects/{pid}/branches"),
                Some(json!({ "branch": { "name": name, "parent_id": parent } })),
            )
            .await;
        emu.wait_for_operations(&pid).await;
        parent = id(&b["branch"]["id"]);
        ids.push(parent.clone());
    }
    for b in ids.iter().rev() {
        emu.expect(
            200,
            Method::DELETE,
            &format!("/projects/{pid}/branches/{b}"),
            None,
        )
        .await;
        emu.wait_for_operations(&pid).await;
    }
    let listed = emu
        .expect(
            200,
            Method::GET,
            &format!("/projects/{pid}/branches?include_deleted=true"),
            None,
        )
        .await;
    assert_eq!(listed["branches"].as_array().map(Vec::len), Some(3));
    // The grandchild waits for its parent; then both come back.
    for (status, branch) in [(400, &ids[1]), (200, &ids[0]), (200, &ids[1])] {
        let path = format!("/projects/{pid}/branches/{branch}/recover");
        emu.expect(status, Method::POST, &path, None).await;
    }
    let listed = emu
        .expect(200, Method::GET, &format!("/projects/{pid}/branches"), None)
        .await;
    assert_eq!(listed["branches"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn organizations_keep_an_admin_and_invite_each_address_once() {
    let emu = Emu::start(test_config(10)).await;
    let org = "org-emulator-personal-00000001";
    let invite = json!({ "invitations": [{ "email": "b@example.com", "role": "member" }] });
    let inv = emu
        .expect(
            200,
            Method::POST,
            &format!("/organizations/{org}/invitations"),
            Some(invite.clone()),
        )
        .await;
    emu.expect(
        409,
        Method::POST,
        &format!("/organizations/{org}/invitations"),
        Some(invite),
    )
    .await;
    emu.expect(
        400,
        Method::POST,
        &format!("/organizations/{org}/invitations"),
        Some(json!({ "invitations": [{ "email": "c@example.com", "role": "owner" }] })),
    )
    .await;
    let accept = format!(
        "/__emulator/organizations/{org}/invitations/{}/accept",
        id(&inv["invitations"][0]["id"])
    );
    assert_eq!(emu.raw(Method::POST, &accept, None).await.status(), 200);
    let members = emu
        .expect(
            200,
            Method::GET,
            &format!("/organizations/{org}/members?sort_by=email&sort_order=desc"),
            None,
        )
        .await;
    let emails: Vec<&str> = members["members"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["user"]["email"].as_str())
        .collect();
    assert_eq!(emails, ["emulator@example.com", "b@example.com"]);
    let newcomer = id(&members["members"][1]["member"]["id"]);
    let me = id(&members["members"][0]["member"]["id"]);
    // Promote the newcomer, then the first admin may step down, but the last one may not leave.
    let steps = [
        (
            200,
            Method::PATCH,
            &newcomer,
            Some(json!({ "role": "admin" })),
        ),
        (200, Method::PATCH, &me, Some(json!({ "role": "member" }))),
        (422, Method::DELETE, &newcomer, None),
    ];
    for (status, method, member, body) in steps {
        let path = format!("/organizations/{org}/members/{member}");
        emu.expect(status, method, &path, body).await;
    }
}

#[tokio::test]
async fn a_project_is_restricted_only_to_an_endpoint_its_organization_has() {
    let emu = Emu::start(test_config(10)).await;
    let p = emu.create_project("vpc").await;
    let pid = id(&p["project"]["id"]);
    let org = id(&p["project"]["org_id"]);
    let vpce = "vpce-0abc";
    let label = json!({ "label": "office" });
    let region =
        |r: &str, e: &str| format!("/organizations/{org}/vpc/region/{r}/vpc_endpoints/{e}");
    let project = format!("/projects/{pid}/vpc_endpoints/{vpce}");
    let steps = [
        (400, project.clone()),
        (400, region("aws-us-east-2", "not-an-endpoint")),
        (400, region("mars-1", vpce)),
        (200, region("aws-eu-central-1", vpce)),
        // Assigned in another region than the project's: still refused.
        (400, project.clone()),
        (200, region("aws-us-east-2", vpce)),
        (200, project),
    ];
    for (status, path) in steps {
        emu.expect(status, Method::POST, &path, Some(label.clone()))
            .await;
    }
    let d = emu
        .expect(
            200,
            Method::GET,
            &format!("/organizations/{org}/vpc/region/aws-us-east-2/vpc_endpoints/{vpce}"),
            None,
        )
        .await;
    assert_eq!(d["num_restricted_projects"], 1);
}

#[tokio::test]
async fn listings_refuse_unknown_sorts_limits_and_cursors() {
    let emu = Emu::start(test_config(10)).await;
    let p = emu.create_project("listing").await;
    let pid = id(&p["project"]["id"]);
    for q in [
        "sort_by=size",
        "sort_order=up",
        "limit=0",
        "limit=10001",
        "cursor=br-nowhere",
    ] {
        let (s, v) = emu.get(&format!("/projects/{pid}/branches?{q}")).await;
        assert_eq!(s, 400, "{q}: {v}");
        let param = q.split('=').next().unwrap_or_default();
        assert!(
            v["message"].as_str().is_some_and(|m| m.contains(param)),
            "{q}: {v}"
        );
    }
}

#[tokio::test]
async fn an_organization_transfer_moves_up_to_400_projects_at_once() {
    let emu = Emu::start(test_config(0)).await;
    let mut ids = Vec::new();
    for i in 0..400 {
        let (s, v) = emu
            .post(
                "/projects",
                json!({ "project": { "name": format!("p{i}") } }),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        ids.push(id(&v["project"]["id"]));
    }
    let from = "org-emulator-personal-00000001";
    let to = "org-emulator-paid-00000002";
    let path = format!("/organizations/{from}/projects/transfer");
    let mut too_many = ids.clone();
    too_many.push("one-more".into());
    let refused = emu
        .expect(
            400,
            Method::POST,
            &path,
            Some(json!({ "destination_org_id": to, "project_ids": too_many })),
        )
        .await;
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("400")),
        "{refused}"
    );
    emu.expect(
        200,
        Method::POST,
        &path,
        Some(json!({ "destination_org_id": to, "project_ids": ids })),
    )
    .await;
    let moved = emu
        .expect(
            200,
            Method::GET,
            &format!("/projects?org_id={to}&limit=400"),
            None,
        )
        .await;
    assert_eq!(moved["projects"].as_array().map(Vec::len), Some(400));
}
