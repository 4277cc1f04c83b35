//! Prints the operation catalogue, one operation a line: `name METHOD /path/template scope`.
//!
//! ```text
//! cargo run -p degreed --example catalog
//! users.list GET /api/v2/users users:read
//! ...
//! ```

use std::io::{self, BufWriter, Write};

fn main() -> io::Result<()> {
    match print() {
        // `| head` closing the pipe early is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn print() -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for op in degreed::operations() {
        writeln!(
            out,
            "{} {} {} {}",
            op.name,
            op.method.as_str(),
            op.path,
            op.scope()
        )?;
    }
    out.flush()
}
