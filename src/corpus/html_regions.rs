//! Which parts of an HTML page are its main content, and which are the page's furniture:
//! navigation, page headers and footers, sidebars and related links (ARIA roles, HTML5
//! sectioning elements, and the containers documentation generators write: Sphinx, MkDocs
//! and Read the Docs, rustdoc, Javadoc), and the permalink marks beside headings (`¶`, `§`,
//! `#`). By default parafind indexes the main content without the furniture.

use ego_tree::NodeRef;
use scraper::node::Element;
use scraper::Node;

/// ARIA landmark roles of page furniture.
const FURNITURE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
];

/// Classes of the furniture containers documentation generators write.
const FURNITURE_CLASSES: &[&str] = &[
    // Sphinx (classic, alabaster, the Python docs).
    "sphinxsidebar",
    "sphinxsidebarwrapper",
    "related",
    "footer",
    // Read the Docs theme (Sphinx and MkDocs).
    "wy-nav-side",
    "wy-nav-top",
    "wy-breadcrumbs",
    "rst-footer-buttons",
    "rst-versions",
    // MkDocs themes (Material, mkdocs, bootstrap).
    "md-header",
    "md-footer",
    "md-sidebar",
    "md-nav",
    "md-tabs",
    "md-search",
    "navbar",
    "bs-sidebar",
    // rustdoc (its sidebar is a `<nav class="sidebar">`, dropped as `nav`; a plain `sidebar`
    // class is DocBook's boxed aside, which is content).
    "sidebar-elems",
    "mobile-topbar",
    "rustdoc-toolbar",
    // rustdoc's "Expand description" toggles, which its style sheet hides.
    "hideme",
    // Javadoc (new and old class names).
    "top-nav",
    "sub-nav",
    "bottom-nav",
    "topNav",
    "subNav",
    "bottomNav",
    "skip-nav",
    "skipNav",
];

/// Classes of heading permalink anchors.
const PERMALINK_CLASSES: &[&str] = &[
    "headerlink",
    "anchor",
    "permalink",
    "header-anchor",
    "heading-anchor",
    "anchorjs-link",
    "hash-link",
];

/// The marks permalink anchors show.
const PERMALINK_MARKS: &[&str] = &["¶", "§", "#", "🔗"];

/// The page's main content: its first `<main>` or `role="main"` element, else Sphinx's
/// `div.body`; `None` when it marks none.
pub(super) fn main_content(root: NodeRef<'_, Node>) -> Option<NodeRef<'_, Node>> {
    let element_is = |test: fn(&Element) -> bool| {
        move |n: &NodeRef<'_, Node>| n.value().as_element().is_some_and(test)
    };
    root.descendants()
        .find(element_is(|e| {
            e.name() == "main" || e.attr("role") == Some("main")
        }))
        .or_else(|| {
            root.descendants()
                .find(element_is(|e| e.name() == "div" && has_class(e, &["body"])))
        })
}

/// True when `node` (an element) is page furniture: `nav`, `aside`, a copy button, a
/// page-level `header` or `footer`, a furniture landmark role, or a generator's sidebar,
/// navigation container or toggle.
pub(super) fn is_furniture(node: NodeRef<'_, Node>, element: &Element) -> bool {
    match element.name() {
        "nav" | "aside" => return true,
        "button" if is_copy_button(element) => return true,
        "header" | "footer" if is_page_level(node) => return true,
        _ => {}
    }
    element
        .attr("role")
        .is_some_and(|role| FURNITURE_ROLES.contains(&role))
        || has_class(element, FURNITURE_CLASSES)
}

/// A button that copies (rustdoc's "Copy item path", the copy-to-clipboard buttons of code
/// blocks in MkDocs, Docusaurus and Sphinx): a control, never text. Other buttons may hold the
/// page's words (an accordion's question in a heading) and are read.
fn is_copy_button(element: &Element) -> bool {
    let copies = |text: &str| {
        let text = text.to_ascii_lowercase();
        text.contains("copy") || text.contains("clipboard")
    };
    element.id().is_some_and(copies)
        || element.classes().any(copies)
        || element.attr("title").is_some_and(copies)
        || element.attr("aria-label").is_some_and(copies)
}

/// True when `node` (an `a` element) is a heading's permalink: a permalink class, or an
/// in-page link showing only a permalink mark; either way its text is a mark, not words.
pub(super) fn is_permalink(node: NodeRef<'_, Node>, element: &Element) -> bool {
    if element.name() != "a" {
        return false;
    }
    let text: String = node
        .descendants()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect();
    let text = text.trim();
    let in_page = element.attr("href").is_some_and(|h| h.starts_with('#'));
    (has_class(element, PERMALINK_CLASSES) && text.chars().count() <= 2)
        || (in_page && PERMALINK_MARKS.contains(&text))
}

/// A `header` or `footer` is the page's (a banner or content information) unless it sits in
/// an article, a section, the main content or another landmark.
fn is_page_level(node: NodeRef<'_, Node>) -> bool {
    !node.ancestors().any(|a| {
        a.value().as_element().is_some_and(|e| {
            matches!(e.name(), "article" | "section" | "main" | "aside" | "nav")
                || e.attr("role") == Some("main")
        })
    })
}

fn has_class(element: &Element, classes: &[&str]) -> bool {
    element.classes().any(|c| classes.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn furniture(source: &str) -> Vec<String> {
        let html = Html::parse_document(source);
        html.tree
            .nodes()
            .filter_map(|n| {
                let e = n.value().as_element()?;
                is_furniture(n, e).then(|| e.attr("id").unwrap_or(e.name()).to_string())
            })
            .collect()
    }

    #[test]
    fn landmarks_and_generator_containers_are_furniture() {
        let page = "<body><header id=h></header><nav id=n></nav><div role=search id=s></div>\
            <div class='sphinxsidebar' id=side></div><article><header id=kept></header></article>\
            <div class='related' id=rel></div><p class=body id=p></p><footer id=f></footer>\
            <nav class=sidebar id=rust></nav><div class=sidebar id=docbook></div></body>";
        assert_eq!(furniture(page), ["h", "n", "s", "side", "rel", "f", "rust"]);
    }

    #[test]
    fn main_content_prefers_main_then_sphinx_body() {
        let html = Html::parse_document("<div class=body id=b></div><div role=main id=m></div>");
        let found = main_content(html.tree.root()).and_then(|n| n.value().as_element().cloned());
        assert_eq!(
            found.and_then(|e| e.attr("id").map(str::to_string)),
            Some("m".into())
        );
        let html = Html::parse_document("<div class=body id=b>x</div>");
        assert!(main_content(html.tree.root()).is_some());
        let html = Html::parse_document("<div id=b>x</div>");
        assert!(main_content(html.tree.root()).is_none());
    }

    #[test]
    fn permalink_marks_are_recognised() {
        let html = Html::parse_document(
            "<h2>Title<a class=headerlink href='#t'>¶</a></h2><a href='#x'>#</a>\
             <a href='#y'>See this</a><a class=anchor href='/z'>A longer link</a>",
        );
        let marks: Vec<bool> = html
            .tree
            .nodes()
            .filter_map(|n| n.value().as_element().map(|e| (n, e)))
            .filter(|(_, e)| e.name() == "a")
            .map(|(n, e)| is_permalink(n, e))
            .collect();
        assert_eq!(marks, [true, true, false, false]);
    }
}
