//! Python's `repr()` of a string, for error messages that quote the input as Python did.

use std::fmt::Write;

use super::is_printable;

/// `repr(text)` as Python 3 writes it: single quotes unless the text holds `'` and no `"`,
/// escapes for backslashes, the quote, `\t \n \r` and non-printable characters.
pub fn repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut written = String::with_capacity(text.len() + 2);
    written.push(quote);
    for c in text.chars() {
        match c {
            '\\' => written.push_str("\\\\"),
            '\t' => written.push_str("\\t"),
            '\n' => written.push_str("\\n"),
            '\r' => written.push_str("\\r"),
            _ if c == quote => {
                written.push('\\');
                written.push(c);
            }
            _ if is_printable(c) => written.push(c),
            _ => {
                let code = u32::from(c);
                // Writing to a String cannot fail.
                let _ = if code <= 0xff {
                    write!(written, "\\x{code:02x}")
                } else if code <= 0xffff {
                    write!(written, "\\u{code:04x}")
                } else {
                    write!(written, "\\U{code:08x}")
                };
            }
        }
    }
    written.push(quote);
    written
}
