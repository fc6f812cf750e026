//! Analyzer throughput: parafind's analyzers against tantivy's `default` and `en_stem` analyzers
//! on the essay, on a 1 MB English text (the essay repeated) and on mixed-script text.
//!
//! Run with `cargo bench --bench analysis --features internals` (the analyzer is internal); criterion reports MB/s per analyzer.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use parafind::analysis;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, TokenStream,
};

const ESSAY: &str = include_str!("../corpus/us-korea-alliance.txt");
const MIXED: &str = "한국은 동맹국이다. 中国的经济发展很快。東京に行きます。\
    Die Brücke in Malmö ist schön. Un café crème à Paris. The U.S.–South Korea alliance’s 72-year-old treaty.\n";

fn count_tokens(analyzer: &mut TextAnalyzer, text: &str) -> usize {
    let mut stream = analyzer.token_stream(text);
    let mut n = 0;
    while stream.advance() {
        n += 1;
    }
    n
}

fn analyzers() -> Vec<(&'static str, TextAnalyzer)> {
    vec![
        ("parafind_stemmed", analysis::analyzer()),
        ("parafind_exact", analysis::exact_analyzer()),
        (
            "tantivy_default",
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .build(),
        ),
        (
            "tantivy_en_stem",
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .filter(Stemmer::new(Language::English))
                .build(),
        ),
    ]
}

fn bench_analyzers(c: &mut Criterion) {
    let large = ESSAY.repeat(200);
    // The same text in plain ASCII (typographic quotes and dashes replaced): the common case of
    // technical documentation, which takes the ASCII fast path for word boundaries.
    let ascii: String = large
        .chars()
        .map(|c| match c {
            '’' | '‘' => '\'',
            '“' | '”' => '"',
            c if c.is_ascii() => c,
            _ => '-',
        })
        .collect();
    let mixed = MIXED.repeat(500);
    let texts = [
        ("essay", ESSAY),
        ("essay_x200", large.as_str()),
        ("essay_x200_ascii", ascii.as_str()),
        ("mixed_script", mixed.as_str()),
    ];
    for (text_name, text) in texts {
        let mut group = c.benchmark_group(format!("analyze/{text_name}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        for (name, mut analyzer) in analyzers() {
            group.bench_function(BenchmarkId::from_parameter(name), |b| {
                b.iter(|| count_tokens(&mut analyzer, text))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench_analyzers);
criterion_main!(benches);
