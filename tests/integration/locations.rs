//! Hits point to the right place: HTML main content (page furniture left out, or kept with
//! `--whole-html`), permalink marks, `<pre>` lines and table rows, and the line and byte offset
//! of HTML elements and Markdown list items.

use crate::util::*;

/// A page shaped like Sphinx's (the Python documentation's).
const SPHINX_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>os — interfaces</title></head>\n<body>\n\
<div class=\"related\" role=\"navigation\"><h3>Navigation</h3><ul><li><a href=\"index.html\">quokkaindex</a></li></ul></div>\n\
<div class=\"document\"><div class=\"documentwrapper\"><div class=\"bodywrapper\">\n\
<div class=\"body\" role=\"main\">\n\
<section id=\"files\">\n<h1>Files and pinnipeds<a class=\"headerlink\" href=\"#files\" title=\"Permalink\">¶</a></h1>\n\
<p>Open a walrus file.</p>\n\
<dl class=\"py function\">\n<dt class=\"sig sig-object py\" id=\"os.open\">\n\
<span class=\"sig-prename\">os.</span><span class=\"sig-name\">open</span>(<em>narwhal</em>)<a class=\"headerlink\" href=\"#os.open\">¶</a></dt>\n\
<dd><p>Open the narwhal.</p>\n\
<div class=\"highlight\"><pre><span></span><span class=\"n\">fd</span> = os.open(<span class=\"s\">'beluga'</span>)\n    os.close(fd)\n</pre></div>\n\
</dd></dl>\n\
<table class=\"docutils\">\n<thead><tr><th>Flag</th><th>Meaning</th></tr></thead>\n<tbody>\n\
<tr><td><p>O_RDONLY</p></td>\n<td><p>read only, for a dugong</p></td></tr>\n</tbody></table>\n\
</section>\n</div></div></div>\n\
<div class=\"sphinxsidebar\" role=\"navigation\"><div class=\"sphinxsidebarwrapper\"><h3>This page</h3>\n\
<ul><li><a href=\"https://bugs.example/\">Report a Bug</a></li><li>quokkasidebar</li></ul></div></div>\n\
</div>\n<div class=\"footer\">© Copyright quokkafooter.</div>\n</body></html>\n";

/// The one hit of `query`, checked to be one.
fn only_hit(env: &Env, query: &str) -> HitRecord {
    let (mut hits, _, status) = env.search_json(query, &[]);
    assert_eq!((status, hits.len()), (0, 1), "{query}: {hits:?}");
    hits.remove(0)
}

/// The 1-based line of byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> u64 {
    text[..offset].matches('\n').count() as u64 + 1
}

/// Checks that `hit` starts at the first `tag` after `after` in `source`.
fn starts_at(hit: &HitRecord, source: &str, tag: &str, after: &str) {
    let from = source.find(after).expect("anchor in the page");
    let at = from + source[from..].find(tag).expect("tag in the page");
    assert_eq!(hit.byte_offset as usize, at, "{hit:?}");
    assert_eq!(hit.line, line_of(source, at), "{hit:?}");
}

#[test]
fn sphinx_furniture_is_not_indexed_but_the_body_is() {
    let env = Env::new();
    env.write("docs/os.html", SPHINX_PAGE);
    env.cmd(&["ingest", "docs"]).assert().success();
    for furniture in [
        "quokkaindex",
        "quokkasidebar",
        "quokkafooter",
        "\"report a bug\"",
    ] {
        assert_eq!(
            env.run(&["search", furniture]).status.code(),
            Some(1),
            "{furniture}"
        );
    }
    for body in ["walrus", "narwhal", "beluga", "dugong"] {
        assert_eq!(env.run(&["search", body]).status.code(), Some(0), "{body}");
    }
    let heading = only_hit(&env, "pinnipeds");
    assert_eq!(heading.text, "Files and pinnipeds");
    assert!(!heading.text.contains('¶'));
}

#[test]
fn pre_keeps_lines_and_a_table_row_is_one_tab_separated_hit() {
    let env = Env::new();
    env.write("docs/os.html", SPHINX_PAGE);
    env.cmd(&["ingest", "docs"]).assert().success();
    let code = only_hit(&env, "beluga");
    assert_eq!(code.text, "fd = os.open('beluga')\n    os.close(fd)");
    starts_at(&code, SPHINX_PAGE, "<pre>", "");
    let row = only_hit(&env, "dugong");
    assert_eq!(row.text, "O_RDONLY\tread only, for a dugong");
    starts_at(&row, SPHINX_PAGE, "<tr>", "<tbody>");
}

#[test]
fn a_signature_and_a_code_block_report_their_own_lines() {
    let env = Env::new();
    env.write("docs/os.html", SPHINX_PAGE);
    env.cmd(&["ingest", "docs"]).assert().success();
    let (hits, _, _) = env.search_json("narwhal", &[]);
    let signature = hits
        .iter()
        .find(|h| h.text == "os.open(narwhal)")
        .expect("the signature is a hit");
    starts_at(signature, SPHINX_PAGE, "<dt ", "");
    let description = hits
        .iter()
        .find(|h| h.text == "Open the narwhal.")
        .expect("the description is a hit");
    starts_at(description, SPHINX_PAGE, "<p>", "<dd>");
    let paragraph = only_hit(&env, "\"walrus file\"");
    starts_at(&paragraph, SPHINX_PAGE, "<p>", "");
}

#[test]
fn whole_html_keeps_the_navigation_and_reingests_on_a_change_of_setting() {
    let env = Env::new();
    env.write("docs/os.html", SPHINX_PAGE);
    env.cmd(&["ingest", "docs"]).assert().success();
    assert_eq!(env.run(&["search", "quokkasidebar"]).status.code(), Some(1));
    let (records, status) = env.records(&["ingest", "--json", "--whole-html", "docs"]);
    assert_eq!(status, 0);
    let Some(Record::Ingest(report)) = records.last() else {
        panic!("{records:?}");
    };
    assert_eq!((report.updated, report.unchanged), (1, 0));
    for furniture in [
        "quokkaindex",
        "quokkasidebar",
        "quokkafooter",
        "\"report a bug\"",
    ] {
        assert_eq!(
            env.run(&["search", furniture]).status.code(),
            Some(0),
            "{furniture}"
        );
    }
    assert!(!only_hit(&env, "pinnipeds").text.contains('¶'));
    // The same setting again leaves the file alone; the default reads it again.
    let output = env.run(&["ingest", "--whole-html", "docs"]);
    assert!(
        stderr(&output).contains("1 unchanged"),
        "{}",
        stderr(&output)
    );
    env.cmd(&["ingest", "docs"]).assert().success();
    assert_eq!(env.run(&["search", "quokkasidebar"]).status.code(), Some(1));
    // Refresh reads the directory as it was last ingested, not the first way.
    let refreshed = env.run(&["refresh"]);
    assert!(
        stderr(&refreshed).contains("0 updated"),
        "{}",
        stderr(&refreshed)
    );
    assert_eq!(env.run(&["search", "quokkasidebar"]).status.code(), Some(1));
    env.cmd(&["ingest", "--whole-html", "docs"])
        .assert()
        .success();
    env.cmd(&["refresh"]).assert().success();
    assert_eq!(env.run(&["search", "quokkasidebar"]).status.code(), Some(0));
}

/// A page ingested by name with the other setting than its directory's is read that way by
/// `refresh` too, and left alone while unchanged.
#[test]
fn refresh_reads_a_page_as_it_was_last_ingested_not_as_its_directory() {
    let env = Env::new();
    let page =
        "<html><body><nav>navword giraffe</nav><main><p>main okapi</p></main></body></html>\n";
    env.write("site/p.html", page);
    env.write("site/q.html", page);
    env.cmd(&["ingest", "site"]).assert().success();
    env.cmd(&["ingest", "--whole-html", "site/p.html"])
        .assert()
        .success();
    let whole = |env: &Env| stdout(&env.run(&["search", "-l", "giraffe"]));
    assert_eq!(whole(&env), "site/p.html\n");
    env.write("site/q.html", page.replace("okapi", "okapi, edited"));
    let refreshed = env.run(&["refresh"]);
    assert!(
        stderr(&refreshed).contains("(0 added, 1 updated, 0 removed, 1 unchanged)"),
        "{}",
        stderr(&refreshed)
    );
    assert_eq!(whole(&env), "site/p.html\n");
    // A new page in a directory of its own, ingested whole, beside one that is not: each read
    // as its directory was.
    env.write("wide/w.html", page);
    env.cmd(&["ingest", "--whole-html", "wide"])
        .assert()
        .success();
    env.write("site/new.html", page);
    env.write("wide/new.html", page);
    env.cmd(&["refresh"]).assert().success();
    let mut found: Vec<String> = whole(&env).lines().map(String::from).collect();
    found.sort();
    assert_eq!(found, ["site/p.html", "wide/new.html", "wide/w.html"]);
}

#[test]
fn nested_markdown_lists_give_the_parent_first_each_at_its_marker() {
    let env = Env::new();
    let source = "# Options\n\nIntro.\n\n* `flags` walrus parent\n  * `r` walrus child\n    * `+` walrus grandchild\n  * `w` walrus second child\n* walrus sibling\n";
    env.write("notes/list.md", source);
    env.cmd(&["ingest", "notes"]).assert().success();
    let (hits, _, _) = env.search_json("walrus", &["--sort", "path"]);
    let got: Vec<(&str, u64)> = hits.iter().map(|h| (h.text.as_str(), h.line)).collect();
    assert_eq!(
        got,
        [
            ("* `flags` walrus parent", 5),
            ("* `r` walrus child", 6),
            ("* `+` walrus grandchild", 7),
            ("* `w` walrus second child", 8),
            ("* walrus sibling", 9),
        ]
    );
    for hit in &hits {
        let at = hit.byte_offset as usize;
        assert_eq!(&source[at..at + hit.text.len()], hit.text);
        assert_eq!(hit.line, line_of(source, at));
    }
}
