//! The core's description and what is made from it: the sandbox routes exactly the core's
//! catalogue (every operation, method and path, reaches the sandbox handler of the same name
//! with the same scopes, and the sandbox has no route the catalogue lacks; an operation added
//! to the catalogue fails here until the sandbox serves it), and `core/schema.json`, which
//! the Python and JavaScript generators and parity tests read, is the schema as it is now.

use std::collections::HashSet;

use degreed_sandbox::routes::{find, table, Match};

#[test]
fn every_catalogue_operation_is_routed_by_the_sandbox() {
    let mut names = HashSet::new();
    for op in degreed::operations() {
        names.insert(op.name);
        let path = op.path.replace("{id}", "Ab12Cd");
        match find(&op.method.as_http(), &path) {
            Match::Found(route, params) => {
                assert_eq!(route.name, op.name, "{} {}", op.method.as_str(), op.path);
                assert_eq!(route.scopes, op.scopes, "{}", op.name);
                assert_eq!(params.len(), op.path_param_count(), "{}", op.name);
            }
            _ => panic!(
                "{}: {} {} is not routed",
                op.name,
                op.method.as_str(),
                op.path
            ),
        }
    }
    for route in table() {
        assert!(
            names.contains(route.name),
            "sandbox route {} is not in the catalogue",
            route.name
        );
    }
}

#[test]
fn the_checked_in_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.json");
    let expected = serde_json::to_string_pretty(&degreed::models::schema()).unwrap() + "\n";
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "core/schema.json is out of date: run `bash scripts/generate.sh` (it also regenerates \
         the Python and TypeScript files read from it)"
    );
}
