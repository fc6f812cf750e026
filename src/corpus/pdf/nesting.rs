//! How deep a PDF's arrays and dictionaries nest, told from its bytes before it is parsed:
//! `pdf_oxide` parses nested objects by recursion with no limit of its own, so a small file
//! nesting `[[[…]]]` thousands deep would overflow the reading thread's stack and abort the
//! whole ingest. Strings, comments and stream data are skipped (their brackets are not
//! objects'); an unbalanced closing bracket is ignored.

/// Nesting deeper than this is refused: real documents nest a few levels (a page's resources,
/// an annotation's appearance), never hundreds.
pub const MAX_DEPTH: usize = 256;

/// Whether the arrays and dictionaries written in `bytes` nest deeper than [`MAX_DEPTH`].
pub fn too_deep(bytes: &[u8]) -> bool {
    let mut depth = 0usize;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'[' => depth += 1,
            b'<' if bytes.get(at + 1) == Some(&b'<') => {
                depth += 1;
                at += 1;
            }
            b'<' => at = skip_past(bytes, at, b'>'),
            b']' => depth = depth.saturating_sub(1),
            b'>' if bytes.get(at + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                at += 1;
            }
            b'(' => at = skip_string(bytes, at),
            b'%' => at = skip_line(bytes, at),
            b's' if bytes[at..].starts_with(b"stream") && starts_word(bytes, at) => {
                at = skip_stream(bytes, at);
            }
            _ => {}
        }
        if depth > MAX_DEPTH {
            return true;
        }
        at += 1;
    }
    false
}

/// Whether a keyword at `at` starts a word (not `endstream`'s tail).
fn starts_word(bytes: &[u8], at: usize) -> bool {
    at == 0 || !bytes[at - 1].is_ascii_alphanumeric()
}

/// The offset of the first `end` after `at` (or the last byte).
fn skip_past(bytes: &[u8], at: usize, end: u8) -> usize {
    match memchr::memchr(end, &bytes[at + 1..]) {
        Some(found) => at + 1 + found,
        None => bytes.len(),
    }
}

/// The offset of the end of the line a comment at `at` is on.
fn skip_line(bytes: &[u8], at: usize) -> usize {
    match memchr::memchr2(b'\n', b'\r', &bytes[at..]) {
        Some(found) => at + found,
        None => bytes.len(),
    }
}

/// The offset of the `)` that closes the literal string opened at `at` (balanced parentheses
/// inside it, and escaped ones, are the string's).
fn skip_string(bytes: &[u8], at: usize) -> usize {
    let mut open = 0usize;
    let mut i = at;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => open += 1,
            b')' => {
                open -= 1;
                if open == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The offset of the end of the `endstream` after the stream data that starts at `at`.
fn skip_stream(bytes: &[u8], at: usize) -> usize {
    match memchr::memmem::find(&bytes[at..], b"endstream") {
        Some(found) => at + found + b"endstream".len() - 1,
        None => bytes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize, open: &str, close: &str) -> Vec<u8> {
        format!(
            "1 0 obj\n<< /A {}{} >>\nendobj\n",
            open.repeat(depth),
            close.repeat(depth)
        )
        .into_bytes()
    }

    #[test]
    fn arrays_and_dictionaries_nested_too_deep_are_told() {
        assert!(!too_deep(&nested(MAX_DEPTH - 1, "[", "]")));
        assert!(too_deep(&nested(MAX_DEPTH, "[", "]")));
        assert!(too_deep(&nested(MAX_DEPTH, "<</K ", ">>")));
        // Closed as it goes: many arrays side by side are not deep.
        assert!(!too_deep(&"[1] ".repeat(10 * MAX_DEPTH).into_bytes()));
    }

    #[test]
    fn brackets_in_strings_comments_hex_strings_and_streams_are_not_objects() {
        let depth = MAX_DEPTH + 10;
        let brackets = "[".repeat(depth);
        let string = format!("<< /T ({brackets} \\) ( {brackets}) ) >>");
        assert!(!too_deep(string.as_bytes()));
        let comment = format!("% {brackets}\n<< /A 1 >>");
        assert!(!too_deep(comment.as_bytes()));
        assert!(!too_deep(b"<< /ID [<0a1b> <2c3d>] >>"));
        let stream = format!("<< /Length 9 >>\nstream\n{brackets}\nendstream\nendobj");
        assert!(!too_deep(stream.as_bytes()));
        // After the stream, objects count again.
        let after = format!("{stream}\n{brackets}");
        assert!(too_deep(after.as_bytes()));
    }
}
