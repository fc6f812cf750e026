//! Reading inputs in bounded pieces: one line at a time, never holding more of a line than a
//! limit ([`read_line_bounded`]), and a file's content hash computed as it streams by
//! ([`hash_reader`]), so that no input is ever held whole just to be split or hashed.

use std::io::{self, BufRead, Read};

/// Reads one line (up to and including `\n`) into `line`, keeping at most `limit` bytes of it;
/// the rest of a longer line is read and dropped. `None` at the end of the input, otherwise
/// whether the line was kept whole.
pub fn read_line_bounded<R: BufRead>(
    input: &mut R,
    line: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<bool>> {
    let (mut read_any, mut whole) = (false, true);
    loop {
        let available = match input.fill_buf() {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(read_any.then_some(whole));
        }
        read_any = true;
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(at) => (&available[..=at], true),
            None => (available, false),
        };
        let room = limit.saturating_sub(line.len());
        if chunk.len() > room {
            whole = false;
        }
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len();
        input.consume(used);
        if done {
            return Ok(Some(whole));
        }
    }
}

/// The content hash ([`super::content_hash`]) of everything `input` gives, read in 64 KiB
/// pieces, and how many bytes that was.
pub fn hash_reader<R: Read>(mut input: R) -> io::Result<(u64, u64)> {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buffer = vec![0; 64 << 10];
    let mut total = 0u64;
    loop {
        let read = match input.read(&mut buffer) {
            Ok(0) => return Ok((hasher.digest(), total)),
            Ok(read) => read,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        hasher.update(&buffer[..read]);
        total += read as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    #[test]
    fn long_lines_are_cut_to_the_limit_and_the_next_line_is_whole() {
        let text = b"short\nmuch too long a line\n\nend";
        // A tiny buffer, so that a line arrives in several pieces.
        let mut input = BufReader::with_capacity(4, &text[..]);
        let mut line = Vec::new();
        let mut next = |line: &mut Vec<u8>| {
            line.clear();
            read_line_bounded(&mut input, line, 8).unwrap()
        };
        assert_eq!(next(&mut line), Some(true));
        assert_eq!(line, b"short\n");
        assert_eq!(next(&mut line), Some(false));
        assert_eq!(line, b"much too");
        assert_eq!(next(&mut line), Some(true));
        assert_eq!(line, b"\n");
        assert_eq!(next(&mut line), Some(true));
        assert_eq!(line, b"end");
        assert_eq!(next(&mut line), None);
    }

    #[test]
    fn a_streamed_hash_is_the_whole_content_hash() {
        // Over one read buffer, and not a multiple of it, so that the pieces differ in size.
        let bytes: Vec<u8> = (0..200_003u32).map(|i| (i * 7 % 251) as u8).collect();
        for content in [&bytes[..], &bytes[..10], &[][..]] {
            let input = BufReader::with_capacity(1000, content);
            let (hash, length) = hash_reader(input).unwrap();
            assert_eq!(hash, super::super::content_hash(content));
            assert_eq!(length, content.len() as u64);
        }
    }
}
