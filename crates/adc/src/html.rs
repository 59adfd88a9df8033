//! Just enough HTML reading for the web sign-in: the forms of a page with their inputs (name, type,
//! value) and `<meta name content>` values. Field names are read from the page, never assumed.

/// One `<input>` of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Input {
    pub name: String,
    /// Lower-case `type`, `text` when absent.
    pub kind: String,
    pub value: String,
}

impl Input {
    /// A field the person types into (not hidden, not a box or a button).
    pub fn is_typed(&self) -> bool {
        matches!(self.kind.as_str(), "text" | "email" | "number" | "tel")
    }
}

/// One `<form>` of a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HtmlForm {
    /// The `action` attribute as written (`""` or absent: the page's own address).
    pub action: Option<String>,
    pub inputs: Vec<Input>,
}

impl HtmlForm {
    pub fn password_field(&self) -> Option<&Input> {
        self.inputs.iter().find(|i| i.kind == "password")
    }

    pub fn typed_fields(&self) -> impl Iterator<Item = &Input> {
        self.inputs.iter().filter(|i| i.is_typed())
    }

    /// The hidden inputs with their values (CSRF tokens and the like), sent back unchanged.
    pub fn hidden(&self) -> impl Iterator<Item = (&str, &str)> {
        self.inputs
            .iter()
            .filter(|i| i.kind == "hidden")
            .map(|i| (i.name.as_str(), i.value.as_str()))
    }
}

/// A start tag: its lower-case name and attributes (names lower-case, values with entities decoded).
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Every form of the page, with the inputs between its start and end tags.
pub(crate) fn forms(html: &str) -> Vec<HtmlForm> {
    let mut out = Vec::new();
    let mut current: Option<HtmlForm> = None;
    for tag in tags(html) {
        match tag.name.as_str() {
            "form" => {
                out.extend(current.take());
                current = Some(HtmlForm {
                    action: tag.attr("action").map(str::to_owned),
                    inputs: Vec::new(),
                });
            }
            "/form" => out.extend(current.take()),
            "input" => {
                if let (Some(form), Some(name)) = (current.as_mut(), tag.attr("name")) {
                    form.inputs.push(Input {
                        name: name.to_owned(),
                        kind: tag.attr("type").unwrap_or("text").to_ascii_lowercase(),
                        value: tag.attr("value").unwrap_or_default().to_owned(),
                    });
                }
            }
            _ => {}
        }
    }
    out.extend(current);
    out
}

/// The `content` of `<meta name="{name}" content="…">`.
pub(crate) fn meta(html: &str, name: &str) -> Option<String> {
    tags(html)
        .filter(|t| t.name == "meta" && t.attr("name") == Some(name))
        .find_map(|t| t.attr("content").map(str::to_owned))
}

fn tags(html: &str) -> impl Iterator<Item = Tag> + '_ {
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let start = rest.find('<')?;
        rest = &rest[start + 1..];
        if rest.starts_with("!--") {
            rest = rest.find("-->").map_or("", |end| &rest[end + 3..]);
            continue;
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/' && !rest.starts_with('/'))
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        rest = &rest[name_len..];
        let (attrs, after) = attributes(rest);
        rest = after;
        if !name.is_empty() {
            return Some(Tag { name, attrs });
        }
    })
}

/// Attributes up to the tag's `>`, and what follows it.
fn attributes(mut rest: &str) -> (Vec<(String, String)>, &str) {
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return (attrs, rest);
        }
        if let Some(after) = rest.strip_prefix('>') {
            return (attrs, after);
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(rest.len())
            .max(1);
        let name = rest[..name_len].to_ascii_lowercase();
        rest = rest[name_len..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = decode_entities(raw);
            rest = remaining;
        }
        attrs.push((name, value));
    }
}

fn decode_entities(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|s| *s <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOGIN: &str = r#"<html><head><meta name="csrf_field_name" content="_csrf_token" />
<meta name="_csrf_token" content="Im9rIg.a&amp;b" /></head><body>
<!-- <form action="/fake"><input name="ghost"></form> -->
<form id="search" action="/dataset"><input type="text" name="q" value=""></form>
<form action="" method="post">
  <input type="hidden" name="_csrf_token" value='tok&#x27;en'/>
  <input id=field-login type=text name=login value="">
  <input type="PASSWORD" name="password">
  <input type="checkbox" name="remember" value="63072000" checked>
  <button class="btn" type="submit">Login</button>
</form></body></html>"#;

    #[test]
    fn forms_and_their_inputs_are_read_from_the_page() {
        let forms = forms(LOGIN);
        assert_eq!(forms.len(), 2, "{forms:?}");
        let login = &forms[1];
        assert_eq!(login.action.as_deref(), Some(""));
        assert_eq!(login.password_field().unwrap().name, "password");
        assert_eq!(
            login.typed_fields().map(|i| i.name.as_str()).collect::<Vec<_>>(),
            ["login"]
        );
        assert_eq!(login.hidden().collect::<Vec<_>>(), [("_csrf_token", "tok'en")]);
        assert!(forms[0].password_field().is_none());
    }

    #[test]
    fn meta_values_are_decoded() {
        assert_eq!(meta(LOGIN, "csrf_field_name").as_deref(), Some("_csrf_token"));
        assert_eq!(meta(LOGIN, "_csrf_token").as_deref(), Some("Im9rIg.a&b"));
        assert_eq!(meta(LOGIN, "missing"), None);
        assert_eq!(decode_entities("a &unknown; &#3585; &"), "a &unknown; ก &");
    }
}
