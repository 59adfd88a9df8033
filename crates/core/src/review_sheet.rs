//! The printable review sheet a data steward signs off: the dataset's metadata as the form shows it for
//! its data type, its classification with the rule and the law behind it, what the publish gate
//! decided, its files (with checksums), the five steps and the review log. Rendered as an HTML fragment
//! (the window prints it, to paper or PDF) or as a standalone HTML file with its own style.

use std::fmt::Write;

use catalog_error::Bilingual;
use catalog_schema::{keys, Schema, Scope};
use serde_json::Value;

use crate::checklist::Checklist;
use crate::metadata::{form_layout, DraftView};

/// A language of the app: the review sheet's, the interface's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Th,
    En,
}

fn pick(lang: Lang, text: &Bilingual) -> &str {
    match lang {
        Lang::Th => &text.th,
        Lang::En => &text.en,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn words(lang: Lang, th: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Th => th,
        Lang::En => en,
    }
}

/// The sheet as an HTML fragment (a `<article class="review-sheet">`), every value escaped.
pub fn fragment(schema: &Schema, view: &DraftView, checklist: &Checklist, lang: Lang) -> String {
    let w = |th, en| words(lang, th, en);
    let draft = &view.draft;
    let mut html = String::new();
    let _ = write!(
        html,
        "<article class=\"review-sheet\"><h1>{}</h1>",
        escape(w("ใบตรวจทานชุดข้อมูล", "Dataset review sheet"))
    );
    let _ = write!(
        html,
        "<p class=\"sheet-meta\">{}: <strong>{}</strong> · {}: {} · {}: {}</p>",
        escape(
            &schema
                .field(Scope::Dataset, keys::TITLE)
                .map(|f| pick(lang, &f.label).to_owned())
                .unwrap_or_default()
        ),
        escape(&draft.title),
        escape(w("สถานะ", "State")),
        escape(
            &serde_json::to_value(draft.state)
                .map(|v| value_text(&v))
                .unwrap_or_default()
        ),
        escape(w("รหัสฉบับร่าง", "Draft id")),
        escape(&draft.id)
    );
    let _ = write!(
        html,
        "<h2>{}</h2><table class=\"sheet-table\">",
        escape(w("คำอธิบายชุดข้อมูล", "Metadata"))
    );
    for section in form_layout(schema, draft.data_type.as_deref())
        .sections
        .iter()
        .filter(|s| s.scope == Scope::Dataset)
    {
        let _ = write!(
            html,
            "<tr class=\"sheet-section\"><th colspan=\"2\">{}</th></tr>",
            escape(pick(lang, &section.label))
        );
        for field in &section.fields {
            let value = draft.metadata.get(&field.key).map(value_text).unwrap_or_default();
            if field.companion_of.is_some() && value.is_empty() {
                continue;
            }
            let problem = view
                .problems
                .iter()
                .find(|p| p.resource.is_none() && p.field == field.key);
            let _ = write!(
                html,
                "<tr><th>{}</th><td>{}{}</td></tr>",
                escape(pick(lang, &field.label)),
                escape(&value),
                problem
                    .map(|p| format!("<div class=\"sheet-problem\">{}</div>", escape(pick(lang, &p.message))))
                    .unwrap_or_default()
            );
        }
    }
    html.push_str("</table>");

    let _ = write!(html, "<h2>{}</h2>", escape(w("การจัดชั้นข้อมูล", "Classification")));
    if let Some(rule) = &view.classification_rule {
        let _ = write!(
            html,
            "<p><strong>{}</strong> · {}</p><p>{}</p><ul>",
            escape(&rule.category),
            escape(view.classification_level.as_deref().unwrap_or("—")),
            escape(pick(lang, &rule.explain))
        );
        for law in &rule.law {
            let _ = write!(html, "<li>{}</li>", escape(pick(lang, law)));
        }
        html.push_str("</ul>");
    }
    let decision = if view.access.private {
        w("เผยแพร่แบบส่วนตัว", "Published as private")
    } else {
        w("เผยแพร่เป็นสาธารณะได้", "May be published as public")
    };
    let _ = write!(html, "<p class=\"sheet-gate\">{}</p><ul>", escape(decision));
    for reason in &view.access.reasons {
        let _ = write!(html, "<li>{}</li>", escape(pick(lang, reason)));
    }
    html.push_str("</ul>");

    let _ = write!(
        html,
        "<h2>{}</h2><table class=\"sheet-table\"><tr><th>{}</th><th>{}</th><th>SHA-256</th></tr>",
        escape(w("ทรัพยากรข้อมูล", "Resource files")),
        escape(w("ชื่อ", "Name")),
        escape(w("ขนาด (ไบต์)", "Size (bytes)"))
    );
    for resource in &view.resources {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td class=\"sheet-hash\">{}</td></tr>",
            escape(&resource.name),
            resource.size,
            escape(&resource.sha256)
        );
    }
    html.push_str("</table>");

    let _ = write!(
        html,
        "<h2>{}</h2><ol>",
        escape(w("ขั้นตอนการนำเข้า 5 ขั้น", "The five steps"))
    );
    for step in &checklist.steps {
        let mark = if step.done { "✓" } else { "✗" };
        let _ = write!(html, "<li>{mark} {}</li>", escape(pick(lang, &step.title)));
    }
    html.push_str("</ol>");

    let _ = write!(html, "<h2>{}</h2><ol>", escape(w("บันทึกการตรวจทาน", "Review log")));
    for step in &view.review_log {
        let to = step.detail.get("to").map(value_text).unwrap_or_default();
        let note = step.detail.get("note").map(value_text).unwrap_or_default();
        let _ = write!(
            html,
            "<li>{} · {} · {} {}</li>",
            escape(&step.at),
            escape(&step.actor),
            escape(&to),
            escape(&note)
        );
    }
    let _ = write!(
        html,
        "</ol><p class=\"sheet-sign\">{}: ____________________ {}: ____________</p></article>",
        escape(w("ลงชื่อบริกรข้อมูล", "Data steward's signature")),
        escape(w("วันที่", "Date"))
    );
    html
}

const SHEET_STYLE: &str = "body{font-family:Sarabun,'Noto Sans Thai',Tahoma,sans-serif;line-height:1.6;margin:2rem;color:#1d2733}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccd3dc;padding:.3rem .5rem;text-align:left;vertical-align:top}\
.sheet-section th{background:#eef2f7}.sheet-problem{color:#b3261e}.sheet-hash{font-family:monospace;font-size:.8rem}";

/// The sheet as a standalone HTML file.
pub fn document(schema: &Schema, view: &DraftView, checklist: &Checklist, lang: Lang) -> String {
    let html_lang = match lang {
        Lang::Th => "th",
        Lang::En => "en",
    };
    format!(
        "<!doctype html><html lang=\"{html_lang}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{SHEET_STYLE}</style></head><body>{}</body></html>",
        escape(&view.draft.title),
        fragment(schema, view, checklist, lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::{checklist, AccountState};
    use crate::metadata::view;
    use crate::store::Store;

    #[test]
    fn the_sheet_shows_the_metadata_and_escapes_what_people_typed() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let schema = Schema::built_in();
        let draft = store.create_draft("สถิติ <script>alert(1)</script>", "u").unwrap();
        store
            .set_field(&draft.id, "notes", serde_json::json!("คำอธิบาย & ที่มา"), "u")
            .unwrap();
        let v = view(&store, schema, &draft.id).unwrap();
        let c = checklist(&v, &AccountState::default());
        let th = document(schema, &v, &c, Lang::Th);
        assert!(th.contains("ใบตรวจทานชุดข้อมูล") && th.contains("คำอธิบาย &amp; ที่มา"));
        assert!(!th.contains("<script>"), "typed text cannot inject markup");
        assert!(th.contains("&lt;script&gt;"));
        let en = fragment(schema, &v, &c, Lang::En);
        assert!(en.starts_with("<article class=\"review-sheet\"><h1>Dataset review sheet</h1>"));
    }
}
