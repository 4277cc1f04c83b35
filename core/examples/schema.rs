//! Prints the model schema as JSON: every model's fields (wire keys, aliases, types, docs,
//! what a create requires), every write body, every enum, and what each operation returns
//! (see `degreed::models::schema::schema`). The host generators read it:
//!
//! ```text
//! cargo run -q -p degreed --example schema > schema.json
//! ```

use std::io::{self, Write};

fn main() -> io::Result<()> {
    let text =
        serde_json::to_string_pretty(&degreed::models::schema()).map_err(io::Error::other)?;
    match writeln!(io::stdout().lock(), "{text}") {
        // `| head` closing the pipe early is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
