//! The scope names of the core and of the sandbox both equal Degreed's official list: the
//! default `scope` value of "Create a New Access Token", kept verbatim with its URL in
//! `fixtures/official_scopes.json`. Each catalogue operation names only official scopes, and
//! every official name parses.

use std::collections::BTreeSet;

use degreed::Scope;

fn official() -> Vec<String> {
    let text = include_str!("fixtures/official_scopes.json");
    let fixture: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        fixture["source"],
        "https://developer.degreed.com/reference/post_oauth-token-1"
    );
    let names: Vec<String> = fixture["scope"]
        .as_str()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    let unique: BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "a name is listed twice");
    names
}

fn set<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    names.into_iter().map(str::to_owned).collect()
}

#[test]
fn the_core_and_the_sandbox_hold_exactly_the_official_scopes() {
    let official = set(official().iter().map(String::as_str));
    assert_eq!(official.len(), 55);
    let core = set(degreed::scope::OFFICIAL_SCOPES.iter().copied());
    let sandbox = set(degreed_sandbox::config::OFFICIAL_SCOPES.iter().copied());
    assert_eq!(
        core,
        official,
        "core: {:?}",
        core.symmetric_difference(&official)
    );
    assert_eq!(
        sandbox,
        official,
        "sandbox: {:?}",
        sandbox.symmetric_difference(&official)
    );
    assert_eq!(degreed::scope::OFFICIAL_SCOPES.len(), official.len());
    assert_eq!(
        degreed_sandbox::config::OFFICIAL_SCOPES.len(),
        official.len()
    );
}

#[test]
fn every_official_name_parses_and_the_catalogue_uses_no_other() {
    let official = official();
    for name in &official {
        let scope: Scope = name.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(&scope.to_string(), name);
    }
    for op in degreed::operations() {
        for scope in op.scopes {
            assert!(official.iter().any(|n| n == scope), "{}: {scope}", op.name);
        }
    }
}
