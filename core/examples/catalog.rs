//! Prints the operation catalogue, one operation a line:
//! `name METHOD /path/template scopes source`, where `scopes` joins with `|` the scopes any
//! one of which allows the call, and `source` says where the operation comes from:
//! `documented` (an official Degreed page), `community` (a public client that calls the real
//! API) or `inferred` (no source shows it). `-v` adds the URL or repository path.
//!
//! ```text
//! cargo run -p degreed --example catalog
//! users.list GET /api/v2/users users:read|users:write documented
//! ...
//! ```

use std::io::{self, BufWriter, Write};

fn main() -> io::Result<()> {
    let verbose = std::env::args().any(|a| a == "-v" || a == "--verbose");
    match print(verbose) {
        // `| head` closing the pipe early is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn print(verbose: bool) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for op in degreed::operations() {
        write!(
            out,
            "{} {} {} {} {}",
            op.name,
            op.method.as_str(),
            op.path,
            op.scopes_display(),
            op.source.kind()
        )?;
        match op.source.reference() {
            Some(r) if verbose => writeln!(out, " {r}")?,
            _ => writeln!(out)?,
        }
    }
    out.flush()
}
