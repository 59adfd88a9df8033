//! Integration tests of `catalog-adc` against the real loopback test CKAN (CKAN 2.11 + ckanext-scheming +
//! the thai_gdc schema and its emulated behaviour, ../shared/ckan/README.md), found through
//! `CATALOG_TEST_CKAN_ENV`. Without it every test fails and says to run scripts/test.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use catalog_adc::{load_live_schema, AdcClient, AdcError, ApiToken, Timeouts, TokenStatus, TokenUse};
use catalog_error::ToUserMessage;
use catalog_schema::{from_package, to_package, DraftRecord, Schema, SchemaSource, Scope, ValueKind};
use serde_json::{json, Map, Value};
use support::{full_record, unique, RunIds, TestCkan};

/// Dataset fields whose validators the test server swaps for adc_emu ones (README "Schema: what was
/// swapped"; resource `url`/`format` keep the same validator strings there).
const SWAPPED_VALIDATORS: [&str; 4] = ["title", "name", "tag_string", "allow_harvest"];

fn run_ids(ckan: &TestCkan, label: &str) -> RunIds {
    let name = unique(label);
    RunIds {
        title: format!("ชุดข้อมูลทดสอบ {name}"),
        name,
        org_id: ckan.org_id.clone(),
    }
}

async fn live_schema(client: &AdcClient) -> Schema {
    load_live_schema(client).await.expect("the live schema loads").schema
}

/// What CKAN does not keep and the comparison therefore ignores, by value kind (no field named): tags
/// come back sorted by name (`tags`; `tag_string` is null in package_show), and a multiple-choice field
/// that was not sent comes back as `[]` (ckanext-scheming's `scheming_multiple_choice` output; e.g.
/// `disaggregate` and `resource_disaggregate` on non-statistical types).
fn normalised(schema: &Schema, scope: Scope, map: &Map<String, Value>) -> Map<String, Value> {
    let mut out = map.clone();
    for field in schema.fields(scope) {
        match (field.value_kind, out.get_mut(&field.key)) {
            (ValueKind::List, Some(Value::Array(items))) if items.is_empty() => {
                out.remove(&field.key);
            }
            (ValueKind::Tags, Some(Value::Array(tags))) => {
                tags.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            }
            _ => {}
        }
    }
    out
}

/// The keys where two maps differ, for readable failures.
fn differing_keys(a: &Map<String, Value>, b: &Map<String, Value>) -> Vec<String> {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| format!("{k}: sent {:?}, got {:?}", a.get(k), b.get(k)))
        .collect()
}

#[tokio::test]
async fn status_and_live_schema_match_the_built_in_schema() {
    let ckan = TestCkan::get();
    let client = ckan.client(None);
    let status = client.status_show().await.expect("status_show");
    assert!(
        status.ckan_version.as_deref().is_some_and(|v| v.starts_with("2.")),
        "{status:?}"
    );
    assert_eq!(status.thaigdc_version.as_deref(), Some("2.2.4"));
    assert_eq!(status.thaigdc_catalog_type.as_deref(), Some("agency"));
    assert!(status.is_thai_gdc());
    assert!(status.extensions.iter().any(|e| e == "scheming_datasets"), "{status:?}");

    let live = load_live_schema(&client).await.expect("the live schema loads");
    assert_eq!(live.status, status);
    let (live, builtin) = (live.schema, Schema::built_in());
    assert_eq!(live.source(), &SchemaSource::Server);
    assert_eq!(live.data_types(), builtin.data_types());
    for scope in [Scope::Dataset, Scope::Resource] {
        let keys = |s: &Schema| s.fields(scope).iter().map(|f| f.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&live), keys(builtin), "{scope:?} field keys");
        for (l, b) in live.fields(scope).iter().zip(builtin.fields(scope)) {
            assert_eq!(l.from_server, b.from_server, "{}: in the server schema", l.key);
            assert_eq!(l.choices, b.choices, "{}: choices", l.key);
            assert_eq!(l.form_data_type, b.form_data_type, "{}: form_data_type", l.key);
            assert_eq!(l.required, b.required, "{}: required", l.key);
            assert_eq!(l.value_kind, b.value_kind, "{}: value kind", l.key);
            if scope == Scope::Dataset && SWAPPED_VALIDATORS.contains(&l.key.as_str()) {
                assert_ne!(l.validators, b.validators, "{}: the README says it is swapped", l.key);
            } else {
                assert_eq!(l.validators, b.validators, "{}: validators", l.key);
            }
        }
    }
    let private: Vec<&str> = live
        .dataset_fields()
        .iter()
        .filter(|f| !f.from_server)
        .map(|f| f.key.as_str())
        .collect();
    assert_eq!(
        private,
        ["private"],
        "only CKAN core's private is outside the server schema"
    );
}

#[tokio::test]
async fn a_full_record_of_every_data_type_survives_create_show_and_import() {
    let ckan = TestCkan::get();
    let client = ckan.editor();
    let schema = live_schema(&client).await;
    assert_eq!(schema.data_types().len(), 5);
    for data_type in schema.data_types() {
        let dt = &data_type.value;
        let record = full_record(&schema, dt, &run_ids(&ckan, "adc-roundtrip"));
        let created = client
            .package_create(&to_package(&schema, &record))
            .await
            .unwrap_or_else(|e| panic!("{dt}: package_create: {e}"));
        let id = created["id"].as_str().expect("the created package has an id");
        let shown = client.package_show(id).await.expect("package_show");
        assert_eq!(shown["name"], record.metadata["name"]);
        let imported = from_package(&schema, &shown).expect("from_package");
        assert_eq!(imported.server["id"], json!(id));
        // Ignored: the resource keys CKAN adds (id, package_id, position, created, metadata_modified,
        // state, url_type, size, mimetype, hash, … = the schema's server-managed resource keys); from_package
        // keeps them in each resource. Dataset-level server keys go to `imported.server`, not the record.
        let back = imported.record;
        assert_eq!(back.resources.len(), 1, "{dt}");
        let resource: Map<String, Value> = back.resources[0]
            .iter()
            .filter(|(k, _)| !schema.is_server_managed(Scope::Resource, k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let dataset_diff = differing_keys(
            &normalised(&schema, Scope::Dataset, &record.metadata),
            &normalised(&schema, Scope::Dataset, &back.metadata),
        );
        let resource_diff = differing_keys(
            &normalised(&schema, Scope::Resource, &record.resources[0]),
            &normalised(&schema, Scope::Resource, &resource),
        );
        assert!(
            dataset_diff.is_empty() && resource_diff.is_empty(),
            "{dt}: the record changed on the way through the ADC.\ndataset: {dataset_diff:#?}\nresource: {resource_diff:#?}"
        );
    }
}

#[tokio::test]
async fn a_duplicate_title_is_a_field_error_on_title() {
    let ckan = TestCkan::get();
    let client = ckan.editor();
    let schema = live_schema(&client).await;
    let dt = &schema.data_types()[0].value;
    let first = run_ids(&ckan, "adc-dup");
    client
        .package_create(&to_package(&schema, &full_record(&schema, dt, &first)))
        .await
        .expect("the first dataset is created");
    let second = RunIds {
        name: unique("adc-dup"),
        ..first
    };
    let err = client
        .package_create(&to_package(&schema, &full_record(&schema, dt, &second)))
        .await
        .expect_err("a second dataset with the same title is refused");
    let fields: Vec<&str> = err.field_errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["title"], "{err}");
    assert!(!err.field_errors()[0].messages.is_empty());
    assert!(!err.is_retryable());
    assert_eq!(err.to_user_message().code, "adc.validation");
}

#[tokio::test]
async fn a_title_already_used_on_the_adc_is_found_before_publishing() {
    let ckan = TestCkan::get();
    let client = ckan.editor();
    let schema = live_schema(&client).await;
    let ids = run_ids(&ckan, "adc-title");
    let record = full_record(&schema, &schema.data_types()[0].value, &ids);
    let title = record.metadata["title"].as_str().unwrap().to_owned();
    assert!(
        client.datasets_titled(&title).await.unwrap().is_empty(),
        "not there before it is created"
    );
    let created = client.package_create(&to_package(&schema, &record)).await.unwrap();
    let found = client.datasets_titled(&format!("  {title} ")).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], created["id"]);
    let longer = client.datasets_titled(&format!("{title} ฉบับปรับปรุง")).await.unwrap();
    assert!(longer.is_empty(), "only the exact title counts, not a phrase match");
}

#[tokio::test]
async fn a_member_is_told_they_are_not_an_editor_of_the_organisation() {
    let ckan = TestCkan::get();
    let member = ckan.client(Some(&ckan.member_token));
    assert!(matches!(member.token_status().await, Ok(TokenStatus::Valid { .. })));
    let orgs = member.organization_list_for_user().await.expect("a member's list");
    assert!(
        orgs.iter().all(|o| o.id != ckan.org_id),
        "a member cannot publish to {}",
        ckan.org_name
    );
    let schema = live_schema(&member).await;
    let record = full_record(&schema, &schema.data_types()[0].value, &run_ids(&ckan, "adc-member"));
    let err = member
        .package_create(&to_package(&schema, &record))
        .await
        .expect_err("a member may not create datasets");
    assert!(
        matches!(&err, AdcError::NotAuthorized { token: TokenUse::Valid, action, .. } if action == "package_create"),
        "{err:?}"
    );
    let msg = err.to_user_message();
    assert_eq!(msg.code, "adc.not_editor");
    assert!(msg.message.th.contains("บรรณาธิการ") && msg.message.en.contains("not an editor"));
    ckan.assert_no_secret(&format!("{err:?} {err} {msg:?}"));
}

#[tokio::test]
async fn a_made_up_token_is_detected_as_invalid() {
    let ckan = TestCkan::get();
    let editor = ckan.editor();
    assert_eq!(
        editor.token_status().await.expect("token check"),
        TokenStatus::Valid {
            user: Some(ckan.editor_user.clone())
        }
    );
    let made_up = ApiToken::new(unique("made-up-token")).unwrap();
    let client = ckan.client(Some(&made_up));
    assert_eq!(client.token_status().await.expect("token check"), TokenStatus::Invalid);
    let err = client
        .organization_list_for_user()
        .await
        .expect_err("an invalid token cannot list organisations");
    assert!(matches!(err, AdcError::TokenInvalid { .. }), "{err:?}");
    let err = client
        .verified_organizations()
        .await
        .expect_err("signing in with an invalid token fails");
    assert!(matches!(err, AdcError::TokenInvalid { .. }), "{err:?}");
    let schema = Schema::built_in();
    let record = full_record(schema, &schema.data_types()[0].value, &run_ids(&ckan, "adc-badtoken"));
    let err = client
        .package_create(&to_package(schema, &record))
        .await
        .expect_err("an invalid token cannot create");
    assert!(
        matches!(err, AdcError::TokenInvalid { ref action } if action == "package_create"),
        "{err:?}"
    );
    assert_eq!(err.to_user_message().code, "adc.token_invalid");

    let anonymous = ckan.client(None);
    assert_eq!(anonymous.token_status().await.unwrap(), TokenStatus::Missing);
    let err = anonymous
        .package_create(&to_package(schema, &record))
        .await
        .expect_err("an anonymous call cannot create");
    assert!(
        matches!(
            err,
            AdcError::NotAuthorized {
                token: TokenUse::Missing,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.to_user_message().code, "adc.token_missing");
}

#[tokio::test]
async fn a_closed_port_is_a_retryable_offline_error() {
    let ckan = TestCkan::get();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = AdcClient::new(&format!("http://127.0.0.1:{port}"), Some(ckan.editor_token.clone())).unwrap();
    let err = client.status_show().await.expect_err("nothing listens there");
    assert!(matches!(err, AdcError::Offline { .. }), "{err:?}");
    assert!(err.is_retryable() && err.is_offline());
    assert_eq!(err.to_user_message().code, "adc.offline");
    ckan.assert_no_secret(&format!("{err:?} {err} {:?}", err.to_user_message()));
    let err = load_live_schema(&client).await.expect_err("no live schema offline");
    assert!(err.is_offline(), "{err:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_retryable_timeout() {
    // The kernel accepts connections into the listen backlog; nobody ever reads or answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        request: Duration::from_millis(500),
    };
    let client = AdcClient::with_timeouts(&url, None, timeouts).unwrap();
    let err = client.status_show().await.expect_err("no answer");
    assert!(matches!(err, AdcError::Timeout { .. }), "{err:?}");
    assert!(err.is_retryable() && !err.is_offline());
}

#[tokio::test]
async fn editor_lists_organisations_searches_pages_and_patches() {
    let ckan = TestCkan::get();
    let client = ckan.editor();
    let orgs = client.organization_list_for_user().await.expect("organisations");
    assert!(
        orgs.iter().any(|o| o.id == ckan.org_id && o.name == ckan.org_name),
        "{orgs:?}"
    );
    assert_eq!(client.verified_organizations().await.expect("signing in"), orgs);

    let schema = live_schema(&client).await;
    let mut ids = Vec::new();
    for dt in schema.data_types().iter().take(3) {
        let record: DraftRecord = full_record(&schema, &dt.value, &run_ids(&ckan, "adc-search"));
        let created = client
            .package_create(&to_package(&schema, &record))
            .await
            .expect("create");
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    let private = Map::from_iter([("private".to_owned(), json!(true))]);
    let patched = client.package_patch(&ids[0], &private).await.expect("patch");
    assert_eq!(patched["private"], json!(true));
    assert_eq!(
        patched["title"],
        client.package_show(&ids[0]).await.unwrap()["title"],
        "other keys kept"
    );

    let rows = 25;
    let (mut start, mut seen) = (0, Vec::new());
    loop {
        let page = client
            .package_search_by_org(&ckan.org_id, start, rows)
            .await
            .expect("search");
        assert!(page.results.len() as u64 <= rows);
        seen.extend(page.results.iter().filter_map(|p| p["id"].as_str().map(str::to_owned)));
        assert!(page.results.iter().all(|p| p["owner_org"] == json!(ckan.org_id)));
        start += rows;
        if start >= page.count {
            assert_eq!(seen.len() as u64, page.count, "pages cover every match once");
            break;
        }
    }
    let unique_seen: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique_seen.len(), seen.len(), "no dataset on two pages");
    for id in &ids {
        assert!(seen.contains(id), "{id} (the first one private) is found");
    }

    let err = client
        .package_show(&unique("adc-no-such-dataset"))
        .await
        .expect_err("unknown dataset");
    assert!(matches!(err, AdcError::NotFound { .. }), "{err:?}");
    assert_eq!(err.to_user_message().code, "adc.not_found");
}
