//! Heading paths (`Results > Tides`): the stack of open headings that gives every paragraph of
//! a structured document its `section`. Markdown, HTML, DOCX, ODT and EPUB share it: a heading
//! belongs to the section above it and opens its own, closing every heading at its level or
//! deeper.

/// The headings open at a point of a document, outermost first.
#[derive(Debug, Default, Clone)]
pub struct Headings {
    open: Vec<(u8, String)>,
}

impl Headings {
    /// No heading open.
    pub fn new() -> Headings {
        Headings::default()
    }

    /// The path of the open headings (`A > B`), or `None` when none is open.
    pub fn path(&self) -> Option<String> {
        let names: Vec<&str> = self
            .open
            .iter()
            .map(|(_, name)| name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        (!names.is_empty()).then(|| names.join(" > "))
    }

    /// A heading of `level` (1 outermost) titled `title`: returns the heading's own section
    /// (the path above it), then opens it.
    pub fn heading(&mut self, level: u8, title: &str) -> Option<String> {
        self.open.retain(|(l, _)| *l < level);
        let section = self.path();
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        self.open.push((level, title));
        section
    }
}

/// `inner` under `outer` (`Chapter > Heading`), without repeating `outer` when `inner` already
/// starts with it.
pub fn nested(outer: Option<&str>, inner: Option<String>) -> Option<String> {
    match (outer, inner) {
        (Some(outer), Some(inner))
            if inner == outer || inner.starts_with(&format!("{outer} > ")) =>
        {
            Some(inner)
        }
        (Some(outer), Some(inner)) => Some(format!("{outer} > {inner}")),
        (Some(outer), None) => Some(outer.to_string()),
        (None, inner) => inner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_nest_and_close_at_their_level() {
        let mut h = Headings::new();
        assert_eq!(h.heading(1, "Results"), None);
        assert_eq!(h.heading(2, " Tides\n"), Some("Results".into()));
        assert_eq!(h.path().as_deref(), Some("Results > Tides"));
        assert_eq!(h.heading(2, "Winds"), Some("Results".into()));
        assert_eq!(h.path().as_deref(), Some("Results > Winds"));
        assert_eq!(h.heading(1, "Methods"), None);
        assert_eq!(h.path().as_deref(), Some("Methods"));
    }

    #[test]
    fn a_chapter_title_is_not_repeated() {
        assert_eq!(
            nested(Some("One"), Some("One > Two".into())).as_deref(),
            Some("One > Two")
        );
        assert_eq!(
            nested(Some("One"), Some("Two".into())).as_deref(),
            Some("One > Two")
        );
        assert_eq!(nested(Some("One"), None).as_deref(), Some("One"));
        assert_eq!(nested(None, Some("Two".into())).as_deref(), Some("Two"));
    }
}
