//! `catalog-desk-cli`: Catalog Desk without a window, on the same core as the app, for scripts and
//! tests. Subcommands: `import FILE [--apply] [--report OUT.csv|OUT.xlsx]` (a dry run unless `--apply`),
//! `export --format ours|nso [--nso-version V] OUT`, `template OUT` (an empty template of our own),
//! `attach-folder DIR [--apply]` (files matched to drafts, attached as resources) and `validate`. Every
//! command takes `--data-dir DIR` (else `CATALOG_DESK_DATA_DIR`, else the app's folder), prints its
//! result as JSON on stdout, and exits 0 when all is well, 1 when the result holds errors, 2 when the
//! command itself failed (the bilingual message is printed as JSON on stderr).

mod args;
mod commands;

use std::process::ExitCode;

use catalog_error::ToUserMessage;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args::parse(&argv) {
        Ok(parsed) => parsed,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    match commands::run(parsed) {
        Ok(has_errors) => ExitCode::from(u8::from(has_errors)),
        Err(err) => {
            let message = err.to_user_message();
            eprintln!("{}", serde_json::to_string_pretty(&message).unwrap_or_default());
            ExitCode::from(2)
        }
    }
}
