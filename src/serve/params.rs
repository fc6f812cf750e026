//! The query-string parameters of the API, checked against its limits: each one means what the
//! `search` (or `show`) flag of the same name means, and anything else is refused with a
//! message naming the parameter. Parsing is `form_urlencoded`'s; nothing here reads a file.

use std::path::PathBuf;

use base64::Engine;
use parafind::search::{PathFilter, SortOrder};
use parafind::SearchConfig;

/// The longest query (`q`), in bytes.
pub const MAX_QUERY_BYTES: usize = 8 * 1024;
/// The most hits one query may ask for (`n`, and a batch line's `limit`).
pub const MAX_HITS: u64 = 1000;
/// The furthest a page may start (`offset`).
pub const MAX_OFFSET: u64 = 100_000;
/// The most neighbouring paragraphs on each side (`context`, `before`, `after`).
pub const MAX_CONTEXT: u64 = 50;
/// The bounds of `max_chars`, as for `search --max-chars`.
const MAX_CHARS: (u64, u64) = (10, 1_000_000);
/// Hits per query when `n` is not given.
const DEFAULT_HITS: u64 = 10;

/// How to answer `/search` (and every line of `/batch`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchParams {
    /// `q`: the query (not given to `/batch`, whose lines are the queries).
    pub query: String,
    /// `n`: hits per query.
    pub limit: u64,
    /// `offset`: hits skipped first.
    pub offset: u64,
    /// `exact`: as `--exact`.
    pub exact: bool,
    /// `any`: as `--any`.
    pub any: bool,
    /// `literal`: as `--literal`.
    pub literal: bool,
    /// `case`: as `--case-sensitive`.
    pub case_sensitive: bool,
    /// `sort`: `score` or `path`.
    pub sort: SortOrder,
    /// `path` (repeatable): globs, as `--path`.
    pub globs: Vec<String>,
    /// `type` (repeatable): file types, as `--type`.
    pub types: Vec<String>,
    /// `context`, `before`, `after`: neighbouring paragraphs before and after each hit.
    pub context: (usize, usize),
    /// `max_chars`: each hit also gets its `snippets` of about this many characters.
    pub max_chars: Option<usize>,
}

impl SearchParams {
    /// The library's configuration for these parameters, without the query (a batch runner
    /// takes each job's); relative globs are taken from `base`.
    pub fn config(&self, base: Option<PathBuf>) -> Result<SearchConfig, String> {
        let mut config = SearchConfig::new(String::new(), self.limit as usize);
        config.offset = self.offset as usize;
        config.exact = self.exact;
        config.any = self.any;
        config.literal = self.literal;
        config.case_sensitive = self.case_sensitive;
        config.sort = self.sort;
        (config.context_before, config.context_after) = self.context;
        config.paths = match (self.globs.as_slice(), self.types.as_slice()) {
            ([], []) => None,
            (globs, types) => Some(
                PathFilter::with_types(globs, types, base.clone())
                    .map_err(|err| format!("parameter `path` or `type`: {err}"))?,
            ),
        };
        config.base = base;
        Ok(config)
    }
}

/// Where `/show` looks, and how much around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowParams {
    /// `path` (as a hit's `path`), or `path_bytes` (a hit's base64 `path_bytes`).
    pub path: PathBuf,
    /// `paragraph`: its number.
    pub paragraph: u64,
    /// `context`, `before`, `after`.
    pub context: (usize, usize),
}

/// The parameters of a query string, in order, as `(name, value)`.
fn pairs(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// Refuses a parameter given twice that may be given once.
fn once(seen: &mut Vec<String>, name: &str) -> Result<(), String> {
    if seen.iter().any(|s| s == name) {
        return Err(format!("parameter `{name}` is given more than once"));
    }
    seen.push(name.to_string());
    Ok(())
}

fn boolean(name: &str, value: &str) -> Result<bool, String> {
    match value {
        "" | "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!(
            "parameter `{name}`: expected true or false (or 1 or 0), got {value:?}"
        )),
    }
}

fn number(name: &str, value: &str, (low, high): (u64, u64)) -> Result<u64, String> {
    match value.parse::<u64>() {
        Ok(n) if (low..=high).contains(&n) => Ok(n),
        // No upper bound to speak of (a paragraph's number).
        _ if high == u64::MAX => Err(format!(
            "parameter `{name}`: expected a whole number from {low}, got {value:?}"
        )),
        _ => Err(format!(
            "parameter `{name}`: expected a whole number from {low} to {high}, got {value:?}"
        )),
    }
}

/// Paragraphs before and after, from `context` and the `before`/`after` that win over it.
#[derive(Default)]
struct Around {
    context: Option<u64>,
    before: Option<u64>,
    after: Option<u64>,
}

impl Around {
    /// Takes `name` if it is one of the three.
    fn take(&mut self, name: &str, value: &str) -> Result<bool, String> {
        let slot = match name {
            "context" => &mut self.context,
            "before" => &mut self.before,
            "after" => &mut self.after,
            _ => return Ok(false),
        };
        *slot = Some(number(name, value, (0, MAX_CONTEXT))?);
        Ok(true)
    }

    fn counts(&self) -> (usize, usize) {
        let around = self.context.unwrap_or(0);
        (
            self.before.unwrap_or(around) as usize,
            self.after.unwrap_or(around) as usize,
        )
    }
}

/// The parameters of `/search` (`with_query`) or `/batch` (no `q`).
pub fn search(query: Option<&str>, with_query: bool) -> Result<SearchParams, String> {
    let mut params = SearchParams {
        query: String::new(),
        limit: DEFAULT_HITS,
        offset: 0,
        exact: false,
        any: false,
        literal: false,
        case_sensitive: false,
        sort: SortOrder::Score,
        globs: Vec::new(),
        types: Vec::new(),
        context: (0, 0),
        max_chars: None,
    };
    let mut seen = Vec::new();
    let mut around = Around::default();
    let mut has_query = false;
    for (name, value) in pairs(query) {
        let name = name.as_str();
        if !matches!(name, "path" | "type") {
            once(&mut seen, name)?;
        }
        match name {
            "q" if with_query => {
                if value.len() > MAX_QUERY_BYTES {
                    return Err(format!(
                        "parameter `q`: the query is {} bytes, over the limit of {MAX_QUERY_BYTES}",
                        value.len()
                    ));
                }
                params.query = value;
                has_query = true;
            }
            "n" => params.limit = number(name, &value, (1, MAX_HITS))?,
            "offset" => params.offset = number(name, &value, (0, MAX_OFFSET))?,
            "exact" => params.exact = boolean(name, &value)?,
            "any" => params.any = boolean(name, &value)?,
            "literal" => params.literal = boolean(name, &value)?,
            "case" => params.case_sensitive = boolean(name, &value)?,
            "sort" => {
                params.sort = match value.as_str() {
                    "score" => SortOrder::Score,
                    "path" => SortOrder::Path,
                    _ => {
                        return Err(format!(
                            "parameter `sort`: expected score or path, got {value:?}"
                        ))
                    }
                }
            }
            "path" => params.globs.push(value),
            "type" => params.types.push(value),
            "max_chars" => params.max_chars = Some(number(name, &value, MAX_CHARS)? as usize),
            _ if around.take(name, &value)? => {}
            "q" => return Err("parameter `q`: a batch's queries are the lines of its body".into()),
            _ => return Err(unknown(name)),
        }
    }
    if with_query && params.query.trim().is_empty() {
        let what = if has_query { "is empty" } else { "is missing" };
        return Err(format!("parameter `q` (the query) {what}"));
    }
    params.context = around.counts();
    Ok(params)
}

/// The parameters of `/show`.
pub fn show(query: Option<&str>) -> Result<ShowParams, String> {
    let mut seen = Vec::new();
    let mut around = Around::default();
    let (mut path, mut paragraph) = (None, None);
    for (name, value) in pairs(query) {
        once(&mut seen, &name)?;
        match name.as_str() {
            "path" => path = Some(PathBuf::from(value)),
            "path_bytes" => path = Some(path_from_base64(&value)?),
            "paragraph" => paragraph = Some(number(&name, &value, (1, u64::MAX))?),
            other if around.take(other, &value)? => {}
            other => return Err(unknown(other)),
        }
    }
    if seen.iter().any(|s| s == "path") && seen.iter().any(|s| s == "path_bytes") {
        return Err("give `path` or `path_bytes`, not both".into());
    }
    Ok(ShowParams {
        path: path
            .filter(|p| !p.as_os_str().is_empty())
            .ok_or("parameter `path` (a file of the index, as a hit's `path`) is missing")?,
        paragraph: paragraph.ok_or("parameter `paragraph` (its number, from 1) is missing")?,
        context: around.counts(),
    })
}

/// A path given as the base64 of its bytes (a hit's `path_bytes`, for paths not in UTF-8).
fn path_from_base64(value: &str) -> Result<PathBuf, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value)
        .map_err(|err| format!("parameter `path_bytes`: not base64 ({err})"))?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Ok(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    Ok(PathBuf::from(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Any parameter with no meaning for the request; no parameter is silently ignored.
fn unknown(name: &str) -> String {
    format!("unknown parameter `{name}` (see docs/http.md for the parameters)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search_with(query: &str) -> Result<SearchParams, String> {
        search(Some(query), true)
    }

    #[test]
    fn every_parameter_is_read_and_decoded() {
        let params = search_with(
            "q=%22nuclear+sharing%22&n=3&offset=20&exact=1&any=true&literal=0&case=&sort=path\
             &path=docs/*.md&path=!*.txt&type=md&context=1&after=4&max_chars=80",
        )
        .unwrap();
        assert_eq!(params.query, "\"nuclear sharing\"");
        assert_eq!((params.limit, params.offset), (3, 20));
        assert_eq!(
            (
                params.exact,
                params.any,
                params.literal,
                params.case_sensitive
            ),
            (true, true, false, true)
        );
        assert_eq!(params.sort, SortOrder::Path);
        assert_eq!(params.globs, ["docs/*.md", "!*.txt"]);
        assert_eq!(params.types, ["md"]);
        assert_eq!(params.context, (1, 4));
        assert_eq!(params.max_chars, Some(80));
        let config = params.config(None).unwrap();
        assert_eq!((config.limit, config.offset), (3, 20));
        assert!(config.paths.is_some());
    }

    #[test]
    fn limits_and_mistakes_are_refused_naming_the_parameter() {
        let error = |q: &str| search_with(q).unwrap_err();
        assert!(error("q=x&n=1001")
            .starts_with("parameter `n`: expected a whole number from 1 to 1000"));
        assert!(error("q=x&n=0").starts_with("parameter `n`"));
        assert!(error("q=x&offset=100001").starts_with("parameter `offset`"));
        assert!(error("q=x&context=51").starts_with("parameter `context`"));
        assert!(error("q=x&exact=maybe").starts_with("parameter `exact`: expected true or false"));
        assert!(error("q=x&sort=date").starts_with("parameter `sort`"));
        assert!(error("q=x&max_chars=5").starts_with("parameter `max_chars`"));
        assert_eq!(error("q=x&q=y"), "parameter `q` is given more than once");
        assert!(error("q=x&limit=3").starts_with("unknown parameter `limit`"));
        assert_eq!(error("n=3"), "parameter `q` (the query) is missing");
        assert_eq!(error("q=+"), "parameter `q` (the query) is empty");
        let long = format!("q={}", "a".repeat(MAX_QUERY_BYTES + 1));
        assert!(error(&long).contains("over the limit of 8192"));
        assert!(search_with(&format!("q={}", "a".repeat(MAX_QUERY_BYTES))).is_ok());
    }

    #[test]
    fn a_batch_takes_the_same_options_but_no_query() {
        let params = search(Some("n=2&exact=1"), false).unwrap();
        assert_eq!((params.limit, params.exact), (2, true));
        assert!(search(None, false).is_ok());
        assert!(search(Some("q=x"), false)
            .unwrap_err()
            .contains("lines of its body"));
    }

    #[test]
    fn show_needs_a_path_and_a_paragraph() {
        let params = show(Some("path=corpus/a.txt&paragraph=6&context=1&before=0")).unwrap();
        assert_eq!(params.path, PathBuf::from("corpus/a.txt"));
        assert_eq!((params.paragraph, params.context), (6, (0, 1)));
        assert!(show(Some("paragraph=6")).unwrap_err().contains("`path`"));
        assert!(show(Some("path=a")).unwrap_err().contains("`paragraph`"));
        assert_eq!(
            show(Some("path=a&paragraph=0")).unwrap_err(),
            "parameter `paragraph`: expected a whole number from 1, got \"0\""
        );
        assert!(show(Some("path=a&paragraph=1&q=x"))
            .unwrap_err()
            .contains("unknown parameter `q`"));
        assert!(show(Some("path=a&path_bytes=YQ==&paragraph=1"))
            .unwrap_err()
            .contains("not both"));
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let params = show(Some("path_bytes=Y2Fm6Q%3D%3D&paragraph=1")).unwrap();
            assert_eq!(params.path.as_os_str().as_bytes(), b"caf\xe9");
        }
    }
}
