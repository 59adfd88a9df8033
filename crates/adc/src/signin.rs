//! Signing in through the ADC's own web login (user name, password, then the 6-digit authenticator code
//! of ckanext-thaigdc2fa) to create an API token named after this computer. The forms' field names are
//! read from the pages; anything that does not look as expected ends in [`AdcError::SignInUnsupported`],
//! whose message tells the person to paste a token instead. The password is only sent in the login form
//! and is never kept.

use std::fmt;

use reqwest::header::{HeaderValue, LOCATION};
use reqwest::redirect::Policy;
use reqwest::{Response, StatusCode};
use serde_json::{Map, Value};
use url::Url;

use crate::client::{http_builder, interpret, AdcClient};
use crate::error::{AdcError, TokenUse};
use crate::html::{self, HtmlForm};
use crate::token::ApiToken;
use crate::types::TokenStatus;

/// The login page below the site root (CKAN 2.9–2.11).
const LOGIN_PATH: &str = "user/login";
/// How CKAN ≥ 2.10 names its CSRF token on every page, and the name used when that meta tag is missing.
const CSRF_FIELD_META: &str = "csrf_field_name";
const DEFAULT_CSRF_FIELD: &str = "_csrf_token";
/// The header that carries the CSRF token on POST API calls made with the session cookie.
const CSRF_HEADER: &str = "X-CSRFToken";
/// Same-origin redirects followed between two form posts at most.
const MAX_HOPS: usize = 5;

/// What the person typed to sign in. The password never shows in Debug output.
pub struct SignIn<'a> {
    /// User name or e-mail; the token is created for this account.
    pub login: &'a str,
    pub password: &'a str,
    /// The authenticator's 6-digit code, if the ADC asks for one.
    pub code: Option<&'a str>,
    /// The token's name on the ADC (e.g. "Catalog Desk on <computer>").
    pub token_name: &'a str,
}

impl fmt::Debug for SignIn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignIn")
            .field("login", &self.login)
            .field("password", &"***")
            .field("code", &self.code.map(|_| "***"))
            .field("token_name", &self.token_name)
            .finish()
    }
}

/// One page as the browser would see it.
struct Page {
    url: Url,
    status: StatusCode,
    body: String,
}

impl AdcClient {
    /// Signs in through the web login of the ADC at `base_url` and creates an API token there, checked
    /// with [`AdcClient::token_status`] before it is returned. Wrong password: [`AdcError::SignInRejected`];
    /// wrong or missing code: [`AdcError::SignInCodeRejected`] / [`AdcError::SignInCodeNeeded`]; a page of
    /// another shape: [`AdcError::SignInUnsupported`] (paste a token instead).
    pub async fn sign_in(base_url: &str, request: &SignIn<'_>) -> Result<ApiToken, AdcError> {
        let api_client = AdcClient::new(base_url, None)?;
        let site = Url::parse(&format!("{}/", api_client.site_url())).map_err(|e| AdcError::InvalidUrl {
            url: base_url.to_owned(),
            reason: e.to_string(),
        })?;
        let web = Browser::new(site, &api_client)?;
        let login_url = web.join(LOGIN_PATH)?;
        let login_page = web.get(login_url).await?;
        let unsupported = |step: &str| AdcError::SignInUnsupported { step: step.to_owned() };
        if login_page.status != StatusCode::OK {
            return Err(unsupported("login page"));
        }
        let form = html::forms(&login_page.body)
            .into_iter()
            .find(|f| f.password_field().is_some())
            .ok_or_else(|| unsupported("login form"))?;
        let user_field = form.typed_fields().next().ok_or_else(|| unsupported("login form"))?;
        let mut fields: Vec<(String, String)> = hidden_fields(&form);
        fields.push((user_field.name.clone(), request.login.to_owned()));
        let password_field = form.password_field().ok_or_else(|| unsupported("login form"))?;
        fields.push((password_field.name.clone(), request.password.to_owned()));
        let after_login = web.submit(&login_page.url, &form, &fields).await?;
        if after_login.status != StatusCode::OK {
            return Err(unsupported("after login"));
        }
        let forms = html::forms(&after_login.body);
        if forms.iter().any(|f| f.password_field().is_some()) {
            return Err(AdcError::SignInRejected);
        }
        let code_form = forms
            .iter()
            .find(|f| f.typed_fields().count() == 1 && f.hidden().next().is_some() && !is_search(f));
        let signed_in = match code_form {
            None => after_login,
            Some(form) => {
                let code = request.code.ok_or(AdcError::SignInCodeNeeded)?;
                let code_field = form.typed_fields().next().ok_or_else(|| unsupported("code form"))?;
                let mut fields = hidden_fields(form);
                fields.push((code_field.name.clone(), code.trim().to_owned()));
                let page = web.submit(&after_login.url, form, &fields).await?;
                let forms = html::forms(&page.body);
                if forms.iter().any(|f| f.password_field().is_some()) {
                    return Err(AdcError::SignInCodeRejected);
                }
                if page.url == after_login.url
                    || forms.iter().any(|f| f.inputs.iter().any(|i| i.name == code_field.name))
                {
                    return Err(AdcError::SignInCodeRejected);
                }
                page
            }
        };
        let csrf_name = html::meta(&signed_in.body, CSRF_FIELD_META).unwrap_or_else(|| DEFAULT_CSRF_FIELD.to_owned());
        let csrf = html::meta(&signed_in.body, &csrf_name).ok_or_else(|| unsupported("signed-in page"))?;
        let token = web.create_token(&api_client, request, &csrf).await?;
        let checked = AdcClient::new(base_url, Some(token.clone()))?;
        match checked.token_status().await? {
            TokenStatus::Valid { .. } => Ok(token),
            TokenStatus::Invalid | TokenStatus::Missing => Err(unsupported("new token")),
        }
    }
}

/// The site search box: a form with a single typed field that is not the code form.
fn is_search(form: &HtmlForm) -> bool {
    form.typed_fields().any(|i| i.name == "q")
}

fn hidden_fields(form: &HtmlForm) -> Vec<(String, String)> {
    form.hidden().map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

/// A cookie-keeping HTTP client that follows redirects itself, within the ADC's origin only.
struct Browser {
    site: Url,
    http: reqwest::Client,
}

impl Browser {
    fn new(site: Url, api: &AdcClient) -> Result<Self, AdcError> {
        let http = http_builder(api.timeouts)?
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .map_err(|e| AdcError::ClientSetup(e.to_string()))?;
        Ok(Self { site, http })
    }

    fn join(&self, path: &str) -> Result<Url, AdcError> {
        self.site.join(path).map_err(|e| AdcError::InvalidUrl {
            url: self.site.to_string(),
            reason: e.to_string(),
        })
    }

    fn transport(&self, e: &reqwest::Error) -> AdcError {
        let (action, host) = (
            "sign_in".to_owned(),
            self.site.host_str().unwrap_or_default().to_owned(),
        );
        if e.is_timeout() {
            AdcError::Timeout { action, host }
        } else if e.is_connect() {
            AdcError::Offline { action, host }
        } else {
            AdcError::ConnectionLost { action, host }
        }
    }

    async fn get(&self, url: Url) -> Result<Page, AdcError> {
        let response = self
            .http
            .get(url.clone())
            .send()
            .await
            .map_err(|e| self.transport(&e))?;
        self.follow(url, response).await
    }

    /// Posts the form (form-urlencoded) to its action, then follows the redirects.
    async fn submit(&self, page: &Url, form: &HtmlForm, fields: &[(String, String)]) -> Result<Page, AdcError> {
        let action = match form.action.as_deref().filter(|a| !a.is_empty()) {
            Some(action) => page.join(action).map_err(|_| AdcError::SignInUnsupported {
                step: "form address".to_owned(),
            })?,
            None => page.clone(),
        };
        self.check_origin(&action)?;
        let response = self
            .http
            .post(action.clone())
            .form(fields)
            .send()
            .await
            .map_err(|e| self.transport(&e))?;
        self.follow(action, response).await
    }

    async fn follow(&self, mut url: Url, mut response: Response) -> Result<Page, AdcError> {
        for _ in 0..MAX_HOPS {
            if !response.status().is_redirection() {
                let status = response.status();
                let body = response.text().await.map_err(|e| self.transport(&e))?;
                return Ok(Page { url, status, body });
            }
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|l| l.to_str().ok())
                .ok_or_else(|| AdcError::SignInUnsupported {
                    step: "redirect".to_owned(),
                })?;
            url = url.join(location).map_err(|_| AdcError::SignInUnsupported {
                step: "redirect".to_owned(),
            })?;
            self.check_origin(&url)?;
            response = self
                .http
                .get(url.clone())
                .send()
                .await
                .map_err(|e| self.transport(&e))?;
        }
        Err(AdcError::SignInUnsupported {
            step: "too many redirects".to_owned(),
        })
    }

    /// The password and cookies go to the ADC's own origin only.
    fn check_origin(&self, url: &Url) -> Result<(), AdcError> {
        if url.origin() == self.site.origin() {
            Ok(())
        } else {
            Err(AdcError::Redirected {
                action: "sign_in".to_owned(),
                location: url.to_string(),
            })
        }
    }

    /// `api_token_create` with the session cookie and the CSRF header.
    async fn create_token(&self, api: &AdcClient, request: &SignIn<'_>, csrf: &str) -> Result<ApiToken, AdcError> {
        let action = "api_token_create";
        let body = Map::from_iter([
            ("user".to_owned(), Value::String(request.login.to_owned())),
            ("name".to_owned(), Value::String(request.token_name.to_owned())),
        ]);
        let mut header = HeaderValue::from_str(csrf).map_err(|_| AdcError::SignInUnsupported {
            step: "CSRF token".to_owned(),
        })?;
        header.set_sensitive(true);
        let response = self
            .http
            .post(api.action_url(action)?)
            .header(CSRF_HEADER, header)
            .json(&body)
            .send()
            .await
            .map_err(|e| self.transport(&e))?;
        let status = response.status();
        let body = response.text().await.map_err(|e| self.transport(&e))?;
        let reply = interpret(action, status, None, body, TokenUse::Missing).map_err(|e| match e {
            AdcError::NotAuthorized { .. } | AdcError::Refused { .. } | AdcError::UnexpectedResponse { .. } => {
                AdcError::SignInUnsupported {
                    step: action.to_owned(),
                }
            }
            other => other,
        })?;
        let token = reply.result.get("token").and_then(Value::as_str).unwrap_or_default();
        ApiToken::new(token).map_err(|_| AdcError::SignInUnsupported {
            step: action.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_and_code_never_show_in_debug() {
        let request = SignIn {
            login: "editor",
            password: "hunter2-secret",
            code: Some("123456"),
            token_name: "Catalog Desk",
        };
        let text = format!("{request:?}");
        assert!(!text.contains("hunter2") && !text.contains("123456"), "{text}");
    }
}
