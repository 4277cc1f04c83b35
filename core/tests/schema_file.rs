//! `core/schema.json`, which the Python and JavaScript generators and parity tests read, is
//! the core's schema as it is now (`degreed::models::schema()`).

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
