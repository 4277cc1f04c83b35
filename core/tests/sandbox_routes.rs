//! The sandbox routes exactly the core's catalogue: every operation (method and path) reaches
//! the sandbox handler of the same name with the same scopes, and the sandbox has no route
//! the catalogue lacks. The catalogue is read from the core itself, so an operation added to
//! it fails here until the sandbox serves it.

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
