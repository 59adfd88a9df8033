//! The command line, parsed by hand (a dozen subcommands with a few flags each need no parser crate),
//! and the help for each subcommand.

use std::path::PathBuf;

use catalog_core::data_dir;

/// Each subcommand: its name, its usage line and what it does.
const COMMANDS: &[(&str, &str, &str)] = &[
    (
        "import",
        "import FILE [--apply] [--report OUT.csv|OUT.xlsx]",
        "Reads an NSO or Catalog Desk template: a dry run (JSON plan) unless --apply; --report saves the plan's report.",
    ),
    (
        "export",
        "export --format ours|nso [--nso-version VERSION] OUT",
        "Writes every draft into our template or the NSO's.",
    ),
    ("template", "template OUT", "Writes an empty template of ours."),
    (
        "attach-folder",
        "attach-folder DIR [--apply]",
        "Matches the folder's files to drafts (by name); attaches them with --apply.",
    ),
    (
        "analyse",
        "analyse",
        "Checks every file that has not been checked yet (personal data, layout, column profile), as the window does in the background.",
    ),
    (
        "validate",
        "validate",
        "Checks every draft against the schema in use (the ADC's cached one, as in the window); exit 1 when any has errors.",
    ),
    (
        "sign-in",
        "sign-in --adc URL [--user NAME [--code 123456]]",
        "Fetches the ADC's form and signs in: with an API token read from standard input, or, with --user, the password read from standard input and the authenticator code. The token is kept in the OS keyring only.",
    ),
    ("sign-out", "sign-out", "Forgets the token of the ADC in use."),
    (
        "status",
        "status",
        "The ADC account, the publish queue and the GD Catalog states last seen.",
    ),
    (
        "publish",
        "publish [--dry-run] [--withhold-files] (DRAFT... | --approved)",
        "Publishes approved drafts (by id or URL name) to the ADC in use through the outbox; --dry-run lists the calls without making them. Interrupted, it resumes at the next run without duplicates.",
    ),
    (
        "pull",
        "pull ORG",
        "Brings the organisation's datasets on the ADC into local drafts.",
    ),
];

const EVERY_COMMAND_TAKES: &str = "Every command takes --data-dir DIR (else CATALOG_DESK_DATA_DIR, else the app's folder), prints JSON on stdout, and exits 0 when all is well, 1 when the result holds errors, 2 when the command failed (its message, in Thai and English, as JSON on stderr).";

/// The usage of every subcommand.
pub fn usage() -> String {
    let lines: Vec<String> = COMMANDS
        .iter()
        .map(|(_, line, _)| format!("  catalog-desk-cli {line} [--data-dir DIR]"))
        .collect();
    format!(
        "usage:\n{}\n  catalog-desk-cli COMMAND --help\n\n{EVERY_COMMAND_TAKES}",
        lines.join("\n")
    )
}

/// The help of one subcommand.
fn help_of(command: &str) -> Option<String> {
    let (_, line, what) = COMMANDS.iter().find(|(name, _, _)| *name == command)?;
    Some(format!(
        "usage: catalog-desk-cli {line} [--data-dir DIR]\n\n{what}\n\n{EVERY_COMMAND_TAKES}"
    ))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Ours,
    Nso,
}

/// Which drafts to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drafts {
    Named(Vec<String>),
    Approved,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Import {
        file: PathBuf,
        apply: bool,
        report: Option<PathBuf>,
    },
    Export {
        format: Format,
        nso_version: Option<String>,
        out: PathBuf,
    },
    Template {
        out: PathBuf,
    },
    AttachFolder {
        folder: PathBuf,
        apply: bool,
    },
    Analyse,
    Validate,
    SignIn {
        adc: String,
        user: Option<String>,
        code: Option<String>,
    },
    SignOut,
    Status,
    Publish {
        drafts: Drafts,
        dry_run: bool,
        withhold_files: bool,
    },
    Pull {
        organization: String,
    },
}

/// What the command line asks for: a command to run, or help to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Run { command: Command, data_dir: PathBuf },
    Help(String),
}

#[derive(Default)]
struct Flags {
    apply: bool,
    dry_run: bool,
    withhold_files: bool,
    approved: bool,
    help: bool,
    report: Option<PathBuf>,
    format: Option<Format>,
    nso_version: Option<String>,
    adc: Option<String>,
    user: Option<String>,
    code: Option<String>,
}

/// Parses the arguments after the program name; the error is the usage text with what was wrong.
pub fn parse(argv: &[String]) -> Result<Parsed, String> {
    let fail = |what: &str| format!("{what}\n{}", usage());
    let data_dir = data_dir::resolve(data_dir::flag_from_args(argv.iter().cloned()));
    let mut positional = Vec::new();
    let mut flags = Flags::default();
    let mut rest = argv.iter();
    while let Some(arg) = rest.next() {
        let mut value = |name: &str| {
            rest.next()
                .cloned()
                .ok_or_else(|| fail(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--help" | "-h" => flags.help = true,
            "--apply" => flags.apply = true,
            "--dry-run" => flags.dry_run = true,
            "--withhold-files" => flags.withhold_files = true,
            "--approved" => flags.approved = true,
            "--data-dir" => {
                value("--data-dir")?;
            }
            "--report" => flags.report = Some(PathBuf::from(value("--report")?)),
            "--nso-version" => flags.nso_version = Some(value("--nso-version")?),
            "--adc" => flags.adc = Some(value("--adc")?),
            "--user" => flags.user = Some(value("--user")?),
            "--code" => flags.code = Some(value("--code")?),
            "--format" => {
                flags.format = Some(match value("--format")?.as_str() {
                    "ours" => Format::Ours,
                    "nso" => Format::Nso,
                    other => return Err(fail(&format!("unknown format {other}"))),
                })
            }
            flag if flag.starts_with("--data-dir=") => {}
            flag if flag.starts_with("--") => return Err(fail(&format!("unknown option {flag}"))),
            other => positional.push(other.to_owned()),
        }
    }
    let mut positional = positional.into_iter();
    let name = positional.next();
    if flags.help || name.as_deref() == Some("help") {
        let topic = match name.as_deref() {
            Some("help") => positional.next(),
            other => other.map(str::to_owned),
        };
        return Ok(Parsed::Help(topic.and_then(|t| help_of(&t)).unwrap_or_else(usage)));
    }
    let mut next = |what: &str| positional.next().ok_or_else(|| fail(what));
    let command = match name.as_deref() {
        Some("import") => Command::Import {
            file: PathBuf::from(next("import needs a FILE")?),
            apply: flags.apply,
            report: flags.report,
        },
        Some("export") => Command::Export {
            format: flags.format.ok_or_else(|| fail("export needs --format ours|nso"))?,
            nso_version: flags.nso_version,
            out: PathBuf::from(next("export needs OUT")?),
        },
        Some("template") => Command::Template {
            out: PathBuf::from(next("template needs OUT")?),
        },
        Some("attach-folder") => Command::AttachFolder {
            folder: PathBuf::from(next("attach-folder needs DIR")?),
            apply: flags.apply,
        },
        Some("analyse") => Command::Analyse,
        Some("validate") => Command::Validate,
        Some("sign-in") => Command::SignIn {
            adc: flags.adc.ok_or_else(|| fail("sign-in needs --adc URL"))?,
            code: flags.code,
            user: flags.user,
        },
        Some("sign-out") => Command::SignOut,
        Some("status") => Command::Status,
        Some("publish") => {
            let named: Vec<String> = positional.by_ref().collect();
            let drafts = match (flags.approved, named.is_empty()) {
                (true, true) => Drafts::Approved,
                (false, false) => Drafts::Named(named),
                (true, false) => return Err(fail("publish takes DRAFT… or --approved, not both")),
                (false, true) => return Err(fail("publish needs DRAFT… or --approved")),
            };
            Command::Publish {
                drafts,
                dry_run: flags.dry_run,
                withhold_files: flags.withhold_files,
            }
        }
        Some("pull") => Command::Pull {
            organization: next("pull needs ORG")?,
        },
        Some(other) => return Err(fail(&format!("unknown command {other}"))),
        None => return Err(fail("no command")),
    };
    if let Some(extra) = positional.next() {
        return Err(fail(&format!("unexpected argument {extra}")));
    }
    Ok(Parsed::Run { command, data_dir })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    fn command(s: &str) -> Command {
        match parse(&args(s)).unwrap() {
            Parsed::Run { command, .. } => command,
            Parsed::Help(text) => panic!("{s} is not help: {text}"),
        }
    }

    #[test]
    fn parses_each_command() {
        let Parsed::Run {
            command: import,
            data_dir,
        } = parse(&args("import a.xlsx --apply --data-dir /d")).unwrap()
        else {
            panic!("a command")
        };
        assert_eq!(data_dir, PathBuf::from("/d"));
        assert_eq!(
            import,
            Command::Import {
                file: "a.xlsx".into(),
                apply: true,
                report: None
            }
        );
        assert!(matches!(
            command("export --format nso out.xlsx --data-dir=/e"),
            Command::Export {
                format: Format::Nso,
                ..
            }
        ));
        assert_eq!(command("validate"), Command::Validate);
        assert_eq!(command("analyse"), Command::Analyse);
        assert_eq!(
            command("attach-folder files --apply"),
            Command::AttachFolder {
                folder: "files".into(),
                apply: true
            }
        );
        assert_eq!(
            command("sign-in --adc http://adc --user somchai --code 123456"),
            Command::SignIn {
                adc: "http://adc".into(),
                user: Some("somchai".into()),
                code: Some("123456".into())
            }
        );
        assert_eq!(
            command("publish --dry-run a b"),
            Command::Publish {
                drafts: Drafts::Named(vec!["a".into(), "b".into()]),
                dry_run: true,
                withhold_files: false
            }
        );
        assert_eq!(
            command("publish --approved"),
            Command::Publish {
                drafts: Drafts::Approved,
                dry_run: false,
                withhold_files: false
            }
        );
        assert_eq!(
            command("pull ci-org"),
            Command::Pull {
                organization: "ci-org".into()
            }
        );
    }

    #[test]
    fn help_is_given_for_the_whole_tool_and_for_each_command() {
        let Parsed::Help(all) = parse(&args("--help")).unwrap() else {
            panic!()
        };
        for (name, _, _) in COMMANDS {
            assert!(all.contains(&format!("catalog-desk-cli {name}")), "{name} in {all}");
        }
        let Parsed::Help(publish) = parse(&args("publish --help")).unwrap() else {
            panic!()
        };
        assert!(publish.starts_with("usage: catalog-desk-cli publish"), "{publish}");
        assert_eq!(parse(&args("help publish")).unwrap(), Parsed::Help(publish));
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        assert!(parse(&args("")).is_err());
        assert!(parse(&args("import")).is_err());
        assert!(parse(&args("export out.xlsx")).is_err());
        assert!(parse(&args("export --format pdf out.xlsx")).is_err());
        assert!(parse(&args("validate --force")).is_err());
        assert!(parse(&args("validate extra")).is_err());
        assert!(parse(&args("publish")).is_err());
        assert!(parse(&args("publish a --approved")).is_err());
        assert!(parse(&args("sign-in")).is_err());
    }
}
