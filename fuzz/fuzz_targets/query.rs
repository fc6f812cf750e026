//! Query parsing (normal, `--any` and literal) and analysis: any input parses or fails cleanly.
#![no_main]
use libfuzzer_sys::fuzz_target;
use parafind::analysis::Analysis;
use parafind::query::{self, AnalyzeOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut analysis = Analysis::new();
    for any in [false, true] {
        for parsed in [
            query::parse_with(text, any),
            query::parse_literal(text, any),
        ] {
            if let Ok(parsed) = parsed {
                if let Ok((rest, _globs)) = query::split_path_filters(text, parsed) {
                    if let Some(rest) = rest {
                        let options = AnalyzeOptions {
                            exact: any,
                            split_words: any,
                            drop_stop_words: any,
                        };
                        let _ = query::analyze(text, &rest, &mut analysis, options);
                    }
                }
            } else if let Err(err) = parsed {
                assert!(
                    !err.to_string().contains('\n'),
                    "error messages are one line"
                );
            }
        }
    }
});
