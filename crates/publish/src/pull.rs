//! Pull: the organisation's existing ADC datasets brought into local drafts. The datasets are listed with
//! paged `package_search` by `owner_org`, then read whole with `package_show` (search leaves private
//! resources out). Each becomes a draft (or updates the draft it was pulled into or published from
//! before) whose resources are links to the ADC's files (download one with
//! [`catalog_adc::AdcClient::download`] on request); the remote ids are kept in the outbox, so a later
//! publish updates the same dataset, and a publish right after a pull writes only what the gate or the
//! person changed.

use catalog_adc::AdcClient;
use catalog_core::Store;
use catalog_schema::{from_package, keys, DraftRecord, Schema};
use serde::Serialize;
use serde_json::Value;

use crate::error::PublishError;
use crate::outbox::{Outbox, RemotePackage, RemoteResource};
use crate::publish::{hash_of, DraftSnapshot};

/// `package_search` page size.
const PAGE: u64 = 100;

/// One dataset as the ADC has it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemoteDataset {
    pub package_id: String,
    pub name: String,
    pub title: String,
    pub metadata_modified: Option<String>,
    /// The dataset as a local record; its resources in the ADC's order.
    pub record: DraftRecord,
    /// The ADC's resource ids, in the same order as `record.resources`.
    pub resource_ids: Vec<String>,
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Every dataset of the organisation `owner_org` (its id) that the client's account can see.
pub async fn remote_datasets(
    client: &AdcClient,
    schema: &Schema,
    owner_org: &str,
) -> Result<Vec<RemoteDataset>, PublishError> {
    let mut out = Vec::new();
    for id in remote_dataset_ids(client, owner_org).await? {
        out.push(remote_dataset(client, schema, &id).await?);
    }
    Ok(out)
}

/// The ids of the organisation's datasets, page by page of `package_search` (for a list to choose from).
pub async fn remote_dataset_ids(client: &AdcClient, owner_org: &str) -> Result<Vec<String>, PublishError> {
    let mut ids = Vec::new();
    let mut start = 0;
    loop {
        let page = client.package_search_by_org(owner_org, start, PAGE).await?;
        ids.extend(page.results.iter().filter_map(|p| text(p, "id")));
        start += PAGE;
        if start >= page.count || page.results.is_empty() {
            return Ok(ids);
        }
    }
}

/// One dataset, read whole with `package_show`.
pub async fn remote_dataset(client: &AdcClient, schema: &Schema, id: &str) -> Result<RemoteDataset, PublishError> {
    let package = client.package_show(id).await?;
    let mut imported = from_package(schema, &package).map_err(|e| {
        PublishError::Adc(catalog_adc::AdcError::UnexpectedResponse {
            action: "package_show".to_owned(),
            status: 200,
            detail: e.to_string(),
        })
    })?;
    let resource_ids = package
        .get(keys::package::RESOURCES)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| text(r, "id"))
        .collect();
    let name = text(&package, keys::NAME).unwrap_or_default();
    // CKAN allows a dataset without a title (its pages show the URL name instead); a draft needs one.
    let title = text(&package, keys::TITLE)
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| name.clone());
    imported
        .record
        .metadata
        .insert(keys::TITLE.to_owned(), Value::String(title.clone()));
    Ok(RemoteDataset {
        package_id: text(&package, "id").unwrap_or_else(|| id.to_owned()),
        name,
        title,
        metadata_modified: text(&package, "metadata_modified"),
        record: imported.record,
        resource_ids,
    })
}

/// Writes the datasets into local drafts in one transaction of the draft store (new drafts with link
/// resources; a dataset pulled or published before updates its draft's metadata) and records the remote
/// ids in the outbox. Returns the draft ids in the order of `datasets`.
pub fn import_remote(
    store: &mut Store,
    schema: &Schema,
    outbox: &mut Outbox,
    site: &str,
    datasets: &[RemoteDataset],
    actor: &str,
) -> Result<Vec<String>, PublishError> {
    let mut items = Vec::with_capacity(datasets.len());
    for dataset in datasets {
        let existing = outbox.draft_of_package(site, &dataset.package_id)?;
        let item = match existing {
            Some(draft_id) => (
                Some(draft_id),
                DraftRecord {
                    metadata: dataset.record.metadata.clone(),
                    resources: Vec::new(),
                },
                Vec::new(),
            ),
            None => (None, dataset.record.clone(), vec![None; dataset.record.resources.len()]),
        };
        items.push(item);
    }
    let draft_ids = store.apply_import(&items, actor)?;
    for ((draft_id, dataset), (existing, _, _)) in draft_ids.iter().zip(datasets).zip(&items) {
        let snapshot = DraftSnapshot::load(store, schema, draft_id)?;
        let package = RemotePackage {
            package_id: dataset.package_id.clone(),
            name: dataset.name.clone(),
            metadata_modified: dataset.metadata_modified.clone(),
            package_hash: Some(hash_of(&Value::Object(snapshot.final_package(None)))),
        };
        outbox.set_remote_package(draft_id, site, &package)?;
        if existing.is_none() {
            for (file, remote_id) in snapshot.files.iter().zip(&dataset.resource_ids) {
                let resource = RemoteResource {
                    local_id: file.local_id.clone(),
                    remote_id: remote_id.clone(),
                    sha256: file.sha256.clone(),
                    fields_hash: hash_of(&Value::Object(file.fields.clone())),
                };
                outbox.set_remote_resource(draft_id, site, &resource)?;
            }
        }
    }
    Ok(draft_ids)
}
