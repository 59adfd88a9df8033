//! The ADC API token as a secret value: it is never printed (Debug and Display show `***`), never put in an
//! error, and only turned into a header by the client that owns it.

use std::fmt;

use crate::error::AdcError;

/// A CKAN API token (CKAN ≥ 2.9). Sent as `Authorization: <token>` with no "Bearer" prefix, only to the ADC
/// the [`crate::AdcClient`] was built for.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(String);

impl ApiToken {
    /// Takes a token as the person pasted it: surrounding whitespace (a trailing newline) is dropped. A token
    /// that is empty, or holds spaces or control characters, cannot be one CKAN issued and is refused.
    pub fn new(raw: impl AsRef<str>) -> Result<Self, AdcError> {
        let token = raw.as_ref().trim();
        let valid = !token.is_empty() && token.chars().all(|c| c.is_ascii_graphic());
        if valid {
            Ok(Self(token.to_owned()))
        } else {
            Err(AdcError::TokenMalformed)
        }
    }

    /// The secret itself, for building the request header and for the keyring.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The `Authorization` header value, marked sensitive (never logged by the HTTP stack).
    pub(crate) fn header_value(&self) -> Result<reqwest::header::HeaderValue, AdcError> {
        let mut value = reqwest::header::HeaderValue::from_str(&self.0).map_err(|_| AdcError::TokenMalformed)?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiToken(***)")
    }
}

impl fmt::Display for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_never_shows_in_debug_or_display() {
        let token = ApiToken::new("  eyJ.secret-value.sig\n").unwrap();
        assert_eq!(token.expose(), "eyJ.secret-value.sig");
        assert_eq!(format!("{token:?}"), "ApiToken(***)");
        assert_eq!(format!("{token}"), "***");
        assert!(!format!("{:?}", Some(token.clone())).contains("secret"));
    }

    #[test]
    fn a_token_with_spaces_or_nothing_is_refused() {
        for raw in ["", "   ", "abc def", "abc\u{7}", "ทดสอบ"] {
            assert!(matches!(ApiToken::new(raw), Err(AdcError::TokenMalformed)), "{raw:?}");
        }
    }
}
