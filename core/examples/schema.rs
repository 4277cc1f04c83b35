//! Prints the model schema as JSON: every model's fields (wire keys, aliases, types, docs,
//! what a create requires), every write body, every enum, and what each operation returns
//! (see `degreed::models::schema::schema`). The host generators read it:
//!
//! ```text
//! cargo run -q -p degreed --example schema > schema.json
//! ```
//!
//! With `--wire-tables` it prints instead the Rust tables of what the hosts read from the
//! schema for each attribute (core/src/models/wire_tables.rs; `scripts/generate.sh` writes it).

use std::io::{self, Write};

fn main() -> io::Result<()> {
    let text = if std::env::args().any(|a| a == "--wire-tables") {
        degreed::models::schema::wire_tables_rs()
    } else {
        serde_json::to_string_pretty(&degreed::models::schema()).map_err(io::Error::other)? + "\n"
    };
    match write!(io::stdout().lock(), "{text}") {
        // `| head` closing the pipe early is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
