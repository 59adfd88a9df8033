//! [`AdcClient`]: the HTTP client for one ADC's action API (`<base>/api/3/action/<name>`). It owns the
//! transport rules (TLS with the ring provider and the OS trust store, connect and overall timeouts, the
//! token sent only to the ADC's own origin, redirects elsewhere refused), CKAN's `{success, result, error}`
//! envelope and the mapping of its error shapes to [`AdcError`], and the calls the app needs.

use std::sync::Arc;
use std::time::Duration;

use catalog_schema::keys;
use reqwest::header::{AUTHORIZATION, LOCATION};
use reqwest::redirect::Policy;
use reqwest::{RequestBuilder, StatusCode};
use rustls_platform_verifier::BuilderVerifierExt;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use url::Url;

use crate::error::{AdcError, FieldError, TokenUse};
use crate::token::ApiToken;
use crate::types::{AdcStatus, Organization, PackagePage, TokenStatus};

/// How long the client waits. The overall limit covers the whole call, body included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub request: Duration,
}

impl Default for Timeouts {
    /// 10 s to connect, 60 s for a whole metadata call (uploads, later, need their own limit).
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(60),
        }
    }
}

/// Same-origin redirects followed at most (e.g. a trailing-slash redirect).
const MAX_REDIRECTS: usize = 5;
/// CKAN's API path below the site root.
const API_PATH: &str = "api/3/action/";
/// The permission that makes an organisation a place the account can publish to (editor or admin).
const CREATE_DATASET: &str = "create_dataset";
/// ckanext-scheming's dataset type that thai_gdc defines.
const DATASET_TYPE: &str = "dataset";
/// CKAN's validation message when an upload exceeds `ckan.max_resource_size` (never translated by CKAN).
const UPLOAD_TOO_LARGE: &str = "File upload too large";
/// CKAN's error `__type` values (ckan/views/api.py).
const VALIDATION_ERROR: &str = "Validation Error";
const AUTHORIZATION_ERROR: &str = "Authorization Error";
const NOT_FOUND_ERROR: &str = "Not Found Error";

/// A successful call: the envelope's `result`, and the body exactly as received.
pub(crate) struct Reply {
    pub(crate) result: Value,
    body: String,
}

/// A client for one ADC, with an optional API token that it sends to that ADC only.
#[derive(Debug, Clone)]
pub struct AdcClient {
    pub(crate) api: Url,
    pub(crate) host: String,
    pub(crate) token: Option<ApiToken>,
    pub(crate) http: reqwest::Client,
    pub(crate) timeouts: Timeouts,
}

impl AdcClient {
    /// A client for the ADC at `base_url` (the site root, e.g. `https://catalog.agency.go.th` or
    /// `https://host/ckan`; a pasted `…/api/3/action` is accepted too), with the default [`Timeouts`].
    pub fn new(base_url: &str, token: Option<ApiToken>) -> Result<Self, AdcError> {
        Self::with_timeouts(base_url, token, Timeouts::default())
    }

    /// As [`AdcClient::new`] with explicit timeouts.
    pub fn with_timeouts(base_url: &str, token: Option<ApiToken>, timeouts: Timeouts) -> Result<Self, AdcError> {
        let api = api_root(base_url)?;
        let host = api.host_str().unwrap_or_default().to_owned();
        let http = http_builder(timeouts)?
            .redirect(same_origin_redirects())
            .build()
            .map_err(|e| AdcError::ClientSetup(e.to_string()))?;
        Ok(Self {
            api,
            host,
            token,
            http,
            timeouts,
        })
    }

    /// The action API root this client calls (`…/api/3/action/`).
    pub fn api_url(&self) -> &Url {
        &self.api
    }

    /// The site root, normalised (no trailing slash, no API path): how the app names this ADC.
    pub fn site_url(&self) -> String {
        self.api
            .as_str()
            .trim_end_matches(API_PATH)
            .trim_end_matches('/')
            .to_owned()
    }

    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// `status_show`: the CKAN version and, on a thai_gdc site, its version and catalog type.
    pub async fn status_show(&self) -> Result<AdcStatus, AdcError> {
        let action = "status_show";
        let reply = self.call(action, self.get(action, &[])?).await?;
        typed(action, reply.result)
    }

    /// `scheming_dataset_schema_show?type=dataset`: the response body as received (the API envelope), for
    /// `catalog_schema::Schema::from_server_json`.
    pub async fn scheming_dataset_schema_show(&self) -> Result<String, AdcError> {
        let action = "scheming_dataset_schema_show";
        let request = self.get(action, &[("type", DATASET_TYPE)])?;
        Ok(self.call(action, request).await?.body)
    }

    /// Signing in: checks that the token works ([`AdcError::TokenInvalid`] when it does not) and returns
    /// the organisations its account may publish to.
    pub async fn verified_organizations(&self) -> Result<Vec<Organization>, AdcError> {
        if !matches!(self.token_status().await?, TokenStatus::Valid { .. }) {
            return Err(AdcError::TokenInvalid {
                action: "token_status".into(),
            });
        }
        self.organization_list_for_user().await
    }

    /// `organization_list_for_user?permission=create_dataset`: the organisations the token's account may
    /// publish to. Anonymous calls get an empty list from CKAN, so without a token this is an error, and an
    /// empty answer is double-checked: an invalid token gives [`AdcError::TokenInvalid`].
    pub async fn organization_list_for_user(&self) -> Result<Vec<Organization>, AdcError> {
        let action = "organization_list_for_user";
        if self.token.is_none() {
            return Err(AdcError::NotAuthorized {
                action: action.to_owned(),
                message: "no API token".to_owned(),
                token: TokenUse::Missing,
            });
        }
        let request = self.get(action, &[("permission", CREATE_DATASET)])?;
        let orgs: Vec<Organization> = typed(action, self.call(action, request).await?.result)?;
        if orgs.is_empty() && self.token_status().await? == TokenStatus::Invalid {
            return Err(AdcError::TokenInvalid {
                action: action.to_owned(),
            });
        }
        Ok(orgs)
    }

    /// `package_show`: the package JSON of the dataset with this id or name.
    pub async fn package_show(&self, id_or_name: &str) -> Result<Value, AdcError> {
        let action = "package_show";
        let request = self.get(action, &[("id", id_or_name)])?;
        Ok(self.call(action, request).await?.result)
    }

    /// `package_create`: creates a dataset from package JSON (`catalog_schema::to_package`) and returns the
    /// stored package.
    pub async fn package_create(&self, package: &Map<String, Value>) -> Result<Value, AdcError> {
        let action = "package_create";
        let request = self.post(action, package)?;
        Ok(self.call(action, request).await?.result)
    }

    /// `package_patch`: changes only the keys given (a `resources` key replaces every resource) of the
    /// dataset with this id or name, and returns the stored package.
    pub async fn package_patch(&self, id_or_name: &str, changes: &Map<String, Value>) -> Result<Value, AdcError> {
        let action = "package_patch";
        let mut body = changes.clone();
        body.insert("id".to_owned(), Value::String(id_or_name.to_owned()));
        let request = self.post(action, &body)?;
        Ok(self.call(action, request).await?.result)
    }

    /// `package_search` for one page of an organisation's datasets (`owner_org` is the organisation's id),
    /// private ones included when the token's account may see them, in a stable order (by name). CKAN caps
    /// `rows` (1000 by default); page on with `start += rows` until `start >= count`.
    pub async fn package_search_by_org(&self, owner_org: &str, start: u64, rows: u64) -> Result<PackagePage, AdcError> {
        let action = "package_search";
        let fq = format!("owner_org:\"{}\"", owner_org.replace('"', ""));
        let (start, rows) = (start.to_string(), rows.to_string());
        let query = [
            ("fq", fq.as_str()),
            ("include_private", "true"),
            ("sort", "name asc"),
            ("start", start.as_str()),
            ("rows", rows.as_str()),
        ];
        let request = self.get(action, &query)?;
        typed(action, self.call(action, request).await?.result)
    }

    /// Datasets on the ADC whose title is exactly `title` (the ADC refuses a second dataset with the same
    /// title), private ones included when the token's account may see them.
    pub async fn datasets_titled(&self, title: &str) -> Result<Vec<Value>, AdcError> {
        let action = "package_search";
        let wanted = title.trim();
        let fq = format!("title:\"{}\"", wanted.replace(['"', '\\'], " "));
        let query = [("fq", fq.as_str()), ("include_private", "true"), ("rows", "50")];
        let page: PackagePage = typed(action, self.call(action, self.get(action, &query)?).await?.result)?;
        let same_title = |p: &Value| p.get(keys::TITLE).and_then(Value::as_str).map(str::trim) == Some(wanted);
        Ok(page.results.into_iter().filter(same_title).collect())
    }

    /// What the ADC makes of this client's token. CKAN treats an unknown, expired or revoked token as an
    /// anonymous call (never as an error), so this asks two cheap questions that need a signed-in account:
    /// `user_show` without an id (CKAN ≥ 2.10 answers with the caller's account, 404/403 when anonymous),
    /// then, if that does not answer, `dashboard_new_activities_count` (CKAN 2.9, or the activity plugin:
    /// 403 "You must be logged in" when anonymous). If that action is unknown (HTTP 400), the server is
    /// CKAN ≥ 2.10 without the activity plugin, where `user_show` would have answered a valid token: the
    /// token is invalid. Other answers are errors.
    pub async fn token_status(&self) -> Result<TokenStatus, AdcError> {
        if self.token.is_none() {
            return Ok(TokenStatus::Missing);
        }
        let action = "user_show";
        match self.send(action, self.get(action, &[])?).await {
            Ok(reply) => {
                let user = reply.result.get("name").and_then(Value::as_str);
                return Ok(TokenStatus::Valid {
                    user: user.map(str::to_owned),
                });
            }
            Err(AdcError::NotFound { .. } | AdcError::NotAuthorized { .. }) => {}
            Err(other) => return Err(other),
        }
        let action = "dashboard_new_activities_count";
        match self.send(action, self.get(action, &[])?).await {
            Ok(_) => Ok(TokenStatus::Valid { user: None }),
            Err(AdcError::NotAuthorized { .. } | AdcError::Refused { status: 400, .. }) => Ok(TokenStatus::Invalid),
            Err(other) => Err(other),
        }
    }

    pub(crate) fn action_url(&self, action: &str) -> Result<Url, AdcError> {
        self.api.join(action).map_err(|e| AdcError::InvalidUrl {
            url: self.api.to_string(),
            reason: e.to_string(),
        })
    }

    fn get(&self, action: &str, query: &[(&str, &str)]) -> Result<RequestBuilder, AdcError> {
        Ok(self.http.get(self.action_url(action)?).query(query))
    }

    pub(crate) fn post(&self, action: &str, body: &Map<String, Value>) -> Result<RequestBuilder, AdcError> {
        Ok(self.http.post(self.action_url(action)?).json(body))
    }

    /// [`Self::send`], then a 403 sent with a token is explained: the account lacks the permission, or the
    /// token is not valid (CKAN then answers as to an anonymous caller).
    pub(crate) async fn call(&self, action: &str, request: RequestBuilder) -> Result<Reply, AdcError> {
        match self.send(action, request).await {
            Err(AdcError::NotAuthorized {
                action,
                message,
                token: TokenUse::Unverified,
            }) => Err(match self.token_status().await {
                Ok(TokenStatus::Invalid) => AdcError::TokenInvalid { action },
                Ok(TokenStatus::Valid { .. }) => AdcError::NotAuthorized {
                    action,
                    message,
                    token: TokenUse::Valid,
                },
                Ok(TokenStatus::Missing) | Err(_) => AdcError::NotAuthorized {
                    action,
                    message,
                    token: TokenUse::Unverified,
                },
            }),
            other => other,
        }
    }

    /// One HTTP exchange: adds the token, maps transport failures, and reads CKAN's envelope.
    async fn send(&self, action: &str, request: RequestBuilder) -> Result<Reply, AdcError> {
        let request = match &self.token {
            Some(token) => request.header(AUTHORIZATION, token.header_value()?),
            None => request,
        };
        let response = request.send().await.map_err(|e| self.transport_error(action, &e))?;
        let status = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .map(str::to_owned);
        let body = response.text().await.map_err(|e| self.transport_error(action, &e))?;
        let token = if self.token.is_some() {
            TokenUse::Unverified
        } else {
            TokenUse::Missing
        };
        interpret(action, status, location, body, token)
    }

    pub(crate) fn transport_error(&self, action: &str, error: &reqwest::Error) -> AdcError {
        let (action, host) = (action.to_owned(), self.host.clone());
        if error.is_timeout() {
            AdcError::Timeout { action, host }
        } else if error.is_connect() {
            AdcError::Offline { action, host }
        } else {
            AdcError::ConnectionLost { action, host }
        }
    }
}

/// The transport every HTTP client of this crate shares: TLS with the ring provider and the OS trust
/// store, the timeouts, the user agent. Callers add their redirect policy (and cookies, for the web
/// sign-in).
pub(crate) fn http_builder(timeouts: Timeouts) -> Result<reqwest::ClientBuilder, AdcError> {
    let setup = |e: &dyn std::fmt::Display| AdcError::ClientSetup(e.to_string());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| setup(&e))?
        .with_platform_verifier()
        .map_err(|e| setup(&e))?
        .with_no_client_auth();
    Ok(reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .user_agent(concat!("CatalogDesk/", env!("CARGO_PKG_VERSION"))))
}

/// `<base>/api/3/action/` from what the person typed as the ADC address.
fn api_root(base_url: &str) -> Result<Url, AdcError> {
    let invalid = |reason: &str| AdcError::InvalidUrl {
        url: base_url.to_owned(),
        reason: reason.to_owned(),
    };
    let mut url = Url::parse(base_url.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the address must start with https:// or http://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("the address has no host name"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("the address must not contain a user name or password"));
    }
    url.set_query(None);
    url.set_fragment(None);
    let path = url.path().trim_end_matches('/');
    let root = path.strip_suffix("/api/3/action").unwrap_or(path).to_owned();
    url.set_path(&format!("{root}/{API_PATH}"));
    Ok(url)
}

/// Follows a redirect only within the ADC's own origin (scheme, host and port), so the token never goes
/// elsewhere and never drops from https to http; any other redirect comes back as a 3xx answer.
fn same_origin_redirects() -> Policy {
    Policy::custom(|attempt| {
        let follow = attempt.previous().len() <= MAX_REDIRECTS
            && attempt
                .previous()
                .first()
                .is_some_and(|first| first.origin() == attempt.url().origin());
        if follow {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// CKAN's answer as a result or a typed error.
pub(crate) fn interpret(
    action: &str,
    status: StatusCode,
    location: Option<String>,
    body: String,
    token: TokenUse,
) -> Result<Reply, AdcError> {
    let action = action.to_owned();
    let code = status.as_u16();
    if status.is_redirection() {
        return Err(AdcError::Redirected {
            action,
            location: location.unwrap_or_default(),
        });
    }
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return Err(AdcError::TooLarge { action });
    }
    let envelope = match serde_json::from_str::<Value>(&body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    };
    let error = envelope
        .as_ref()
        .and_then(|e| e.get("error"))
        .and_then(Value::as_object)
        .cloned();
    let kind = error
        .as_ref()
        .and_then(|e| e.get("__type"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    if status.is_server_error() {
        return Err(AdcError::Server {
            action,
            status: code,
            kind,
        });
    }
    let Some(mut envelope) = envelope else {
        return Err(AdcError::UnexpectedResponse {
            action,
            status: code,
            detail: "the answer is not a JSON object".to_owned(),
        });
    };
    if status.is_success() && envelope.get("success") == Some(&Value::Bool(true)) {
        let result = envelope.remove("result").unwrap_or(Value::Null);
        return Ok(Reply { result, body });
    }
    let Some(error) = error else {
        return Err(AdcError::UnexpectedResponse {
            action,
            status: code,
            detail: "no success flag and no error object".to_owned(),
        });
    };
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Err(match kind.as_deref() {
        Some(VALIDATION_ERROR) => {
            let errors = field_errors(&error);
            let too_large = errors
                .iter()
                .any(|e| e.messages.iter().any(|m| m.contains(UPLOAD_TOO_LARGE)));
            if too_large {
                AdcError::TooLarge { action }
            } else {
                AdcError::Validation { action, errors }
            }
        }
        Some(AUTHORIZATION_ERROR) => AdcError::NotAuthorized { action, message, token },
        Some(NOT_FOUND_ERROR) => AdcError::NotFound { action, message },
        other => AdcError::Refused {
            action,
            status: code,
            kind: other.unwrap_or("error").to_owned(),
            message,
        },
    })
}

/// The per-field messages of a validation error; `resources` holds one object per resource (empty for
/// the resources without errors).
fn field_errors(error: &Map<String, Value>) -> Vec<FieldError> {
    let mut out = Vec::new();
    for (key, value) in error.iter().filter(|(k, _)| *k != "__type") {
        match value {
            Value::Array(items) if key == "resources" && items.iter().all(Value::is_object) => {
                for (i, item) in items.iter().enumerate() {
                    for (field, messages) in item.as_object().into_iter().flatten() {
                        out.push(FieldError {
                            field: field.clone(),
                            resource: Some(i),
                            messages: texts(messages),
                        });
                    }
                }
            }
            _ => out.push(FieldError {
                field: key.clone(),
                resource: None,
                messages: texts(value),
            }),
        }
    }
    out
}

/// Every string inside a message value (a list, a string, or nested lists and objects).
fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(texts).collect(),
        Value::Object(map) => map.values().flat_map(texts).collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn typed<T: DeserializeOwned>(action: &str, result: Value) -> Result<T, AdcError> {
    serde_json::from_value(result).map_err(|e| AdcError::UnexpectedResponse {
        action: action.to_owned(),
        status: StatusCode::OK.as_u16(),
        detail: format!("the result does not have the expected shape: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(status: u16, body: Value) -> Result<Reply, AdcError> {
        interpret(
            "package_create",
            StatusCode::from_u16(status).unwrap(),
            None,
            body.to_string(),
            TokenUse::Unverified,
        )
    }

    #[test]
    fn the_api_root_is_derived_from_what_was_typed() {
        let root = |s: &str| api_root(s).map(|u| u.to_string());
        let expected = "https://catalog.agency.go.th/api/3/action/";
        assert_eq!(root("https://catalog.agency.go.th").unwrap(), expected);
        assert_eq!(root(" https://catalog.agency.go.th/ ").unwrap(), expected);
        assert_eq!(
            root("https://catalog.agency.go.th/api/3/action/?x=1#f").unwrap(),
            expected
        );
        assert_eq!(
            root("http://127.0.0.1:5000/ckan").unwrap(),
            "http://127.0.0.1:5000/ckan/api/3/action/"
        );
        for bad in [
            "catalog.agency.go.th",
            "ftp://catalog.agency.go.th",
            "https://u:p@host.go.th",
            "",
        ] {
            assert!(matches!(api_root(bad), Err(AdcError::InvalidUrl { .. })), "{bad}");
        }
    }

    #[test]
    fn validation_errors_become_field_errors_including_resources() {
        let err = run(
            409,
            json!({"success": false, "error": {"__type": "Validation Error",
                "title": ["That title is already in use."],
                "resources": [{}, {"url": ["Missing value"]}],
                "tags": [{}, {"name": ["Tag \"x\" length is less than minimum 2"]}]}}),
        )
        .err()
        .unwrap();
        let errors = err.field_errors();
        assert_eq!(errors.len(), 3);
        assert!(errors.contains(&FieldError {
            field: "url".into(),
            resource: Some(1),
            messages: vec!["Missing value".into()]
        }));
        assert!(errors.contains(&FieldError {
            field: "title".into(),
            resource: None,
            messages: vec!["That title is already in use.".into()]
        }));
        assert_eq!(errors.iter().find(|e| e.field == "tags").unwrap().messages.len(), 1);
    }

    #[test]
    fn upload_too_large_whether_from_ckan_or_a_proxy() {
        let ckan = run(
            409,
            json!({"success": false, "error": {"__type": "Validation Error", "upload": ["File upload too large"]}}),
        );
        assert!(matches!(ckan, Err(AdcError::TooLarge { .. })));
        let proxy = interpret(
            "resource_create",
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
            "<html>413 Request Entity Too Large</html>".into(),
            TokenUse::Missing,
        );
        assert!(matches!(proxy, Err(AdcError::TooLarge { .. })));
    }

    #[test]
    fn error_types_map_to_variants() {
        let auth = run(
            403,
            json!({"success": false, "error": {"__type": "Authorization Error", "message": "Access denied"}}),
        );
        assert!(matches!(
            auth,
            Err(AdcError::NotAuthorized {
                token: TokenUse::Unverified,
                ..
            })
        ));
        let missing = run(
            404,
            json!({"success": false, "error": {"__type": "Not Found Error", "message": "Not found"}}),
        );
        assert!(matches!(missing, Err(AdcError::NotFound { .. })));
        let server = run(
            500,
            json!({"success": false, "error": {"__type": "Search Index Error"}}),
        )
        .err()
        .unwrap();
        assert!(server.is_retryable());
        assert!(matches!(server, AdcError::Server { status: 500, kind: Some(ref k), .. } if k == "Search Index Error"));
        let gateway = interpret(
            "status_show",
            StatusCode::BAD_GATEWAY,
            None,
            "<html>".into(),
            TokenUse::Missing,
        );
        assert!(gateway.err().unwrap().is_retryable());
        let bad = run(
            400,
            json!({"success": false, "error": {"__type": "Integrity Error", "message": "m"}}),
        );
        assert!(matches!(bad, Err(AdcError::Refused { status: 400, .. })));
        let html = interpret(
            "status_show",
            StatusCode::OK,
            None,
            "<html>login</html>".into(),
            TokenUse::Missing,
        );
        assert!(matches!(html, Err(AdcError::UnexpectedResponse { status: 200, .. })));
        let moved = interpret(
            "status_show",
            StatusCode::FOUND,
            Some("https://elsewhere.example/".into()),
            String::new(),
            TokenUse::Unverified,
        );
        assert!(
            matches!(moved, Err(AdcError::Redirected { ref location, .. }) if location == "https://elsewhere.example/")
        );
    }

    #[test]
    fn a_success_envelope_yields_its_result_and_the_body() {
        let reply = run(200, json!({"help": "h", "success": true, "result": {"a": 1}}))
            .ok()
            .unwrap();
        assert_eq!(reply.result, json!({"a": 1}));
        assert!(reply.body.contains("\"help\""));
    }

    #[test]
    fn the_client_debug_output_hides_the_token() {
        let token = ApiToken::new("very-secret-token").unwrap();
        let client = AdcClient::new("https://catalog.agency.go.th", Some(token)).unwrap();
        assert!(!format!("{client:?}").contains("very-secret-token"));
        assert!(client.has_token());
    }
}
