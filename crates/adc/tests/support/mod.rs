//! Test support for the live-CKAN integration tests: finds the test CKAN through `CATALOG_TEST_CKAN_ENV`
//! (failing loudly when it is missing), reads its env file, makes run-unique names, and generates a full,
//! valid draft of any data type from the schema itself.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use catalog_adc::{AdcClient, ApiToken};
use catalog_schema::{keys, validate, DraftRecord, Field, IntervalRule, Schema, Scope, Severity, Widget};
use serde_json::{json, Map, Value};

/// The variable scripts/test sets (scripts/lib/ckan.sh `ensure_ckan`).
const ENV_VAR: &str = "CATALOG_TEST_CKAN_ENV";

/// The test CKAN's settings, from its env file. Tokens stay in [`ApiToken`]s so they never print.
pub struct TestCkan {
    pub url: String,
    pub org_id: String,
    pub org_name: String,
    pub editor_user: String,
    pub editor_token: ApiToken,
    pub member_token: ApiToken,
    /// Every token of the env file, only to check that none shows in output.
    secrets: Vec<String>,
}

/// The running test CKAN's env file (what `start-ckan` printed), read once.
pub struct LabEnv {
    path: String,
    vars: BTreeMap<String, String>,
}

impl LabEnv {
    /// Panics (the test fails) when `CATALOG_TEST_CKAN_ENV` is unset or unreadable: these tests must
    /// never pass without a server.
    pub fn read() -> LabEnv {
        let path = std::env::var(ENV_VAR).unwrap_or_else(|_| {
            panic!(
                "{ENV_VAR} is not set: these tests need the test CKAN. Run scripts/test (it starts CKAN), or \
                 start it yourself: export {ENV_VAR}=$(bash ../shared/ckan/start-ckan)"
            )
        });
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("{ENV_VAR}={path} cannot be read ({e}): run scripts/test, which starts the test CKAN")
        });
        LabEnv {
            vars: parse_env_file(&text),
            path,
        }
    }

    pub fn var(&self, key: &str) -> String {
        self.vars
            .get(key)
            .cloned()
            .unwrap_or_else(|| panic!("{} has no {key}: is it the env file start-ckan printed?", self.path))
    }

    pub fn token(&self, key: &str) -> ApiToken {
        ApiToken::new(self.var(key)).unwrap_or_else(|_| panic!("{key} in {} is not a token", self.path))
    }

    /// The values of the variables whose names end with one of `suffixes` (tokens, passwords, secrets),
    /// to check that none shows in output.
    pub fn secrets(&self, suffixes: &[&str]) -> Vec<String> {
        self.vars
            .iter()
            .filter(|(k, _)| suffixes.iter().any(|s| k.ends_with(s)))
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl TestCkan {
    /// The running test CKAN (see [`LabEnv::read`]).
    pub fn get() -> TestCkan {
        let env = LabEnv::read();
        TestCkan {
            url: env.var("CKAN_URL"),
            org_id: env.var("CKAN_ORG_ID"),
            org_name: env.var("CKAN_ORG"),
            editor_user: env.var("CKAN_EDITOR_USER"),
            editor_token: env.token("CKAN_EDITOR_TOKEN"),
            member_token: env.token("CKAN_MEMBER_TOKEN"),
            secrets: env.secrets(&["_TOKEN"]),
        }
    }

    /// Fails if `text` (an error's Debug/Display or user message) contains any token of the test CKAN.
    pub fn assert_no_secret(&self, text: &str) {
        assert!(
            !self.secrets.iter().any(|s| text.contains(s.as_str())),
            "an API token appears in output"
        );
    }

    pub fn client(&self, token: Option<&ApiToken>) -> AdcClient {
        AdcClient::new(&self.url, token.cloned()).expect("the test CKAN URL is valid")
    }

    pub fn editor(&self) -> AdcClient {
        self.client(Some(&self.editor_token))
    }
}

/// Classifies a record as data the schema allows to be public (a public category, a level that may be
/// disclosed, the category's access condition), asks for it to be public and consents to GD Catalog.
#[allow(dead_code, reason = "the app and CLI tests that include this module use it; the ADC client's do not")]
pub fn set_public(schema: &Schema, metadata: &mut Map<String, Value>) {
    let rules = schema.classification();
    let rule = rules
        .rules
        .iter()
        .find(|r| r.access == catalog_schema::Access::Public)
        .expect("a public classification rule");
    let level = rule
        .levels
        .iter()
        .find(|l| rules.public_levels.contains(l))
        .expect("a public level");
    metadata.insert(keys::DATA_CATEGORY.to_owned(), json!(rule.category));
    metadata.insert(keys::DATA_CLASSIFICATION.to_owned(), json!(level));
    match &rule.accessible_condition {
        Some(condition) => metadata.insert(keys::ACCESSIBLE_CONDITION.to_owned(), json!(condition)),
        None => metadata.remove(keys::ACCESSIBLE_CONDITION),
    };
    metadata.insert(keys::PRIVATE.to_owned(), json!(catalog_schema::record::FALSE));
    metadata.insert(keys::ALLOW_HARVEST.to_owned(), json!(catalog_schema::record::TRUE));
}

/// `KEY=VALUE` lines, optionally prefixed by `export` and with the value in single or double quotes;
/// blank lines and `#` comments are skipped.
pub fn parse_env_file(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|line| {
            let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
            let (key, value) = line.split_once('=')?;
            let value = value.trim();
            let unquoted = ['"', '\'']
                .iter()
                .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
                .unwrap_or(value);
            Some((key.trim().to_owned(), unquoted.to_owned()))
        })
        .collect()
}

/// A suffix no other test or run uses (time, process, counter): `k3x9…-12-0`.
pub fn unique(label: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{label}-{nanos:x}-{}-{n}", std::process::id())
}

/// Per-field index into the field's choices; raised for a field the schema's validation complains about.
type ChoiceOffsets = BTreeMap<String, usize>;

/// A value valid for `field`: the choice at `offset` (skipping the "other" values) for selects, two choices
/// for multi-selects, an ISO date, an e-mail, a URL … `None` for the update interval, which depends on the
/// chosen unit.
fn value_for(field: &Field, offset: usize, ids: &RunIds) -> Option<Value> {
    let plain: Vec<&str> = field
        .choices
        .iter()
        .map(|c| c.value.as_str())
        .filter(|v| !field.other_values.iter().any(|o| o == v))
        .collect();
    if field.key == keys::UPDATE_FREQUENCY_INTERVAL {
        return None;
    }
    if field.key == keys::TITLE {
        return Some(json!(ids.title));
    }
    if field.companion_of.is_some() {
        return Some(json!(format!("รายละเอียดเพิ่มเติม ({})", field.key)));
    }
    Some(match field.widget {
        Widget::Slug => json!(ids.name),
        Widget::Organization => json!(ids.org_id),
        Widget::Tags => json!(["สถิติ", "ทดสอบ ระบบ"]),
        Widget::Date => json!("2024-06-14"),
        Widget::Email => json!("stat@agency.go.th"),
        Widget::Url | Widget::Upload => json!("https://data.agency.go.th/files/population.csv"),
        Widget::MultiSelect => {
            let start = offset.min(plain.len().saturating_sub(2));
            json!(plain.iter().skip(start).take(2).collect::<Vec<_>>())
        }
        Widget::Select | Widget::YesNo => json!(plain[offset % plain.len()]),
        Widget::Text | Widget::Markdown => json!(format!("ค่าทดสอบ {} / test value", field.key)),
    })
}

/// Names that make a record unique to this run.
pub struct RunIds {
    pub name: String,
    pub title: String,
    pub org_id: String,
}

fn fill(schema: &Schema, scope: Scope, data_type: &str, offsets: &ChoiceOffsets, ids: &RunIds) -> Map<String, Value> {
    schema
        .fields_for(scope, data_type)
        .filter_map(|f| {
            let offset = offsets.get(&f.key).copied().unwrap_or(0);
            value_for(f, offset, ids).map(|v| (f.key.clone(), v))
        })
        .collect()
}

fn build(schema: &Schema, data_type: &str, offsets: &ChoiceOffsets, ids: &RunIds) -> DraftRecord {
    let mut metadata = fill(schema, Scope::Dataset, data_type, offsets, ids);
    metadata.insert(keys::DATA_TYPE.to_owned(), json!(data_type));
    let unit_rule = schema
        .field(Scope::Dataset, keys::UPDATE_FREQUENCY_UNIT)
        .zip(metadata.get(keys::UPDATE_FREQUENCY_UNIT).and_then(Value::as_str))
        .and_then(|(field, unit)| field.choice(unit))
        .map(|choice| choice.interval);
    if matches!(unit_rule, Some(IntervalRule::Required | IntervalRule::Optional)) {
        metadata.insert(keys::UPDATE_FREQUENCY_INTERVAL.to_owned(), json!("1"));
    }
    let resource = fill(schema, Scope::Resource, data_type, offsets, ids);
    DraftRecord {
        metadata,
        resources: vec![resource],
    }
}

/// Every dataset and resource field the data type shows, filled with valid values, with one resource. The
/// first choice is used unless the schema's own validation objects to it (e.g. a public dataset must consent
/// to GD Catalog), then the next one. The result has no validation error and no problem on a choice field.
pub fn full_record(schema: &Schema, data_type: &str, ids: &RunIds) -> DraftRecord {
    let mut offsets = ChoiceOffsets::new();
    for _ in 0..5 {
        let record = build(schema, data_type, &offsets, ids);
        let problems = validate(schema, &record, &[] as &[&str]);
        let on_choice_fields: Vec<&String> = problems
            .iter()
            .filter(|p| {
                let scope = if p.resource.is_some() {
                    Scope::Resource
                } else {
                    Scope::Dataset
                };
                schema.field(scope, &p.field).is_some_and(|f| !f.choices.is_empty())
            })
            .map(|p| &p.field)
            .collect();
        if on_choice_fields.is_empty() {
            let errors: Vec<_> = problems.iter().filter(|p| p.severity == Severity::Error).collect();
            assert!(
                errors.is_empty(),
                "the generated {data_type} record is invalid: {errors:#?}"
            );
            return record;
        }
        for field in on_choice_fields {
            *offsets.entry(field.clone()).or_default() += 1;
        }
    }
    panic!("no valid choice combination for {data_type} within 5 tries");
}

#[test]
fn env_files_with_export_and_quotes_are_read() {
    let vars = parse_env_file(
        "# comment\nexport CKAN_URL=\"http://127.0.0.1:5000\"\n\nCKAN_ORG='ci-org'\nCKAN_ORG_ID=abc=def\n",
    );
    assert_eq!(vars["CKAN_URL"], "http://127.0.0.1:5000");
    assert_eq!(vars["CKAN_ORG"], "ci-org");
    assert_eq!(vars["CKAN_ORG_ID"], "abc=def");
    assert_eq!(vars.len(), 3);
}
