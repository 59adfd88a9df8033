//! Publishing approved drafts through the outbox to the real test CKAN (../shared/ckan/README.md), found
//! through `CATALOG_TEST_CKAN_ENV`; without it every test fails and says to run scripts/test. Each test
//! makes its own uniquely named datasets.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use catalog_adc::{AdcClient, AdcError, FileUpload};
use catalog_error::ToUserMessage;
use catalog_publish::{
    check_gdc, gdc_status, import_remote, remote_dataset, remote_dataset_ids, GdcConfig, GdcOutcome, GdcState,
    ItemState, PublishOptions, PublishProgress, PublishSummary, RunOutcome,
};
use catalog_schema::keys;
use serde_json::{json, Map, Value};
use support::{content, Desk, Lab, Visibility};
use tokio::io::AsyncReadExt;

fn options(lab: &Lab) -> PublishOptions {
    PublishOptions {
        owner_org: Some(lab.org_id.clone()),
        withhold_files: false,
    }
}

fn actions(outcome: &RunOutcome) -> Vec<String> {
    match outcome {
        RunOutcome::Published { writes, .. } => writes.iter().map(|w| w.action.clone()).collect(),
        other => panic!("not published: {other:?}"),
    }
}

fn package_id(outcome: &RunOutcome) -> String {
    match outcome {
        RunOutcome::Published { package_id, .. } => package_id.clone(),
        other => panic!("not published: {other:?}"),
    }
}

/// Downloads every resource of the package (as the editor) and returns (name, bytes).
async fn downloaded(lab: &Lab, desk: &Desk, package: &Value) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (i, resource) in package[keys::package::RESOURCES].as_array().unwrap().iter().enumerate() {
        let dest = desk.root.join(format!("download-{i}"));
        let url = resource[keys::URL].as_str().unwrap();
        lab.editor().download(url, &dest, None).await.expect("download");
        out.push((
            resource[keys::NAME].as_str().unwrap().to_owned(),
            std::fs::read(&dest).unwrap(),
        ));
    }
    out.sort();
    out
}

#[tokio::test]
async fn a_dry_run_queues_the_draft_paused_for_its_organisation_and_writes_nothing() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let draft = desk.approved_draft(
        &lab,
        "pub-queued-dry",
        Visibility::Public,
        &[("a.csv", &content(3, 1_000), false)],
    );
    let snapshot = desk.snapshot(&draft);
    let dry = desk
        .outbox
        .queue_dry_run(&lab.url, &snapshot, false, &lab.editor())
        .await
        .unwrap();
    assert!(dry.stopped.is_none(), "{:?}", dry.stopped);
    assert_eq!(dry.item.state, ItemState::Paused);
    assert_eq!(dry.item.owner_org.as_deref(), Some(lab.org_id.as_str()));
    assert_eq!(
        dry.calls.iter().map(|c| c.action.as_str()).collect::<Vec<_>>(),
        ["package_create", "resource_create", "package_patch"]
    );
    assert!(desk.outbox.published_as(&draft, &lab.url).unwrap().is_none());
}

#[tokio::test]
async fn create_update_and_an_unchanged_republish_that_writes_nothing() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let (a, b) = (content(1, 300_000), content(2, 1_000));
    let draft = desk.approved_draft(
        &lab,
        "pub-create",
        Visibility::Public,
        &[("a.csv", &a, false), ("b.csv", &b, false)],
    );
    let client = lab.editor();
    let item = desk.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();

    let snapshot = desk.snapshot(&draft);
    let planned = desk.outbox.dry_run(item, &snapshot, &client).await.unwrap().unwrap();
    let planned: Vec<&str> = planned.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(
        planned,
        ["package_create", "resource_create", "resource_create", "package_patch"]
    );
    assert!(
        desk.outbox.published_as(&draft, &lab.url).unwrap().is_none(),
        "a dry run writes nothing"
    );

    let seen: Arc<Mutex<Vec<PublishProgress>>> = Arc::default();
    let sink = seen.clone();
    let progress = Arc::new(move |p: PublishProgress| sink.lock().unwrap().push(p));
    let first = desk
        .outbox
        .run_item(item, &snapshot, &client, Some(progress))
        .await
        .unwrap();
    assert_eq!(actions(&first), planned);
    let id = package_id(&first);
    let uploads: Vec<PublishProgress> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|p| p.target == "a.csv")
        .cloned()
        .collect();
    assert_eq!(
        uploads.last().map(|p| (p.sent, p.total)),
        Some((300_000, 300_000)),
        "upload progress"
    );
    assert_eq!(desk.outbox.item(item).unwrap().state, ItemState::Done);

    let remote = client.package_show(&id).await.unwrap();
    assert_eq!(remote[keys::PRIVATE], json!(false), "public as the gate allows");
    assert_eq!(remote[keys::ALLOW_HARVEST], json!("True"));
    assert_eq!(
        downloaded(&lab, &desk, &remote).await,
        [("a.csv".into(), a.clone()), ("b.csv".into(), b.clone())]
    );

    // Unchanged: no write call, the ADC copy untouched.
    let item = desk.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();
    let again = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    assert!(actions(&again).is_empty(), "{again:?}");
    let after = client.package_show(&id).await.unwrap();
    assert_eq!(after["metadata_modified"], remote["metadata_modified"]);

    // A metadata change: one package_patch. A new file: one upload; the unchanged ones are not sent.
    desk.store
        .set_field(&draft, keys::NOTES, json!("คำอธิบายใหม่ / new description"), "tester")
        .unwrap();
    let c = content(3, 5_000);
    let resource_fields = desk.snapshot(&draft).record.resources[0].clone();
    desk.add_file(&draft, "c.csv", &c, false, &resource_fields);
    desk.approve(&draft);
    let item = desk.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();
    let update = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    assert_eq!(actions(&update), ["resource_create", "package_patch"]);
    assert_eq!(package_id(&update), id, "updated by id");
    let remote = client.package_show(&id).await.unwrap();
    assert_eq!(remote[keys::NOTES], json!("คำอธิบายใหม่ / new description"));

    // A changed file (same resource, new content): re-uploaded with resource_patch; the others are not.
    let mut snapshot = desk.snapshot(&draft);
    let changed = content(4, 7_000);
    let path = desk.root.join("a-changed.csv");
    std::fs::write(&path, &changed).unwrap();
    let a_file = snapshot.files.iter_mut().find(|f| f.file_name == "a.csv").unwrap();
    a_file.path = Some(path);
    a_file.sha256 = "changed-content".into();
    a_file.size = changed.len() as u64;
    let item = desk.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();
    let replaced = desk.outbox.run_item(item, &snapshot, &client, None).await.unwrap();
    match &replaced {
        RunOutcome::Published { writes, .. } => {
            assert_eq!(writes.len(), 1, "{writes:?}");
            assert_eq!(
                (writes[0].action.as_str(), writes[0].upload_bytes),
                ("resource_patch", Some(7_000))
            );
        }
        other => panic!("{other:?}"),
    }
    let remote = client.package_show(&id).await.unwrap();
    assert_eq!(
        downloaded(&lab, &desk, &remote).await,
        [("a.csv".into(), changed), ("b.csv".into(), b), ("c.csv".into(), c)]
    );
    let found = client.package_search_by_org(&lab.org_id, 0, 1000).await.unwrap();
    let same_name = found.results.iter().filter(|p| p["id"] == json!(id)).count();
    assert!(same_name <= 1);
    lab.assert_no_secret_in_files(&desk.root);
}

fn summary(outcome: &RunOutcome) -> PublishSummary {
    match outcome {
        RunOutcome::Published { summary, .. } => *summary,
        other => panic!("not published: {other:?}"),
    }
}

/// The ADC ids and names of the dataset's resources, as the editor sees them.
async fn remote_resources(client: &AdcClient, package_id: &str) -> Vec<(String, String)> {
    let package = client.package_show(package_id).await.unwrap();
    package[keys::package::RESOURCES]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r[keys::NAME].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Removes the draft's local resource named `file_name` (which sends the draft back to review) and
/// approves the draft again.
fn remove_file(desk: &mut Desk, draft: &str, file_name: &str) {
    let resource = desk
        .store
        .resources(draft)
        .unwrap()
        .into_iter()
        .find(|r| r.name == file_name)
        .unwrap();
    desk.store.remove_resource(&resource.id, "tester").unwrap();
    desk.approve(draft);
}

#[tokio::test]
async fn a_file_removed_locally_is_deleted_on_the_adc_and_then_nothing_is_sent() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let client = lab.editor();
    let (keep, gone) = (content(11, 2_000), content(12, 3_000));
    let draft = desk.approved_draft(
        &lab,
        "pub-remove",
        Visibility::Public,
        &[("keep.csv", &keep, false), ("gone.csv", &gone, false)],
    );
    let item = desk.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();
    let first = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    let id = package_id(&first);
    let before = remote_resources(&client, &id).await;
    assert_eq!(before.len(), 2, "{before:?}");
    let gone_id = before.iter().find(|(_, name)| name == "gone.csv").unwrap().0.clone();

    remove_file(&mut desk, &draft, "gone.csv");
    let dry = desk
        .outbox
        .queue_dry_run(&lab.url, &desk.snapshot(&draft), false, &client)
        .await
        .unwrap();
    let planned: Vec<(&str, &str)> = dry
        .calls
        .iter()
        .map(|c| (c.action.as_str(), c.target.as_str()))
        .collect();
    assert_eq!(
        planned,
        [("resource_delete", gone_id.as_str())],
        "by its recorded remote id"
    );
    assert_eq!(dry.summary.files_deleted, 1);
    assert_eq!(
        remote_resources(&client, &id).await.len(),
        2,
        "a dry run deletes nothing"
    );

    let item = desk.outbox.retry(dry.item.id).unwrap().id;
    let second = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    assert_eq!(actions(&second), ["resource_delete"]);
    assert_eq!(
        summary(&second),
        PublishSummary {
            files_deleted: 1,
            ..PublishSummary::default()
        }
    );
    let after = remote_resources(&client, &id).await;
    assert_eq!(after.len(), 1, "exactly one resource left: {after:?}");
    assert_eq!(after[0].1, "keep.csv");
    let remote = client.package_show(&id).await.unwrap();
    assert_eq!(downloaded(&lab, &desk, &remote).await, [("keep.csv".into(), keep)]);
    let journal = desk.outbox.journal_of(item).unwrap();
    let deletes: Vec<(&str, &str)> = journal
        .iter()
        .filter(|(action, _, _)| action == "resource_delete")
        .map(|(_, target, phase)| (target.as_str(), phase.as_str()))
        .collect();
    assert_eq!(deletes, [(gone_id.as_str(), "start"), (gone_id.as_str(), "done")]);

    let item = desk.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();
    let third = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    assert!(actions(&third).is_empty(), "no write calls: {third:?}");
    assert_eq!(summary(&third), PublishSummary::default());
    assert_eq!(
        client.package_show(&id).await.unwrap()["metadata_modified"],
        remote["metadata_modified"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_whose_answer_was_lost_is_made_again_and_counts_as_done() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let port = free_port();
    let site = format!("http://127.0.0.1:{port}");
    let client = AdcClient::new(&site, Some(lab.editor_token.clone())).unwrap();
    let (keep, gone) = (content(13, 1_000), content(14, 1_000));
    let draft = desk.approved_draft(
        &lab,
        "pub-remove-lost",
        Visibility::Public,
        &[("keep.csv", &keep, false), ("gone.csv", &gone, false)],
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let forwarder = tokio::spawn(forward(listener, ckan_host(&lab), Arc::default()));
    let item = desk.outbox.enqueue(&draft, &site, &options(&lab)).unwrap();
    let id = package_id(
        &desk
            .outbox
            .run_item(item, &desk.snapshot(&draft), &client, None)
            .await
            .unwrap(),
    );
    remove_file(&mut desk, &draft, "gone.csv");

    forwarder.abort();
    let _ = forwarder.await;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let forwarder = tokio::spawn(forward_losing(listener, ckan_host(&lab), "/resource_delete"));
    // A new client: no connection kept alive through the earlier forwarder.
    let client = AdcClient::new(&site, Some(lab.editor_token.clone())).unwrap();
    let item = desk.outbox.enqueue(&draft, &site, &options(&lab)).unwrap();
    let lost = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    assert!(
        matches!(&lost, RunOutcome::Failed { retry_at: Some(_), .. }),
        "{lost:?}"
    );
    let names: Vec<String> = remote_resources(&lab.editor(), &id)
        .await
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    assert_eq!(names, ["keep.csv"], "CKAN deleted it; only the answer was lost");

    forwarder.abort();
    let _ = forwarder.await;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    tokio::spawn(forward(listener, ckan_host(&lab), Arc::default()));
    let client = AdcClient::new(&site, Some(lab.editor_token.clone())).unwrap();
    let done = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    assert_eq!(
        actions(&done),
        ["resource_delete"],
        "made again: the resource is gone, so it is done"
    );
    assert_eq!(summary(&done).files_deleted, 1);
    assert_eq!(desk.outbox.item(item).unwrap().state, ItemState::Done);
    assert_eq!(remote_resources(&lab.editor(), &id).await.len(), 1);
    let item = desk.outbox.enqueue(&draft, &site, &options(&lab)).unwrap();
    let again = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    assert!(actions(&again).is_empty(), "{again:?}");
}

#[tokio::test]
async fn a_remote_edit_stops_the_publish_with_a_diff_until_the_person_chooses() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let draft = desk.approved_draft(&lab, "pub-remote", Visibility::Public, &[]);
    let client = lab.editor();
    let item = desk.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();
    let id = package_id(
        &desk
            .outbox
            .run_item(item, &desk.snapshot(&draft), &client, None)
            .await
            .unwrap(),
    );

    let edit = Map::from_iter([(keys::NOTES.to_owned(), json!("แก้ไขบนเว็บ / edited on the ADC"))]);
    client.package_patch(&id, &edit).await.unwrap();
    let item = desk.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();
    let stopped = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    let RunOutcome::RemoteChanged { diff, .. } = &stopped else {
        panic!("{stopped:?}");
    };
    let notes = diff
        .iter()
        .find(|d| d.field == keys::NOTES)
        .expect("the edited field is listed");
    assert_eq!(notes.remote, json!("แก้ไขบนเว็บ / edited on the ADC"));
    assert_eq!(desk.outbox.item(item).unwrap().state, ItemState::RemoteChanged);
    assert_eq!(
        client.package_show(&id).await.unwrap()[keys::NOTES],
        json!("แก้ไขบนเว็บ / edited on the ADC"),
        "nothing overwritten"
    );

    desk.outbox.overwrite_remote(item).unwrap();
    let overwritten = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    assert_eq!(actions(&overwritten), ["package_patch"]);
    assert_eq!(client.package_show(&id).await.unwrap()[keys::NOTES], notes.local);
}

#[tokio::test]
async fn private_datasets_and_private_files_stay_hidden_from_anonymous_callers() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let client = lab.editor();
    let (open, closed) = (content(5, 2_000), content(6, 2_000));
    let public = desk.approved_draft(
        &lab,
        "pub-private-file",
        Visibility::Public,
        &[("open.csv", &open, false), ("closed.csv", &closed, true)],
    );
    let item = desk.outbox.enqueue(&public, &lab.url, &options(&lab)).unwrap();
    let id = package_id(
        &desk
            .outbox
            .run_item(item, &desk.snapshot(&public), &client, None)
            .await
            .unwrap(),
    );
    let seen_by_editor = client.package_show(&id).await.unwrap();
    assert_eq!(seen_by_editor[keys::package::RESOURCES].as_array().unwrap().len(), 2);
    let anonymous = lab.anonymous().package_show(&id).await.unwrap();
    let names: Vec<&str> = anonymous[keys::package::RESOURCES]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[keys::NAME].as_str().unwrap())
        .collect();
    assert_eq!(names, ["open.csv"], "the private file is hidden");

    // Classification forbids public: the dataset is private and every file goes up private.
    let secret = desk.approved_draft(&lab, "pub-private", Visibility::Private, &[("s.csv", &closed, false)]);
    let snapshot = desk.snapshot(&secret);
    assert!(snapshot.decision.private);
    let item = desk.outbox.enqueue(&secret, &lab.url, &options(&lab)).unwrap();
    let id = package_id(&desk.outbox.run_item(item, &snapshot, &client, None).await.unwrap());
    let remote = client.package_show(&id).await.unwrap();
    assert_eq!(remote[keys::PRIVATE], json!(true));
    assert_eq!(
        remote[keys::package::RESOURCES][0][keys::RESOURCE_PRIVATE],
        json!("True")
    );
    let err = lab.anonymous().package_show(&id).await.expect_err("hidden");
    assert!(
        matches!(err, AdcError::NotAuthorized { .. } | AdcError::NotFound { .. }),
        "{err:?}"
    );

    // Withheld instead: the dataset goes up without its files.
    let withheld = desk.approved_draft(&lab, "pub-withheld", Visibility::Private, &[("w.csv", &closed, false)]);
    let options = PublishOptions {
        withhold_files: true,
        ..options(&lab)
    };
    let item = desk.outbox.enqueue(&withheld, &lab.url, &options).unwrap();
    let planned = desk
        .outbox
        .dry_run(item, &desk.snapshot(&withheld), &client)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        planned.iter().map(|c| c.action.as_str()).collect::<Vec<_>>(),
        ["package_create"]
    );
    let outcome = desk
        .outbox
        .run_item(item, &desk.snapshot(&withheld), &client, None)
        .await
        .unwrap();
    assert_eq!(
        actions(&outcome),
        ["package_create"],
        "created private without consent: already final"
    );
}

#[tokio::test]
async fn refusals_are_explained_and_not_retried() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let client = lab.editor();
    let first = desk.approved_draft(&lab, "pub-dup", Visibility::Public, &[]);
    let item = desk.outbox.enqueue(&first, &lab.url, &options(&lab)).unwrap();
    package_id(
        &desk
            .outbox
            .run_item(item, &desk.snapshot(&first), &client, None)
            .await
            .unwrap(),
    );

    // 409: a second draft with the same title.
    let second = desk.approved_draft(&lab, "pub-dup2", Visibility::Public, &[]);
    let title = desk.store.draft(&first).unwrap().metadata[keys::TITLE].clone();
    desk.store.set_field(&second, keys::TITLE, title, "tester").unwrap();
    desk.approve(&second);
    let item = desk.outbox.enqueue(&second, &lab.url, &options(&lab)).unwrap();
    let outcome = desk
        .outbox
        .run_item(item, &desk.snapshot(&second), &client, None)
        .await
        .unwrap();
    let RunOutcome::Failed {
        error,
        fields,
        retry_at,
    } = &outcome
    else {
        panic!("{outcome:?}");
    };
    assert_eq!(error.code, "adc.validation");
    assert!(error.message.en.contains(keys::TITLE), "{error:?}");
    assert_eq!(
        fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        [keys::TITLE]
    );
    assert_eq!(
        desk.outbox.item(item).unwrap().error_fields.unwrap()[0]["field"],
        json!(keys::TITLE)
    );
    assert_eq!(*retry_at, None, "a refusal waits for the person");
    let stored = desk.outbox.item(item).unwrap();
    assert_eq!(
        (stored.state, stored.last_error.as_ref()),
        (ItemState::Failed, Some(error))
    );
    lab.assert_no_secret(&format!("{outcome:?}"));

    // 403 with a member's token: not an editor. An invalid token: explained as such.
    let third = desk.approved_draft(&lab, "pub-403", Visibility::Public, &[]);
    let item = desk.outbox.enqueue(&third, &lab.url, &options(&lab)).unwrap();
    let member = AdcClient::new(&lab.url, Some(lab.member_token.clone())).unwrap();
    let outcome = desk
        .outbox
        .run_item(item, &desk.snapshot(&third), &member, None)
        .await
        .unwrap();
    assert!(
        matches!(&outcome, RunOutcome::Failed { error, retry_at: None, .. } if error.code == "adc.not_editor"),
        "{outcome:?}"
    );
    let bogus = AdcClient::new(&lab.url, Some(catalog_adc::ApiToken::new("not-a-real-token").unwrap())).unwrap();
    let outcome = desk
        .outbox
        .run_item(item, &desk.snapshot(&third), &bogus, None)
        .await
        .unwrap();
    assert!(
        matches!(&outcome, RunOutcome::Failed { error, .. } if error.code == "adc.token_invalid"),
        "{outcome:?}"
    );
    assert!(desk.outbox.published_as(&third, &lab.url).unwrap().is_none());

    // Not approved: nothing is sent.
    let draft = desk.store.create_draft("ยังไม่อนุมัติ", "tester").unwrap();
    let item = desk.outbox.enqueue(&draft.id, &lab.url, &options(&lab)).unwrap();
    let outcome = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft.id), &client, None)
        .await
        .unwrap();
    assert_eq!(outcome, RunOutcome::NotApproved);
}

#[tokio::test]
async fn a_file_over_the_upload_limit_is_refused_with_the_alternative() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let client = lab.editor();
    let draft = desk.approved_draft(&lab, "pub-413", Visibility::Private, &[]);
    let item = desk.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();
    let id = package_id(
        &desk
            .outbox
            .run_item(item, &desk.snapshot(&draft), &client, None)
            .await
            .unwrap(),
    );
    // CKAN_MAX_UPLOAD_MB is 100 on the shared test server: one byte over.
    let path = desk.root.join("big.bin");
    let size = 100 * 1024 * 1024 + 1;
    std::fs::File::create(&path).unwrap().set_len(size).unwrap();
    let upload = FileUpload {
        path: &path,
        file_name: "big.bin",
        size,
    };
    let fields = Map::from_iter([(keys::NAME.to_owned(), json!("big.bin"))]);
    let err = client
        .resource_create(&id, &fields, Some(&upload), None)
        .await
        .expect_err("over the limit");
    assert!(matches!(err, AdcError::TooLarge { .. }), "{err:?}");
    assert!(!err.is_retryable());
    let msg = err.to_user_message();
    assert_eq!(msg.code, "adc.too_large");
    assert!(
        msg.message.th.contains("URL") && msg.message.en.contains("link it by URL"),
        "{msg:?}"
    );
}

/// A TCP forwarder on a fixed port to the test CKAN, to stop and start "the ADC". While `lose_answers`
/// is set, each request reaches CKAN but its answer is dropped (the connection closes once CKAN has
/// started answering): a call that happened but whose answer was lost.
async fn forward(listener: tokio::net::TcpListener, upstream: String, lose_answers: Arc<AtomicBool>) {
    loop {
        let Ok((mut inbound, _)) = listener.accept().await else {
            return;
        };
        let (upstream, lose) = (upstream.clone(), lose_answers.clone());
        tokio::spawn(async move {
            let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await else {
                return;
            };
            if !lose.load(Ordering::SeqCst) {
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                return;
            }
            let (mut client_read, _client_write) = inbound.split();
            let (mut server_read, mut server_write) = outbound.split();
            let request = tokio::io::copy(&mut client_read, &mut server_write);
            let mut first = [0u8; 1];
            let answer = server_read.read(&mut first);
            tokio::select! {
                _ = request => {}
                _ = answer => {}
            }
        });
    }
}

/// A TCP forwarder like [`forward`] that loses only the answers to requests naming `marker` (e.g. an
/// action): CKAN gets the request and acts on it, the client sees the connection break off. Other
/// requests on the same kept-alive connection pass as they are.
async fn forward_losing(listener: tokio::net::TcpListener, upstream: String, marker: &'static str) {
    use tokio::io::AsyncWriteExt;
    loop {
        let Ok((inbound, _)) = listener.accept().await else {
            return;
        };
        let upstream = upstream.clone();
        tokio::spawn(async move {
            let Ok(outbound) = tokio::net::TcpStream::connect(upstream).await else {
                return;
            };
            let (mut client_read, mut client_write) = inbound.into_split();
            let (mut server_read, mut server_write) = outbound.into_split();
            let lose = Arc::new(AtomicBool::new(false));
            let lose_answer = lose.clone();
            let answers = tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                while let Ok(n @ 1..) = server_read.read(&mut buf).await {
                    if lose_answer.load(Ordering::SeqCst) || client_write.write_all(&buf[..n]).await.is_err() {
                        return;
                    }
                }
            });
            let mut buf = vec![0u8; 64 * 1024];
            while let Ok(n @ 1..) = client_read.read(&mut buf).await {
                if buf[..n].windows(marker.len()).any(|w| w == marker.as_bytes()) {
                    lose.store(true, Ordering::SeqCst);
                }
                if server_write.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
            let _ = answers.await;
        });
    }
}

/// A free port on 127.0.0.1 (nothing listens there afterwards).
fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}

fn ckan_host(lab: &Lab) -> String {
    lab.url.trim_start_matches("http://").trim_end_matches('/').to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_whose_answer_was_lost_is_reconciled_by_name_not_repeated() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let port = free_port();
    let site = format!("http://127.0.0.1:{port}");
    let lose = Arc::new(AtomicBool::new(true));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    tokio::spawn(forward(listener, ckan_host(&lab), lose.clone()));
    let client = AdcClient::new(&site, Some(lab.editor_token.clone())).unwrap();
    let draft = desk.approved_draft(&lab, "pub-lost", Visibility::Public, &[]);
    let title = desk.store.draft(&draft).unwrap().metadata[keys::TITLE]
        .as_str()
        .unwrap()
        .to_owned();
    let name = desk.snapshot(&draft).record.metadata[keys::NAME]
        .as_str()
        .unwrap()
        .to_owned();
    let item = desk.outbox.enqueue(&draft, &site, &options(&lab)).unwrap();

    let lost = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    assert!(
        matches!(&lost, RunOutcome::Failed { retry_at: Some(_), .. }),
        "{lost:?}"
    );
    lab.editor()
        .package_show(&name)
        .await
        .expect("CKAN created it; only the answer was lost");

    lose.store(false, Ordering::SeqCst);
    let done = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    assert_eq!(actions(&done), ["package_patch"], "adopted by name, not created again");
    assert_eq!(
        lab.editor().datasets_titled(&title).await.unwrap().len(),
        1,
        "exactly one dataset"
    );
    let journal = desk.outbox.journal_of(item).unwrap();
    let creates: Vec<&str> = journal
        .iter()
        .filter(|(action, _, _)| action == "package_create")
        .map(|(_, _, phase)| phase.as_str())
        .collect();
    assert_eq!(creates, ["start", "failed", "done"], "{journal:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_items_wait_while_the_adc_is_down_and_drain_when_it_is_back() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let port = free_port();
    let site = format!("http://127.0.0.1:{port}");
    let client = AdcClient::new(&site, Some(lab.editor_token.clone())).unwrap();
    let drafts: Vec<String> = (0..2)
        .map(|i| {
            desk.approved_draft(
                &lab,
                &format!("pub-offline{i}"),
                Visibility::Public,
                &[("f.csv", b"a,b\n1,2\n", false)],
            )
        })
        .collect();
    let items: Vec<i64> = drafts
        .iter()
        .map(|d| desk.outbox.enqueue(d, &site, &options(&lab)).unwrap())
        .collect();

    // Down: every due item fails as offline and is scheduled with backoff; nothing is due meanwhile.
    for item in desk.outbox.due().unwrap() {
        let snapshot = desk.snapshot(&item.draft_id);
        let outcome = desk.outbox.run_item(item.id, &snapshot, &client, None).await.unwrap();
        assert!(
            matches!(&outcome, RunOutcome::Failed { error, retry_at: Some(_), .. } if error.code == "adc.offline"),
            "{outcome:?}"
        );
    }
    assert!(desk.outbox.due().unwrap().is_empty(), "waiting for the retry time");
    let wait = desk.outbox.next_due_in().unwrap().expect("retried by itself");
    assert!(wait <= Duration::from_secs(1), "{wait:?}");

    // Back: the shell's loop (sleep until due, run what is due) drains the queue by itself.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    tokio::spawn(forward(listener, ckan_host(&lab), Arc::default()));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while let Some(wait) = desk.outbox.next_due_in().unwrap() {
        assert!(std::time::Instant::now() < deadline, "the queue did not drain");
        tokio::time::sleep(wait).await;
        for item in desk.outbox.due().unwrap() {
            let snapshot = desk.snapshot(&item.draft_id);
            desk.outbox.run_item(item.id, &snapshot, &client, None).await.unwrap();
        }
    }
    for (item, draft) in items.iter().zip(&drafts) {
        let stored = desk.outbox.item(*item).unwrap();
        assert_eq!(stored.state, ItemState::Done, "{stored:?}");
        let (id, _) = desk.outbox.published_as(draft, &site).unwrap().unwrap();
        assert_eq!(
            lab.editor().package_show(&id).await.unwrap()[keys::package::RESOURCES]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn gd_catalog_states_are_read_from_the_status_api_and_labelled_in_thai() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let client = lab.editor();
    let config = GdcConfig {
        harvester_url: lab.url.clone(),
        ..GdcConfig::default()
    };
    let draft = desk.approved_draft(&lab, "pub-gdc", Visibility::Public, &[]);
    let item = desk.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();
    let id = package_id(
        &desk
            .outbox
            .run_item(item, &desk.snapshot(&draft), &client, None)
            .await
            .unwrap(),
    );

    let status = gdc_status(&config, &client, &id).await.unwrap();
    assert_eq!(
        (status.state, status.label.th.as_str()),
        (GdcState::Wait, "พร้อมลงทะเบียน"),
        "public and consented: harvested"
    );
    let sysadmin = lab.sysadmin();
    let set = |state: &'static str| {
        let body = Map::from_iter([
            ("package".to_owned(), json!(id)),
            ("governance_state".to_owned(), json!(state)),
            ("metadata_modified".to_owned(), json!("2024-06-14T10:00:00")),
            ("name".to_owned(), json!("gdc-name")),
        ]);
        let sysadmin = &sysadmin;
        async move { sysadmin.post_action("adcemu_gdc_state_set", &body).await.unwrap() }
    };
    let expected = [
        ("VALIDATE", GdcState::UnderApproval, "อยู่ระหว่างกระบวนการอนุมัติ"),
        ("APPROVAL", GdcState::UnderApproval, "อยู่ระหว่างกระบวนการอนุมัติ"),
        ("REJECT", GdcState::Rejected, "ไม่ผ่านเกณฑ์ (ปรับปรุงแล้ว)"),
        ("WAIT_REVOKE", GdcState::Revoking, "อยู่ระหว่างกระบวนการเพิกถอน"),
        ("DELETED", GdcState::Revoked, "เพิกถอนแล้ว"),
        ("PUBLISHED", GdcState::Registered, "ลงทะเบียนแล้ว (2024-06-14)"),
    ];
    for (code, state, label) in expected {
        set(code).await;
        let status = gdc_status(&config, &client, &id).await.unwrap();
        assert_eq!((status.state, status.label.th.as_str()), (state, label), "{code}");
        match state {
            GdcState::UnderApproval => assert!(status.warning.unwrap().th.contains("หลีกเลี่ยงการแก้ไข")),
            GdcState::Registered => {
                assert!(status.warning.unwrap().th.contains("ห้ามเปลี่ยนชื่อ"));
                assert_eq!(
                    status.gdc_url.as_deref(),
                    Some("https://gdcatalog.go.th/dataset/gdpublish-gdc-name")
                );
            }
            _ => assert!(status.warning.is_none(), "{code}"),
        }
    }
    set("").await;
    let private = desk.approved_draft(&lab, "pub-gdc-private", Visibility::Private, &[]);
    let item = desk.outbox.enqueue(&private, &lab.url, &options(&lab)).unwrap();
    let id = package_id(
        &desk
            .outbox
            .run_item(item, &desk.snapshot(&private), &client, None)
            .await
            .unwrap(),
    );
    let status = gdc_status(&config, &client, &id).await.unwrap();
    assert_eq!(
        status.state,
        GdcState::NotHarvested,
        "private without consent is not harvested"
    );
}

#[tokio::test]
async fn published_datasets_are_polled_at_gd_catalog_and_an_unreachable_harvester_only_postpones() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let client = lab.editor();
    let config = GdcConfig {
        harvester_url: lab.url.clone(),
        ..GdcConfig::default()
    };
    let drafts: Vec<String> = ["pub-poll-a", "pub-poll-b"]
        .iter()
        .map(|label| desk.approved_draft(&lab, label, Visibility::Public, &[]))
        .collect();
    let mut ids = Vec::new();
    for draft in &drafts {
        let item = desk.outbox.enqueue(draft, &lab.url, &options(&lab)).unwrap();
        let outcome = desk
            .outbox
            .run_item(item, &desk.snapshot(draft), &client, None)
            .await
            .unwrap();
        ids.push(package_id(&outcome));
    }
    let mut due = desk.outbox.gdc_due(&lab.url, 100).unwrap();
    // Both became due in the same second or so; follow the drafts' order.
    due.sort_by_key(|t| drafts.iter().position(|d| *d == t.draft_id));
    let due_drafts: Vec<&str> = due.iter().map(|t| t.draft_id.as_str()).collect();
    assert_eq!(
        due_drafts,
        [drafts[0].as_str(), drafts[1].as_str()],
        "checked right after publishing"
    );
    let sysadmin = lab.sysadmin();
    let approval = Map::from_iter([
        ("package".to_owned(), json!(ids[1])),
        ("governance_state".to_owned(), json!("APPROVAL")),
    ]);
    sysadmin.post_action("adcemu_gdc_state_set", &approval).await.unwrap();

    // The harvester out of reach: the first check fails, the second is not even tried, both wait.
    let unreachable = GdcConfig {
        harvester_url: format!("http://127.0.0.1:{}", free_port()),
        ..GdcConfig::default()
    };
    let checks = check_gdc(&unreachable, &client, due.clone()).await;
    assert!(
        matches!(checks[0].outcome, GdcOutcome::Failed(ref e) if e.is_retryable()),
        "{checks:?}"
    );
    assert!(matches!(checks[1].outcome, GdcOutcome::NotTried), "{checks:?}");
    assert!(desk.outbox.record_gdc_checks(&checks).unwrap().is_empty());
    assert!(
        desk.outbox.gdc_due(&lab.url, 100).unwrap().is_empty(),
        "postponed, quietly"
    );
    assert!(desk.outbox.gdc_stored(&drafts[0], &lab.url).unwrap().is_none());

    // Reachable: both answers are kept, with the form's warnings, and the next check is scheduled.
    let checks = check_gdc(&config, &client, due).await;
    let stored = desk.outbox.record_gdc_checks(&checks).unwrap();
    let states: Vec<GdcState> = stored.iter().map(|s| s.status.state).collect();
    assert_eq!(states, [GdcState::Wait, GdcState::UnderApproval]);
    assert!(stored[0].status.form_warnings.is_empty());
    assert!(stored[1].status.form_warnings[0].message.th.contains("หลีกเลี่ยงการแก้ไข"));
    let wait = desk.outbox.gdc_next_due_in(&lab.url).unwrap().unwrap();
    assert!(wait > Duration::from_secs(14 * 60), "{wait:?}");
    let kept = desk.outbox.gdc_stored(&drafts[1], &lab.url).unwrap().unwrap();
    assert_eq!(kept.status.state, GdcState::UnderApproval);

    // A new publish asks again at once.
    desk.store
        .set_field(&drafts[0], keys::NOTES, json!("แก้ไขแล้ว"), "tester")
        .unwrap();
    desk.approve(&drafts[0]);
    let item = desk.outbox.enqueue(&drafts[0], &lab.url, &options(&lab)).unwrap();
    desk.outbox
        .run_item(item, &desk.snapshot(&drafts[0]), &client, None)
        .await
        .unwrap();
    let due = desk.outbox.gdc_due(&lab.url, 100).unwrap();
    assert_eq!(
        due.iter().map(|t| t.draft_id.as_str()).collect::<Vec<_>>(),
        [drafts[0].as_str()]
    );
    let cleared = Map::from_iter([
        ("package".to_owned(), json!(ids[1])),
        ("governance_state".to_owned(), json!("")),
    ]);
    sysadmin.post_action("adcemu_gdc_state_set", &cleared).await.unwrap();
}

#[tokio::test]
async fn pulled_datasets_become_drafts_that_publish_back_to_the_same_dataset() {
    let lab = Lab::get();
    let client = lab.editor();
    let mut first = Desk::new();
    let bytes = content(9, 4_000);
    let draft = first.approved_draft(&lab, "pub-pull", Visibility::Public, &[("p.csv", &bytes, false)]);
    let item = first.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();
    let id = package_id(
        &first
            .outbox
            .run_item(item, &first.snapshot(&draft), &client, None)
            .await
            .unwrap(),
    );

    // Another computer pulls the organisation's datasets.
    let mut desk = Desk::new();
    let ids = remote_dataset_ids(&client, &lab.org_id).await.unwrap();
    assert!(ids.contains(&id), "listed through the pages of package_search");
    let remote = remote_dataset(&client, &desk.schema, &id).await.unwrap();
    let schema = desk.schema.clone();
    let drafts = import_remote(
        &mut desk.store,
        &schema,
        &mut desk.outbox,
        &lab.url,
        std::slice::from_ref(&remote),
        "tester",
    )
    .unwrap();
    let pulled = &drafts[0];
    assert_eq!(
        desk.outbox.published_as(pulled, &lab.url).unwrap().map(|(id, _)| id),
        Some(id.clone())
    );
    let local = desk.store.draft(pulled).unwrap();
    assert_eq!(local.metadata[keys::TITLE], json!(remote.title));
    let resources = desk.store.resources(pulled).unwrap();
    assert_eq!(resources.len(), 1);
    let dest = desk.root.join("pulled.csv");
    client
        .download(resources[0].metadata[keys::URL].as_str().unwrap(), &dest, None)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), bytes, "the file downloads on request");

    // Pulling again updates the same draft; publishing it unchanged writes nothing, an edit patches by id.
    let again = import_remote(
        &mut desk.store,
        &schema,
        &mut desk.outbox,
        &lab.url,
        &[remote],
        "tester",
    )
    .unwrap();
    assert_eq!(&again[0], pulled);
    desk.approve(pulled);
    let item = desk.outbox.enqueue(pulled, &lab.url, &options(&lab)).unwrap();
    let outcome = desk
        .outbox
        .run_item(item, &desk.snapshot(pulled), &client, None)
        .await
        .unwrap();
    assert!(actions(&outcome).is_empty(), "{outcome:?}");
    desk.store
        .set_field(pulled, keys::NOTES, json!("แก้ไขหลังดึงข้อมูล"), "tester")
        .unwrap();
    desk.approve(pulled);
    let item = desk.outbox.enqueue(pulled, &lab.url, &options(&lab)).unwrap();
    let outcome = desk
        .outbox
        .run_item(item, &desk.snapshot(pulled), &client, None)
        .await
        .unwrap();
    assert_eq!(actions(&outcome), ["package_patch"]);
    assert_eq!(package_id(&outcome), id);
    assert_eq!(
        client.package_show(&id).await.unwrap()[keys::NOTES],
        json!("แก้ไขหลังดึงข้อมูล")
    );
}

#[tokio::test]
async fn a_dataset_deleted_on_the_adc_is_not_silently_recreated() {
    let lab = Lab::get();
    let mut desk = Desk::new();
    let client = lab.editor();
    let draft = desk.approved_draft(&lab, "pub-deleted", Visibility::Public, &[]);
    let item = desk.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();
    let id = package_id(
        &desk
            .outbox
            .run_item(item, &desk.snapshot(&draft), &client, None)
            .await
            .unwrap(),
    );
    let delete = Map::from_iter([("id".to_owned(), json!(id))]);
    client.post_action("package_delete", &delete).await.unwrap();

    let item = desk.outbox.enqueue(&draft, &lab.url, &options(&lab)).unwrap();
    let outcome = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    assert!(
        matches!(&outcome, RunOutcome::Failed { error, retry_at: None, .. } if error.code == "publish.remote_deleted"),
        "{outcome:?}"
    );
    // The person chooses to publish anew: the ADC keeps the deleted dataset's name, and says so per field.
    desk.outbox.forget_remote(&draft, &lab.url).unwrap();
    desk.outbox.retry(item).unwrap();
    let outcome = desk
        .outbox
        .run_item(item, &desk.snapshot(&draft), &client, None)
        .await
        .unwrap();
    let RunOutcome::Failed { error, .. } = &outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(error.code, "adc.validation");
    assert!(error.message.en.contains(keys::NAME), "{error:?}");
}
