//! XML read as a stream of simple events (an element opened, closed, or text), for the XML
//! inside DOCX, ODT and EPUB files: names without their namespace prefix, an empty element as
//! an open and a close, entities decoded. Built on `quick-xml`; a malformed document stops the
//! stream with one line saying where.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One step through an XML document.
pub enum Step<'a> {
    /// An element opens (its local name and attributes are in the start tag).
    Open(&'a BytesStart<'a>),
    /// The element with this local name closes.
    Close(&'a [u8]),
    /// Text (or CDATA) between tags, entities decoded.
    Text(Cow<'a, str>),
}

/// How a document that could be read ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// With every element it opened closed.
    Whole,
    /// Inside an element: the file was cut short (what came before was read).
    CutShort,
}

/// Calls `each` with every step through `xml`, in order, and says how it ended; an error names
/// what is malformed.
pub fn walk(xml: &str, mut each: impl FnMut(Step<'_>)) -> Result<Ending, String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut open = 0usize;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            // The input ended inside a tag, a comment or a CDATA section: cut short.
            Err(quick_xml::Error::Syntax(_)) => return Ok(Ending::CutShort),
            Err(e) => {
                return Err(format!(
                    "malformed XML at byte {}: {e}",
                    reader.error_position()
                ))
            }
        };
        match event {
            Event::Start(start) => {
                open += 1;
                each(Step::Open(&start));
            }
            Event::Empty(start) => {
                each(Step::Open(&start));
                each(Step::Close(start.local_name().into_inner()));
            }
            Event::End(end) => {
                open = open.saturating_sub(1);
                each(Step::Close(end.local_name().into_inner()));
            }
            Event::Text(text) => {
                let decoded = match text.unescape() {
                    Ok(text) => text,
                    Err(_) => String::from_utf8_lossy(&text).into_owned().into(),
                };
                each(Step::Text(decoded));
            }
            Event::CData(data) => each(Step::Text(String::from_utf8_lossy(&data))),
            Event::Eof if open > 0 => return Ok(Ending::CutShort),
            Event::Eof => return Ok(Ending::Whole),
            _ => {}
        }
    }
}

/// The value of the attribute with local name `name`, entities decoded.
pub fn attribute(start: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    start
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| match a.unescape_value() {
            Ok(value) => value.into_owned(),
            Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
        })
}

/// The local name (without prefix) of an opened element.
pub fn name<'a>(start: &'a BytesStart<'_>) -> &'a [u8] {
    start.local_name().into_inner()
}

/// The text of the first element named `element` in `xml` (its descendants' text too), with
/// its whitespace collapsed; `None` when there is none or it is empty.
pub fn first_text(xml: &str, element: &[u8]) -> Option<String> {
    let (mut depth, mut done, mut text) = (0usize, false, String::new());
    let _ = walk(xml, |step| match step {
        Step::Open(start) if !done && (depth > 0 || name(start) == element) => depth += 1,
        Step::Close(_) if depth > 0 => {
            depth -= 1;
            done = depth == 0;
        }
        Step::Text(t) if depth > 0 => text.push_str(&t),
        _ => {}
    });
    let text = collapse(&text);
    (!text.is_empty()).then_some(text)
}

/// `text` with runs of whitespace made one space, trimmed.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_have_local_names_and_decoded_text() {
        let mut seen = Vec::new();
        walk(
            r#"<w:p a="1"><w:t>A &amp; B</w:t><w:br/><![CDATA[<x>]]></w:p>"#,
            |step| {
                seen.push(match step {
                    Step::Open(s) => format!("<{}>", String::from_utf8_lossy(name(s))),
                    Step::Close(n) => format!("</{}>", String::from_utf8_lossy(n)),
                    Step::Text(t) => t.into_owned(),
                })
            },
        )
        .unwrap();
        assert_eq!(
            seen,
            ["<p>", "<t>", "A & B", "</t>", "<br>", "</br>", "<x>", "</p>"]
        );
    }

    #[test]
    fn first_text_takes_the_first_element_whole() {
        let xml = "<m><dc:title> The <b>Book</b>\n</dc:title><dc:title>Other</dc:title></m>";
        assert_eq!(first_text(xml, b"title").as_deref(), Some("The Book"));
        assert_eq!(first_text(xml, b"creator"), None);
    }

    #[test]
    fn a_document_cut_short_inside_an_element_says_so() {
        let mut texts = Vec::new();
        let ending = walk("<d><p>complete</p><p>unclosed gnu", |step| {
            if let Step::Text(text) = step {
                texts.push(text.into_owned());
            }
        });
        assert_eq!(ending, Ok(Ending::CutShort));
        assert_eq!(texts, ["complete", "unclosed gnu"]);
        assert_eq!(walk("<d><p>x</p><e/></d>", |_| {}), Ok(Ending::Whole));
        for cut in [
            "<d><p>x</p><p",
            "<d><p a=\"1",
            "<d><!-- note",
            "<d><![CDATA[x",
        ] {
            assert_eq!(walk(cut, |_| {}), Ok(Ending::CutShort), "{cut}");
        }
    }

    #[test]
    fn malformed_xml_is_an_error_not_a_panic() {
        // An end tag that closes nothing is malformed, wherever it is; a document that stops
        // inside a tag is cut short (above).
        assert!(walk("<a></b></c>", |_| {}).is_err());
        assert!(walk("</a>", |_| {}).is_err());
    }
}
