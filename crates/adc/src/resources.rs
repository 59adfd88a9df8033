//! Resource calls: `resource_create` / `resource_patch` with the file streamed from disk as CKAN's multipart
//! `upload` field (never whole in memory) and an upload progress callback, `resource_delete`, `resource_show`, downloading a
//! resource's file (the token goes along only to the ADC's own origin), and any other action by name.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use catalog_schema::record;
use futures_util::StreamExt;
use reqwest::multipart::{Form, Part};
use reqwest::Body;
use serde_json::{Map, Value};
use tokio::io::AsyncWriteExt;
use tokio_util::io::ReaderStream;

use crate::client::AdcClient;
use crate::error::AdcError;

/// Called with (bytes sent so far, total bytes) while a file goes up or comes down. It runs on the
/// transfer's task: keep it quick (e.g. store the numbers or send them on a channel).
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// A file to upload as a resource: where it lies, the name the ADC shows for it, and its size.
#[derive(Debug, Clone)]
pub struct FileUpload<'a> {
    pub path: &'a Path,
    pub file_name: &'a str,
    pub size: u64,
}

/// CKAN's multipart field for the file (`ckan/lib/uploader.py`).
const UPLOAD_FIELD: &str = "upload";
/// A whole upload may take its metadata timeout plus this long per MiB (at least ~128 KiB/s).
const SECONDS_PER_MIB: u64 = 8;
/// Read in chunks of this size from disk.
const CHUNK: usize = 64 * 1024;

impl AdcClient {
    /// `resource_create` in the dataset `package_id`: with `file`, a streamed multipart upload (CKAN then
    /// records the file name as `url`); without, a JSON call (a linked resource, `url` among `fields`).
    /// Returns the stored resource.
    pub async fn resource_create(
        &self,
        package_id: &str,
        fields: &Map<String, Value>,
        file: Option<&FileUpload<'_>>,
        progress: Option<Progress>,
    ) -> Result<Value, AdcError> {
        let mut body = fields.clone();
        body.insert("package_id".to_owned(), Value::String(package_id.to_owned()));
        self.resource_write("resource_create", body, file, progress).await
    }

    /// `resource_patch`: changes the given fields of the resource `id` and, with `file`, replaces its file.
    pub async fn resource_patch(
        &self,
        id: &str,
        fields: &Map<String, Value>,
        file: Option<&FileUpload<'_>>,
        progress: Option<Progress>,
    ) -> Result<Value, AdcError> {
        let mut body = fields.clone();
        body.insert("id".to_owned(), Value::String(id.to_owned()));
        self.resource_write("resource_patch", body, file, progress).await
    }

    /// `resource_delete`: removes the resource `id` from its dataset. A resource already deleted (or never
    /// there) answers [`AdcError::NotFound`].
    pub async fn resource_delete(&self, id: &str) -> Result<(), AdcError> {
        let action = "resource_delete";
        let body = Map::from_iter([("id".to_owned(), Value::String(id.to_owned()))]);
        self.call(action, self.post(action, &body)?).await?;
        Ok(())
    }

    /// `resource_show`: one resource by id (403 for a private resource when the caller may not edit).
    pub async fn resource_show(&self, id: &str) -> Result<Value, AdcError> {
        let action = "resource_show";
        let request = self.http.get(self.action_url(action)?).query(&[("id", id)]);
        Ok(self.call(action, request).await?.result)
    }

    /// Any action by name, POSTed as JSON; its `result`. For the few calls without a typed method (e.g. a
    /// test server's administration actions).
    pub async fn post_action(&self, action: &str, body: &Map<String, Value>) -> Result<Value, AdcError> {
        let request = self.post(action, body)?;
        Ok(self.call(action, request).await?.result)
    }

    /// Downloads `url` (a resource's `url`) to `dest`, streamed. The token is sent only when `url` is on the
    /// ADC's own origin. Returns the number of bytes written.
    pub async fn download(&self, url: &str, dest: &Path, progress: Option<Progress>) -> Result<u64, AdcError> {
        let action = "download";
        let target = url::Url::parse(url).map_err(|e| AdcError::InvalidUrl {
            url: url.to_owned(),
            reason: e.to_string(),
        })?;
        let mut request = self.http.get(target.clone()).timeout(Duration::from_secs(24 * 3600));
        if let Some(token) = self.token.as_ref().filter(|_| target.origin() == self.api.origin()) {
            request = request.header(reqwest::header::AUTHORIZATION, token.header_value()?);
        }
        let response = request.send().await.map_err(|e| self.transport_error(action, &e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(match status.as_u16() {
                403 => AdcError::NotAuthorized {
                    action: action.to_owned(),
                    message: "download refused".to_owned(),
                    token: crate::TokenUse::Unverified,
                },
                404 => AdcError::NotFound {
                    action: action.to_owned(),
                    message: url.to_owned(),
                },
                code if code >= 500 => AdcError::Server {
                    action: action.to_owned(),
                    status: code,
                    kind: None,
                },
                code => AdcError::UnexpectedResponse {
                    action: action.to_owned(),
                    status: code,
                    detail: "the download was refused".to_owned(),
                },
            });
        }
        let total = response.content_length().unwrap_or(0);
        let io = |e: std::io::Error| AdcError::LocalFile {
            path: dest.display().to_string(),
            reason: e.to_string(),
        };
        let mut out = tokio::fs::File::create(dest).await.map_err(io)?;
        let mut stream = response.bytes_stream();
        let mut written = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.transport_error(action, &e))?;
            out.write_all(&chunk).await.map_err(io)?;
            written += chunk.len() as u64;
            if let Some(report) = &progress {
                report(written, total.max(written));
            }
        }
        out.flush().await.map_err(io)?;
        Ok(written)
    }

    async fn resource_write(
        &self,
        action: &str,
        body: Map<String, Value>,
        file: Option<&FileUpload<'_>>,
        progress: Option<Progress>,
    ) -> Result<Value, AdcError> {
        let Some(file) = file else {
            let request = self.post(action, &body)?;
            return Ok(self.call(action, request).await?.result);
        };
        let opened = tokio::fs::File::open(file.path)
            .await
            .map_err(|e| AdcError::LocalFile {
                path: file.path.display().to_string(),
                reason: e.to_string(),
            })?;
        let total = file.size;
        let mut sent = 0u64;
        let stream = ReaderStream::with_capacity(opened, CHUNK).map(move |chunk| {
            if let (Ok(bytes), Some(report)) = (&chunk, &progress) {
                sent += bytes.len() as u64;
                report(sent, total);
            }
            chunk
        });
        let part = Part::stream_with_length(Body::wrap_stream(stream), total)
            .file_name(file.file_name.to_owned())
            .mime_str("application/octet-stream")
            .map_err(|e| AdcError::ClientSetup(e.to_string()))?;
        let mut form = Form::new();
        for (key, value) in body {
            for text in form_texts(value) {
                form = form.text(key.clone(), text);
            }
        }
        form = form.part(UPLOAD_FIELD, part);
        let limit = self.timeouts.request + Duration::from_secs(SECONDS_PER_MIB * (total / (1024 * 1024) + 1));
        let request = self.http.post(self.action_url(action)?).multipart(form).timeout(limit);
        Ok(self.call(action, request).await?.result)
    }
}

/// A JSON value as multipart text fields: a list as one field per item (CKAN reads repeated fields back
/// as a list), `null` as none, booleans as CKAN's `"True"`/`"False"`, objects as JSON text.
fn form_texts(value: Value) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::String(s) => vec![s],
        Value::Bool(b) => vec![record::bool_string(b).to_owned()],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(items) => items.into_iter().flat_map(form_texts).collect(),
        object @ Value::Object(_) => vec![object.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_values_become_multipart_texts() {
        assert_eq!(form_texts(json!(null)), Vec::<String>::new());
        assert_eq!(form_texts(json!("ก")), vec!["ก"]);
        assert_eq!(form_texts(json!(true)), vec!["True"]);
        assert_eq!(form_texts(json!(12)), vec!["12"]);
        assert_eq!(form_texts(json!(["a", "b"])), vec!["a", "b"]);
        assert_eq!(form_texts(json!({"k": 1})), vec![r#"{"k":1}"#]);
    }
}
