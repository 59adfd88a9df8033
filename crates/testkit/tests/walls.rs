//! Fitness tests for the walls ARCHITECTURE.md draws between the crates, read from the dependency graph
//! Cargo resolved (`cargo metadata --locked`), not from the manifests' text, so a dependency pulled in
//! through another crate, a renamed dependency or a workspace-inherited one cannot slip past:
//!
//! - only the shell (`catalog-desk`) depends on Tauri; nothing else reaches Tauri, wry, WebKitGTK or GTK;
//! - only the ADC client (`catalog-adc`) depends on `reqwest`: nothing else opens a connection;
//! - only `catalog-publish` depends on `keyring` and `totp-rs`, and inside it only `secrets.rs` uses them;
//! - the application core (`catalog-app`, once it is a member) builds without WebKit;
//! - `catalog-testkit` is only ever a dev-dependency;
//! - no domain crate (`crates/*`) depends on the shell.
//!
//! Each check first shows that it recognises what it looks for where it is allowed (the shell does reach
//! Tauri, the ADC client does use reqwest …), so a renamed crate cannot turn it into a check of nothing.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

const SHELL: &str = "catalog-desk";
const ADC: &str = "catalog-adc";
const PUBLISH: &str = "catalog-publish";
const APP: &str = "catalog-app";
const TESTKIT: &str = "catalog-testkit";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Normal,
    Dev,
    Build,
}

struct Edge {
    to: String,
    kinds: Vec<Kind>,
}

struct Package {
    name: String,
    manifest_dir: PathBuf,
}

/// The workspace's resolved dependency graph: every package and, per package, its edges.
struct Graph {
    root: PathBuf,
    packages: HashMap<String, Package>,
    members: Vec<String>,
    edges: HashMap<String, Vec<Edge>>,
}

fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

fn graph() -> &'static Graph {
    static GRAPH: OnceLock<Graph> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let root = workspace_root();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
        let out = Command::new(&cargo)
            .args(["metadata", "--format-version", "1", "--locked"])
            .current_dir(&root)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {} metadata: {e}", Path::new(&cargo).display()));
        assert!(
            out.status.success(),
            "cargo metadata --locked failed in {}:\n{}",
            root.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let metadata: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
        parse(root, &metadata)
    })
}

fn parse(root: PathBuf, metadata: &Value) -> Graph {
    let text = |v: &Value| v.as_str().expect("a string in cargo metadata").to_owned();
    let list = |v: &Value| v.as_array().expect("a list in cargo metadata").clone();
    let packages = list(&metadata["packages"])
        .iter()
        .map(|p| {
            let manifest = PathBuf::from(text(&p["manifest_path"]));
            let package = Package {
                name: text(&p["name"]),
                manifest_dir: manifest.parent().expect("a manifest's folder").to_owned(),
            };
            (text(&p["id"]), package)
        })
        .collect();
    let members = list(&metadata["workspace_members"]).iter().map(text).collect();
    let edges = list(&metadata["resolve"]["nodes"])
        .iter()
        .map(|node| {
            let edges = list(&node["deps"])
                .iter()
                .map(|dep| Edge {
                    to: text(&dep["pkg"]),
                    kinds: list(&dep["dep_kinds"])
                        .iter()
                        .map(|k| match k["kind"].as_str() {
                            None => Kind::Normal,
                            Some("dev") => Kind::Dev,
                            Some("build") => Kind::Build,
                            Some(other) => panic!("unknown dependency kind {other}"),
                        })
                        .collect(),
                })
                .collect();
            (text(&node["id"]), edges)
        })
        .collect();
    Graph {
        root,
        packages,
        members,
        edges,
    }
}

impl Graph {
    fn name(&self, id: &str) -> &str {
        &self.packages[id].name
    }

    /// The members, by name, each with its package id.
    fn members(&self) -> impl Iterator<Item = (&str, &str)> {
        self.members.iter().map(|id| (self.name(id), id.as_str()))
    }

    fn member(&self, name: &str) -> Option<&str> {
        self.members().find(|(n, _)| *n == name).map(|(_, id)| id)
    }

    /// A member's direct dependencies (by name) reached through an edge of one of `kinds`.
    fn direct(&self, id: &str, kinds: &[Kind]) -> Vec<(&str, Vec<Kind>)> {
        self.edges[id]
            .iter()
            .filter(|e| e.kinds.iter().any(|k| kinds.contains(k)))
            .map(|e| (self.name(&e.to), e.kinds.clone()))
            .collect()
    }

    /// Every package `id` reaches through normal dependencies only (what its library links), each with
    /// the chain of names that leads there from `id`.
    fn normal_closure(&self, id: &str) -> BTreeMap<String, String> {
        let mut path: HashMap<&str, String> = HashMap::from([(id, self.name(id).to_owned())]);
        let mut queue = VecDeque::from([id]);
        let mut reached = BTreeMap::new();
        let mut seen = HashSet::from([id]);
        while let Some(at) = queue.pop_front() {
            for edge in &self.edges[at] {
                if !edge.kinds.contains(&Kind::Normal) || !seen.insert(edge.to.as_str()) {
                    continue;
                }
                let chain = format!("{} → {}", path[at], self.name(&edge.to));
                reached.insert(self.name(&edge.to).to_owned(), chain.clone());
                path.insert(edge.to.as_str(), chain);
                queue.push_back(edge.to.as_str());
            }
        }
        reached
    }

    /// The chains by which `id` reaches, through normal dependencies, a package of the webview stack
    /// (each ending at the first such package on its way).
    fn webview_stack(&self, id: &str) -> Vec<String> {
        self.normal_closure(id)
            .into_values()
            .filter(|chain| {
                let names: Vec<&str> = chain.split(" → ").collect();
                let (last, before) = names.split_last().expect("a chain names its end");
                is_webview_stack(last) && !before.iter().any(|n| is_webview_stack(n))
            })
            .collect()
    }
}

/// Tauri and what it drags in on Linux: the webview (wry, WebKitGTK) and GTK.
fn is_webview_stack(name: &str) -> bool {
    name == "tauri"
        || name.starts_with("tauri-")
        || name == "wry"
        || name.starts_with("webkit2gtk")
        || name == "gtk"
        || name == "gtk-sys"
}

fn assert_no_breaches(wall: &str, breaches: &[String]) {
    assert!(
        breaches.is_empty(),
        "wall broken — {wall}:\n  {}\n(see ARCHITECTURE.md)",
        breaches.join("\n  ")
    );
}

/// The members other than `allowed` that depend directly, through an edge of one of `kinds`, on a
/// package `forbidden` recognises; and the packages `allowed` itself uses that way (to show the check
/// recognises something).
fn direct_users(allowed: &str, kinds: &[Kind], forbidden: impl Fn(&str) -> bool) -> (Vec<String>, Vec<String>) {
    let graph = graph();
    let (mut breaches, mut own) = (Vec::new(), Vec::new());
    for (member, id) in graph.members() {
        for (dep, dep_kinds) in graph.direct(id, kinds) {
            if !forbidden(dep) {
                continue;
            }
            if member == allowed {
                own.push(dep.to_owned());
            } else {
                breaches.push(format!("{member} depends directly on {dep} ({dep_kinds:?})"));
            }
        }
    }
    (breaches, own)
}

#[test]
fn only_the_shell_depends_on_tauri_and_nothing_else_reaches_a_webview() {
    let graph = graph();
    let shell = graph
        .member(SHELL)
        .expect("the shell package catalog-desk is a workspace member");
    let shell_reaches = graph.normal_closure(shell);
    assert!(
        ["tauri", "wry"]
            .iter()
            .all(|name| is_webview_stack(name) && shell_reaches.contains_key(*name)),
        "the check no longer recognises the shell's own Tauri and webview (renamed crates?)"
    );
    let all = [Kind::Normal, Kind::Build, Kind::Dev];
    let (mut breaches, own) = direct_users(SHELL, &all, |dep| dep.starts_with("tauri"));
    assert!(
        own.iter().any(|d| d == "tauri"),
        "the shell's own tauri dependency is not seen"
    );
    for (member, id) in graph.members().filter(|(m, _)| *m != SHELL) {
        for chain in graph.webview_stack(id) {
            breaches.push(format!(
                "{member} reaches the webview stack through normal dependencies: {chain}"
            ));
        }
    }
    assert_no_breaches(
        "only the shell (catalog-desk) may use Tauri; the domain crates build and run without WebKit or GTK",
        &breaches,
    );
}

#[test]
fn the_application_core_builds_without_webkit() {
    let graph = graph();
    let Some(app) = graph.member(APP) else {
        eprintln!("{APP} is not a workspace member yet: nothing to check");
        return;
    };
    let breaches: Vec<String> = graph
        .webview_stack(app)
        .into_iter()
        .map(|chain| format!("{APP} reaches the webview stack: {chain}"))
        .collect();
    assert_no_breaches(
        "the application core (catalog-app), shared by the window and the CLI, builds without WebKit",
        &breaches,
    );
}

#[test]
fn only_the_adc_client_depends_on_reqwest() {
    // Product code only: a test may talk to its own test server.
    let (breaches, own) = direct_users(ADC, &[Kind::Normal, Kind::Build], |dep| dep == "reqwest");
    assert_eq!(own, ["reqwest"], "the ADC client's own reqwest dependency is not seen");
    assert_no_breaches(
        "only the ADC client (catalog-adc) talks to the network, so only it may depend on reqwest",
        &breaches,
    );
}

#[test]
fn only_publish_depends_on_the_keyring_and_totp() {
    let secret_crates = ["keyring", "totp-rs"];
    let (breaches, mut own) = direct_users(PUBLISH, &[Kind::Normal, Kind::Build], |dep| {
        secret_crates.contains(&dep)
    });
    own.sort();
    assert_eq!(
        own, secret_crates,
        "catalog-publish's own keyring/totp-rs dependencies are not seen"
    );
    assert_no_breaches(
        "secrets live only in catalog-publish (and there only in secrets.rs), so only it may depend on \
         keyring or totp-rs",
        &breaches,
    );
}

/// Within catalog-publish, only `secrets.rs` names the keyring and TOTP crates (a text check: Cargo
/// cannot see inside a crate).
#[test]
fn inside_publish_only_secrets_rs_uses_the_keyring_and_totp() {
    let src = graph().root.join("crates/publish/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("secrets.rs")),
        "crates/publish/src/secrets.rs is missing"
    );
    let mut breaches = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("secrets.rs")) {
        let text = std::fs::read_to_string(file).expect("a source file reads");
        for (n, line) in text.lines().enumerate() {
            if ["keyring::", "use keyring", "totp_rs"]
                .iter()
                .any(|word| line.contains(word))
            {
                breaches.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert_no_breaches(
        "within catalog-publish only secrets.rs may use keyring or totp_rs",
        &breaches,
    );
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_testkit_is_only_a_dev_dependency() {
    let graph = graph();
    let testkit = graph.member(TESTKIT).expect("catalog-testkit is a workspace member");
    let (mut breaches, mut dev_users) = (Vec::new(), 0);
    for (from, edges) in &graph.edges {
        for edge in edges.iter().filter(|e| e.to == testkit) {
            if edge.kinds.iter().all(|k| *k == Kind::Dev) {
                dev_users += 1;
            } else {
                breaches.push(format!(
                    "{} depends on catalog-testkit as {:?}",
                    graph.name(from),
                    edge.kinds
                ));
            }
        }
    }
    assert!(dev_users > 0, "no dev-dependency on catalog-testkit is seen");
    assert_no_breaches(
        "catalog-testkit is test support: only a dev-dependency, never product code",
        &breaches,
    );
}

#[test]
fn no_domain_crate_depends_on_the_shell() {
    let graph = graph();
    let crates_dir = graph.root.join("crates");
    let domain: Vec<(&str, &str)> = graph
        .members()
        .filter(|(_, id)| graph.packages[*id].manifest_dir.starts_with(&crates_dir))
        .collect();
    assert!(
        domain.len() > 5,
        "the domain crates under crates/ are not found: {domain:?}"
    );
    let mut breaches = Vec::new();
    for (member, id) in domain {
        for (dep, kinds) in graph.direct(id, &[Kind::Normal, Kind::Build, Kind::Dev]) {
            if dep == SHELL {
                breaches.push(format!("{member} depends directly on {SHELL} ({kinds:?})"));
            }
        }
        if let Some(chain) = graph.normal_closure(id).get(SHELL) {
            breaches.push(format!("{member} reaches {SHELL}: {chain}"));
        }
    }
    assert_no_breaches(
        "the domain crates (crates/*) never depend on the shell (catalog-desk)",
        &breaches,
    );
}
