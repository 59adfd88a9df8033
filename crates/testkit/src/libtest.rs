//! For tests that run one of their own binary's tests again in a child process (to kill it, limit it or
//! give it another environment) with `--exact <name>`: if that name ever stops matching, libtest runs zero
//! tests in the child and exits 0, and the parent passes having checked nothing. These read libtest's own
//! lines so the parent knows exactly one test ran (and passed).

use std::process::Output;

/// The count in libtest's `running N test(s)` line, or `None` for any other line.
pub fn running_count(line: &str) -> Option<usize> {
    let rest = line.strip_prefix("running ")?;
    let count = rest.strip_suffix(" tests").or_else(|| rest.strip_suffix(" test"))?;
    count.parse().ok()
}

/// Whether libtest's summary line says exactly one test ran and passed, none failed or was ignored.
pub fn is_one_passed_summary(line: &str) -> bool {
    line.starts_with("test result: ok. 1 passed; 0 failed; 0 ignored;")
}

/// Whether the child's output shows libtest ran exactly one test and it passed.
pub fn ran_one_and_passed(output: &Output) -> bool {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let counts: Vec<usize> = stdout.lines().filter_map(running_count).collect();
    output.status.success() && counts == [1] && stdout.lines().any(is_one_passed_summary)
}

/// Panics unless the child's output shows libtest ran exactly one test, `test`, and it passed.
#[track_caller]
pub fn assert_ran_one_and_passed(test: &str, output: &Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let counts: Vec<usize> = stdout.lines().filter_map(running_count).collect();
    assert!(
        ran_one_and_passed(output),
        "the child was to run exactly one test, {test}, and pass (renamed test? a child that runs none \
         passes by itself); it {}, ran {counts:?} test(s):\n--- stdout\n{stdout}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Panics unless a `running N test(s)` line says one test; for parents that read the child's lines
/// as they come (and kill it before any summary). Returns whether `line` was that line.
#[track_caller]
pub fn check_running_line(test: &str, line: &str) -> bool {
    match running_count(line) {
        Some(1) => true,
        Some(count) => panic!("the child was to run exactly one test, {test}, but runs {count} (renamed test?)"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_lines() {
        assert_eq!(running_count("running 1 test"), Some(1));
        assert_eq!(running_count("running 0 tests"), Some(0));
        assert_eq!(running_count("running 12 tests"), Some(12));
        assert_eq!(running_count("running the writer"), None);
        assert!(is_one_passed_summary(
            "test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.20s"
        ));
        assert!(!is_one_passed_summary(
            "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 4 filtered out; finished in 0.00s"
        ));
        assert!(!is_one_passed_summary(
            "test result: ok. 0 passed; 0 failed; 1 ignored; 0 measured; 3 filtered out; finished in 0.00s"
        ));
    }
}
