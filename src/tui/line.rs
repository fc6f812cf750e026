//! One line of text being edited (the query, a path glob): its text, a cursor between grapheme
//! clusters, and the edits of a shell's line (Backspace, Delete, ←/→, Home/End, Ctrl-U, Ctrl-W).

use unicode_segmentation::UnicodeSegmentation;

/// A line and its cursor (a byte offset on a grapheme boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    text: String,
    cursor: usize,
}

impl Line {
    /// `text`, with the cursor at its end.
    pub fn new(text: impl Into<String>) -> Line {
        let text = text.into();
        Line {
            cursor: text.len(),
            text,
        }
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor's byte offset.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Inserts `c` at the cursor. Control characters are not inserted (they are keys).
    pub fn insert(&mut self, c: char) -> bool {
        if c.is_control() {
            return false;
        }
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
        true
    }

    /// Inserts pasted `text` at the cursor, its line breaks and tabs as spaces (a query is one
    /// line) and other control characters left out; false when nothing was inserted.
    pub fn paste(&mut self, text: &str) -> bool {
        let pasted: String = text
            .replace("\r\n", "\n")
            .chars()
            .filter_map(|c| match c {
                '\r' | '\n' | '\t' => Some(' '),
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect();
        self.text.insert_str(self.cursor, &pasted);
        self.cursor += pasted.len();
        !pasted.is_empty()
    }

    /// Deletes the grapheme cluster before the cursor; false at the start.
    pub fn backspace(&mut self) -> bool {
        let start = self.previous_boundary();
        if start == self.cursor {
            return false;
        }
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
        true
    }

    /// Deletes the grapheme cluster after the cursor; false at the end.
    pub fn delete(&mut self) -> bool {
        let end = self.next_boundary();
        if end == self.cursor {
            return false;
        }
        self.text.replace_range(self.cursor..end, "");
        true
    }

    /// Moves the cursor one grapheme cluster left.
    pub fn left(&mut self) {
        self.cursor = self.previous_boundary();
    }

    /// Moves the cursor one grapheme cluster right.
    pub fn right(&mut self) {
        self.cursor = self.next_boundary();
    }

    /// Moves the cursor to the start.
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// Moves the cursor to the end.
    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    /// Deletes the word before the cursor and the spaces after it (Ctrl-W).
    pub fn delete_word(&mut self) -> bool {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end();
        let start = trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        if start == self.cursor {
            return false;
        }
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
        true
    }

    /// Deletes everything before the cursor (Ctrl-U).
    pub fn clear_before(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.text.replace_range(..self.cursor, "");
        self.cursor = 0;
        true
    }

    fn previous_boundary(&self) -> usize {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.cursor, |g| self.cursor + g.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_is_one_line_at_the_cursor() {
        let mut line = Line::new("ab");
        line.left();
        assert!(line.paste("x\r\ny\nz\t\u{1b}w"));
        assert_eq!(line.text(), "ax y z wb");
        assert_eq!(line.cursor(), "ax y z w".len());
        assert!(!line.paste("\u{7}"));
    }

    fn typed(text: &str) -> Line {
        let mut line = Line::default();
        for c in text.chars() {
            line.insert(c);
        }
        line
    }

    #[test]
    fn typing_inserts_at_the_cursor() {
        let mut line = typed("nuclar");
        line.left();
        line.left();
        line.insert('e');
        assert_eq!((line.text(), line.cursor()), ("nuclear", 5));
        assert!(!line.insert('\u{1b}'), "an escape is a key, never text");
        assert_eq!(line.text(), "nuclear");
    }

    #[test]
    fn backspace_and_arrows_step_over_whole_grapheme_clusters() {
        // `e` + combining acute, and a CJK character: one step each.
        let mut line = typed("cafe\u{301}\u{5317}");
        line.left();
        assert_eq!(line.cursor(), "cafe\u{301}".len());
        assert!(line.backspace());
        assert_eq!(line.text(), "caf\u{5317}");
        line.end();
        assert!(line.backspace());
        assert_eq!(line.text(), "caf");
        line.home();
        assert!(!line.backspace());
        assert!(line.delete());
        assert_eq!(line.text(), "af");
    }

    #[test]
    fn ctrl_w_deletes_the_word_before_and_ctrl_u_the_start() {
        let mut line = typed("nuclear  deterrence  ");
        assert!(line.delete_word());
        assert_eq!(line.text(), "nuclear  ");
        assert!(line.delete_word());
        assert_eq!(line.text(), "");
        assert!(!line.delete_word());
        let mut line = Line::new("alliance treaty");
        line.left();
        assert!(line.clear_before());
        assert_eq!((line.text(), line.cursor()), ("y", 0));
        assert!(!line.clear_before());
    }
}
