//! Where Catalog Desk keeps its database, resource copies and logs: the OS app-data folder
//! (`%APPDATA%` on Windows, `~/Library/Application Support` on macOS, `$XDG_DATA_HOME` on Linux),
//! unless a `--data-dir` flag or the `CATALOG_DESK_DATA_DIR` environment variable says otherwise
//! (tests and portable installs use that).

use std::ffi::OsString;
use std::path::PathBuf;

/// The application identifier; also `identifier` in `tauri.conf.json` (a shell test checks they agree).
pub const APP_IDENTIFIER: &str = "th.catalogdesk.desktop";

/// Environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "CATALOG_DESK_DATA_DIR";

/// The data folder: the explicit flag first, then the environment variable, then the OS default.
/// Falls back to a folder beside the working directory only when the OS reports no data folder at all.
pub fn resolve(flag: Option<PathBuf>) -> PathBuf {
    resolve_from(flag, std::env::var_os(DATA_DIR_ENV))
}

/// [`resolve`] with the environment variable's value given.
fn resolve_from(flag: Option<PathBuf>, env: Option<OsString>) -> PathBuf {
    flag.or_else(|| env.filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(|| {
            dirs::data_dir()
                .map(|d| d.join(APP_IDENTIFIER))
                .unwrap_or_else(|| PathBuf::from("catalog-desk-data"))
        })
}

/// The `--data-dir <path>` or `--data-dir=<path>` flag among the process arguments, if present.
pub fn flag_from_args(args: impl IntoIterator<Item = String>) -> Option<PathBuf> {
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(value));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_wins_over_everything() {
        let flag = flag_from_args(["app".into(), "--data-dir".into(), "/x/y".into()]);
        assert_eq!(resolve(flag), PathBuf::from("/x/y"));
        let flag = flag_from_args(["app".into(), "--data-dir=/a b".into()]);
        assert_eq!(flag, Some(PathBuf::from("/a b")));
    }

    #[test]
    fn the_environment_variable_comes_after_the_flag_and_an_empty_one_is_ignored() {
        let env = Some(OsString::from("/from/env"));
        assert_eq!(resolve_from(None, env.clone()), PathBuf::from("/from/env"));
        assert_eq!(resolve_from(Some("/flag".into()), env), PathBuf::from("/flag"));
        assert_eq!(resolve_from(None, Some(OsString::new())), resolve_from(None, None));
    }

    /// The README promises `%APPDATA%\th.catalogdesk.desktop` (the roaming profile, as Tauri's own
    /// app-data folder is): not the local one, not the user's home.
    #[cfg(windows)]
    #[test]
    fn on_windows_the_default_folder_is_the_app_identifier_under_appdata() {
        let appdata = std::env::var_os("APPDATA").expect("Windows sets APPDATA");
        let default = resolve_from(None, None);
        assert_eq!(default, PathBuf::from(appdata).join(APP_IDENTIFIER));
        assert!(default.is_absolute(), "{}", default.display());
        let text = default.to_str().expect("the folder is Unicode").to_lowercase();
        assert!(text.ends_with(r"\appdata\roaming\th.catalogdesk.desktop"), "{text}");
    }

    #[test]
    fn no_flag_means_none() {
        assert_eq!(flag_from_args(["app".into(), "--verbose".into()]), None);
        assert_eq!(flag_from_args(["app".into(), "--data-dir".into()]), None);
    }
}
