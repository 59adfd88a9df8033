//! The command line, parsed by hand (four subcommands and a few flags need no parser crate).

use std::path::PathBuf;

use catalog_core::data_dir;

pub const USAGE: &str = "usage:
  catalog-desk-cli import FILE [--apply] [--report OUT.csv|OUT.xlsx] [--data-dir DIR]
  catalog-desk-cli export --format ours|nso [--nso-version VERSION] OUT [--data-dir DIR]
  catalog-desk-cli template OUT
  catalog-desk-cli attach-folder DIR [--apply] [--data-dir DIR]
  catalog-desk-cli validate [--data-dir DIR]";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Ours,
    Nso,
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
    Validate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub command: Command,
    pub data_dir: PathBuf,
}

/// Parses the arguments after the program name; the error is the usage text with what was wrong.
pub fn parse(argv: &[String]) -> Result<Parsed, String> {
    let fail = |what: &str| format!("{what}\n{USAGE}");
    let data_dir = data_dir::resolve(data_dir::flag_from_args(argv.iter().cloned()));
    let mut positional = Vec::new();
    let mut apply = false;
    let mut report = None;
    let mut format = None;
    let mut nso_version = None;
    let mut rest = argv.iter();
    while let Some(arg) = rest.next() {
        let mut value = |name: &str| {
            rest.next()
                .cloned()
                .ok_or_else(|| fail(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--apply" => apply = true,
            "--data-dir" => {
                value("--data-dir")?;
            }
            "--report" => report = Some(PathBuf::from(value("--report")?)),
            "--nso-version" => nso_version = Some(value("--nso-version")?),
            "--format" => {
                format = Some(match value("--format")?.as_str() {
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
    let command = match positional.next().as_deref() {
        Some("import") => Command::Import {
            file: PathBuf::from(positional.next().ok_or_else(|| fail("import needs a FILE"))?),
            apply,
            report,
        },
        Some("export") => Command::Export {
            format: format.ok_or_else(|| fail("export needs --format ours|nso"))?,
            nso_version,
            out: PathBuf::from(positional.next().ok_or_else(|| fail("export needs OUT"))?),
        },
        Some("template") => Command::Template {
            out: PathBuf::from(positional.next().ok_or_else(|| fail("template needs OUT"))?),
        },
        Some("attach-folder") => Command::AttachFolder {
            folder: PathBuf::from(positional.next().ok_or_else(|| fail("attach-folder needs DIR"))?),
            apply,
        },
        Some("validate") => Command::Validate,
        Some(other) => return Err(fail(&format!("unknown command {other}"))),
        None => return Err(fail("no command")),
    };
    if let Some(extra) = positional.next() {
        return Err(fail(&format!("unexpected argument {extra}")));
    }
    Ok(Parsed { command, data_dir })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_each_command() {
        let p = parse(&args("import a.xlsx --apply --data-dir /d")).unwrap();
        assert_eq!(p.data_dir, PathBuf::from("/d"));
        assert_eq!(
            p.command,
            Command::Import {
                file: "a.xlsx".into(),
                apply: true,
                report: None
            }
        );
        let p = parse(&args("export --format nso out.xlsx --data-dir=/e")).unwrap();
        assert_eq!(p.data_dir, PathBuf::from("/e"));
        assert!(matches!(
            p.command,
            Command::Export {
                format: Format::Nso,
                ..
            }
        ));
        assert_eq!(parse(&args("validate")).unwrap().command, Command::Validate);
        assert_eq!(
            parse(&args("attach-folder files --apply")).unwrap().command,
            Command::AttachFolder {
                folder: "files".into(),
                apply: true
            }
        );
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        assert!(parse(&args("")).is_err());
        assert!(parse(&args("import")).is_err());
        assert!(parse(&args("export out.xlsx")).is_err());
        assert!(parse(&args("export --format pdf out.xlsx")).is_err());
        assert!(parse(&args("validate --force")).is_err());
        assert!(parse(&args("validate extra")).is_err());
    }
}
