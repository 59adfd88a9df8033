//! `catalog-desk-cli`: Catalog Desk without a window, on the same application core as the window
//! (`catalog-app`), for scripts and tests: import, export, attach a folder, analyse files, validate,
//! sign in, status, publish (through the same outbox and gate), pull. `catalog-desk-cli --help` lists
//! the commands, `catalog-desk-cli COMMAND --help` explains one. Every command takes `--data-dir DIR`
//! (else `CATALOG_DESK_DATA_DIR`, else the app's folder), prints its result as JSON on stdout, and exits
//! 0 when all is well, 1 when the result holds errors, 2 when the command itself failed (the bilingual
//! message is printed as JSON on stderr).

mod args;
mod commands;

use std::process::ExitCode;
use std::sync::Arc;

use catalog_app::events::FolderProgress;
use catalog_app::{Desk, DeskEvent, Events};

/// Progress goes to stderr, so stdout stays one JSON document.
struct ProgressOnStderr;

impl Events for ProgressOnStderr {
    fn emit(&self, event: DeskEvent) {
        match event {
            DeskEvent::FolderProgress(FolderProgress { done, total }) => eprintln!("{done}/{total}"),
            DeskEvent::PublishProgress(step) => eprintln!("{} {}", step.action, step.target),
            _ => {}
        }
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (command, data_dir) = match args::parse(&argv) {
        Ok(args::Parsed::Run { command, data_dir }) => (command, data_dir),
        Ok(args::Parsed::Help(text)) => {
            println!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let outcome = runtime.block_on(async {
        let desk = Desk::open(&data_dir, Arc::new(ProgressOnStderr));
        if let Some(error) = desk.startup_error() {
            return Err(catalog_app::Failure(error));
        }
        commands::run(&desk, command).await
    });
    match outcome {
        Ok(has_errors) => ExitCode::from(u8::from(has_errors)),
        Err(failure) => {
            eprintln!("{}", serde_json::to_string_pretty(&failure).unwrap_or_default());
            ExitCode::from(2)
        }
    }
}
