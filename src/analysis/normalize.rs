//! Normalising one word: Unicode lowercasing, diacritics and compatibility forms folded,
//! typographic apostrophes read as `'`, dotted acronyms closed up (`U.S` → `us`) and English
//! possessives dropped (`Beijing’s` → `beijing`). A word ending in `s` before an apostrophe
//! (`Beijings'`, `James’`, or a quoted `‘apples’`) keeps its form and also gets the form without
//! the `s` ([`plural_possessive`]), indexed at the same position.

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

/// True for the characters read as an apostrophe.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}')
}

/// True for combining diacritical marks, which folding removes: Latin and other scripts'
/// accents, and the vowel signs and reading marks that Arabic (harakat, Quranic annotation) and
/// Hebrew (niqqud, cantillation) text mostly leaves out, and Arabic's tatweel (a stretching
/// stroke, not a mark), so that vocalised, stretched and plain spellings are one word. Other combining marks (such as the Japanese voicing marks, or the vowel signs
/// of Indic scripts, which are letters of the word) carry meaning and are kept.
fn is_diacritic(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
        // Hebrew: cantillation marks and niqqud (not the maqaf, sof pasuq or letters).
        | '\u{0591}'..='\u{05BD}'
        | '\u{05BF}'
        | '\u{05C1}'..='\u{05C2}'
        | '\u{05C4}'..='\u{05C5}'
        | '\u{05C7}'
        // Arabic: Quranic signs, harakat (fatha, damma, kasra, tanwin, shadda, sukun, ...),
        // the superscript alef, and the small high and low Quranic marks.
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}'
        | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        // The tatweel, which stretches a word for justification or emphasis (`عــربي`).
        | '\u{0640}')
}

/// True for a zero-width non-joiner or joiner between two letters (or a letter's marks): part
/// of how the word is written (Persian `کتاب‌ها`, the conjuncts of Indic scripts), shown and
/// suggested as it is, though folding drops it from the word's term like any format character.
pub(crate) fn is_joiner_in_word(before: Option<char>, c: char, after: Option<char>) -> bool {
    let letter = |c: Option<char>| {
        c.is_some_and(|c| c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c))
    };
    matches!(c, '\u{200C}' | '\u{200D}') && letter(before) && letter(after)
}

/// True for the invisible format characters (Unicode's general category Cf: the soft hyphen,
/// zero-width joiners and non-joiners, directional marks, bidi controls, the word joiner, the
/// byte-order mark and the rest). Word boundaries let them inside a word (`inter\u{AD}national`,
/// `override\u{202C}`), where folding drops them, so such a word is found as it reads.
pub(crate) fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'
        | '\u{0600}'..='\u{0605}'
        | '\u{061C}'
        | '\u{06DD}'
        | '\u{070F}'
        | '\u{0890}'..='\u{0891}'
        | '\u{08E2}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{110BD}'
        | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}'
        | '\u{E0020}'..='\u{E007F}')
}

/// True for the variation selectors, which ask for a variant glyph of the character before them
/// (an emoji's colour form, an ideograph's variant in a name, a Mongolian letter's form): the
/// same character to a reader, so folding drops them.
pub(crate) fn is_variation_selector(c: char) -> bool {
    matches!(c,
        '\u{FE00}'..='\u{FE0F}'
        | '\u{E0100}'..='\u{E01EF}'
        | '\u{180B}'..='\u{180D}'
        | '\u{180F}')
}

/// Letters that carry no decomposable diacritic but are folded all the same; and the Greek final
/// sigma, which lower-casing a character at a time never gives (`Σ` becomes `σ`), folded to `σ`
/// as Unicode's case folding does, so `ΟΔΟΣ` finds `οδος`.
fn fold_letter(c: char, out: &mut String) -> bool {
    let folded = match c {
        'ς' => "σ",
        'ß' | 'ẞ' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        _ => return false,
    };
    out.push_str(folded);
    true
}

/// True for the symbols (not letters or digits already: `Ⓐ` and `①` are) in the blocks that
/// hold letter-like ones, whose compatibility form may be letters or digits: letterlike
/// symbols (`℃`, `№`), enclosed alphanumerics (`⒜`), enclosed CJK letters and CJK
/// compatibility (`㎏`, `㍿`), the enclosed alphanumeric supplement (`🄐`); not the trade marks
/// `™` and `℠`, which follow a word and are no word of their own.
pub(crate) fn is_letterlike_symbol(c: char) -> bool {
    matches!(c,
        '\u{2100}'..='\u{214F}'
        | '\u{2460}'..='\u{24FF}'
        | '\u{3200}'..='\u{33FF}'
        | '\u{1F100}'..='\u{1F1FF}')
        && !matches!(c, '\u{2122}' | '\u{2120}')
        && !c.is_alphanumeric()
}

/// Folds `text` (case, compatibility forms, diacritics, apostrophes) into `out` (cleared first).
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
        return;
    }
    // ASCII but for typographic apostrophes (`Pyongyang’s`, common in edited prose), Latin-1
    // letters (`Malmö`, `café`) and characters folding leaves as they are (CJK bigrams):
    // folded a character at a time, without decomposing and recomposing the text.
    if text
        .chars()
        .all(|c| c.is_ascii() || is_apostrophe(c) || latin1_fold(c).is_some() || folds_to_itself(c))
    {
        for c in text.chars() {
            match latin1_fold(c) {
                _ if c.is_ascii() => out.push(c.to_ascii_lowercase()),
                _ if is_apostrophe(c) => out.push('\''),
                Some(folded) => out.push_str(folded),
                None => out.push(c),
            }
        }
        return;
    }
    fold_general(text, out);
}

/// The folding of a Latin-1 letter or sign (U+00C0 to U+00FF: `é` → `e`, `ß` → `ss`), worked
/// out once by the general folding. Each folds to letters without combining marks (`×` and `÷`
/// to themselves), so folding them one at a time gives what folding the whole text gives.
fn latin1_fold(c: char) -> Option<&'static str> {
    static FOLDS: OnceLock<Vec<String>> = OnceLock::new();
    let index = usize::try_from(u32::from(c).checked_sub(0xC0)?).ok()?;
    let folds = FOLDS.get_or_init(|| {
        (0xC0..=0xFF_u8)
            .map(|byte| {
                let mut folded = String::new();
                fold_general(&char::from(byte).to_string(), &mut folded);
                folded
            })
            .collect()
    });
    folds.get(index).map(String::as_str)
}

/// True for characters folding gives back unchanged, alone or beside one another: CJK unified
/// ideographs (the main block and extension A), Hangul syllables and the letters of hiragana
/// and katakana (a voiced one decomposes and recomposes to itself). Checked against the general
/// folding for every one of them.
fn folds_to_itself(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30A1}'..='\u{30FA}')
}

/// [`fold_into`] for any text, by decomposition: format characters and variation selectors
/// dropped, apostrophes read as `'`, compatibility decomposition, diacritics dropped, lower
/// case, letters folded, recomposition.
fn fold_general(text: &str, out: &mut String) {
    let mut decomposed = String::with_capacity(text.len());
    for c in text.chars() {
        if is_format(c) || is_variation_selector(c) {
            continue;
        }
        if is_apostrophe(c) {
            decomposed.push('\'');
            continue;
        }
        // A letter-like symbol is the letters and digits of its compatibility form (`℃` is
        // `°C`: `c`, as the words of `°C` are; `㏘` is `p.m.`: `pm`).
        let symbol = is_letterlike_symbol(c);
        for d in std::iter::once(c).nfkd() {
            if is_diacritic(d) || (symbol && !d.is_alphanumeric()) {
                continue;
            }
            for lower in d.to_lowercase() {
                if !fold_letter(lower, &mut decomposed) {
                    decomposed.push(lower);
                }
            }
        }
    }
    // Recompose what folding left decomposed (Hangul syllables, kana with voicing marks).
    out.extend(decomposed.nfc());
}

/// True when `word` is single letters joined by dots, such as `U.S` or `D.C` (the final dot, if
/// any, lies outside the word by Unicode word rules).
fn is_dotted_acronym(word: &str) -> bool {
    let mut parts = word.split('.');
    let single_letter = |p: &str| {
        let mut chars = p.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
    };
    word.contains('.') && parts.all(single_letter)
}

/// The second form of a normalised word that ends in `s` before an apostrophe (`beijings` →
/// `beijing`), if it has one: not for `ss` endings (`‘progress’`, `boss'`) nor one letter.
pub fn plural_possessive(normalized: &str) -> Option<&str> {
    let stem = normalized.strip_suffix('s')?;
    (!stem.is_empty() && !stem.ends_with('s') && !stem.ends_with('\'')).then_some(stem)
}

/// Writes the normalised form of one word into `out` (cleared first).
pub fn normalize_word(word: &str, out: &mut String) {
    fold_into(word, out);
    // Most words have neither dots nor apostrophes: nothing more to do.
    if !out.bytes().any(|b| b == b'.' || b == b'\'') {
        return;
    }
    if is_dotted_acronym(out) {
        out.retain(|c| c != '.');
        return;
    }
    if out.ends_with("'s") {
        out.truncate(out.len() - 2);
    }
    let trimmed = out.trim_matches('\'');
    if trimmed.len() != out.len() {
        *out = trimmed.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What one of this module's functions writes for `text`.
    fn written(write: fn(&str, &mut String), text: &str) -> String {
        let mut out = String::new();
        write(text, &mut out);
        out
    }

    /// The general folding, for comparison with the fast paths.
    fn folded_slowly(text: &str) -> String {
        written(fold_general, text)
    }

    #[test]
    fn format_characters_inside_a_word_are_dropped() {
        for (word, folded) in [
            ("inter\u{AD}national", "international"),
            ("override\u{202C}", "override"),
            ("\u{200E}Law\u{200F}", "law"),
            ("Inter\u{2060}na\u{FEFF}tional", "international"),
            ("caf\u{E9}\u{AD}s", "cafes"),
        ] {
            assert_eq!(written(normalize_word, word), folded, "{word:?}");
        }
        // Every one of them is invisible: none is a letter, a digit or a mark folding keeps.
        for c in (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_format(c))
        {
            assert!(!c.is_alphanumeric() && !c.is_whitespace(), "{c:?}");
        }
    }

    #[test]
    fn latin1_folds_have_no_combining_marks() {
        for byte in 0xC0..=0xFF_u8 {
            let c = char::from(byte);
            let folded = latin1_fold(c).unwrap_or_default();
            assert_eq!(folded, folded_slowly(&c.to_string()));
            assert!(
                folded
                    .chars()
                    .all(|f| f.is_alphanumeric() || "×÷".contains(f)),
                "{c} -> {folded:?}"
            );
            assert!(folded.nfc().eq(folded.chars()), "{c}");
        }
        assert_eq!(latin1_fold('é'), Some("e"));
        assert_eq!(latin1_fold('ß'), Some("ss"));
        assert_eq!(latin1_fold('\u{bf}'), None);
        assert_eq!(latin1_fold('\u{100}'), None);
    }

    #[test]
    fn characters_said_to_fold_to_themselves_do() {
        let ranges = [
            '\u{4E00}'..='\u{9FFF}',
            '\u{3400}'..='\u{4DBF}',
            '\u{AC00}'..='\u{D7A3}',
            '\u{3041}'..='\u{3096}',
            '\u{30A1}'..='\u{30FA}',
        ];
        let mut checked = 0;
        for c in ranges.into_iter().flatten() {
            assert!(folds_to_itself(c));
            // Alone, and after itself, a Hangul syllable and a voiced kana.
            for text in [c.to_string(), format!("{c}{c}"), format!("각{c}が")] {
                assert_eq!(folded_slowly(&text), text, "{:X}", u32::from(c));
            }
            checked += 1;
        }
        assert_eq!(checked, 20_992 + 6_592 + 11_172 + 86 + 90);
        for c in [
            '\u{3099}', '\u{309B}', '\u{309F}', '\u{30FF}', '\u{F900}', '\u{1100}', '\u{FF76}',
        ] {
            assert!(!folds_to_itself(c), "{:X}", u32::from(c));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_fast_paths_fold_as_the_general_one(text in "[a-zA-Z0-9'’‘ʼ＇é.\u{c0}-\u{ff}\u{301}\u{308}中国한국かがカガ\u{3099}\u{309B}\u{11A8}\u{1100}\u{FF76}]{0,12}") {
            proptest::prop_assert_eq!(written(fold_into, &text), folded_slowly(&text));
        }
    }

    fn norm(word: &str) -> String {
        written(normalize_word, word)
    }

    #[test]
    fn case_and_diacritics_fold() {
        assert_eq!(norm("Malmö"), "malmo");
        // Arabic harakat and Hebrew niqqud fold away; Devanagari vowel signs are letters.
        assert_eq!(norm("كَتَبَ"), "كتب");
        assert_eq!(norm("الدرسَ"), "الدرس");
        assert_eq!(norm("שָׁלוֹם"), "שלום");
        assert_eq!(norm("हिन्दी"), "हिन्दी");
        assert_eq!(norm("café"), "cafe");
        assert_eq!(norm("CAFÉ"), "cafe");
        assert_eq!(norm("Ångström"), "angstrom");
        assert_eq!(norm("Straße"), "strasse");
        assert_eq!(norm("Œuvre"), "oeuvre");
        assert_eq!(norm("København"), "kobenhavn");
        assert_eq!(norm("naïve"), "naive");
        // Greek: the final sigma as the capital folds, and accents dropped.
        assert_eq!(norm("ΟΔΟΣ"), "οδοσ");
        assert_eq!(norm("οδος"), "οδοσ");
        assert_eq!(norm("Οδός"), "οδοσ");
    }

    #[test]
    fn compatibility_forms_fold() {
        assert_eq!(norm("ＡＢＣ"), "abc");
        assert_eq!(norm("１９５３"), "1953");
        assert_eq!(norm("ﬁnance"), "finance");
        assert_eq!(norm("ﬂow"), "flow");
    }

    #[test]
    fn possessives_with_any_apostrophe_drop() {
        for word in [
            "Beijing’s",
            "Beijing's",
            "BEIJING\u{02BC}S",
            "Beijing＇s",
            "Beijing‘s",
        ] {
            assert_eq!(norm(word), "beijing", "{word}");
        }
        assert_eq!(plural_possessive(&norm("Beijings")), Some("beijing"));
        assert_eq!(plural_possessive("james"), Some("jame"));
        assert_eq!(plural_possessive("progress"), None);
        assert_eq!(plural_possessive("s"), None);
        assert_eq!(norm("don’t"), "don't");
    }

    #[test]
    fn dotted_acronyms_close_up() {
        assert_eq!(norm("U.S"), "us");
        assert_eq!(norm("D.C"), "dc");
        assert_eq!(norm("e.g"), "eg");
        assert_eq!(norm("3.14"), "3.14");
        assert_eq!(norm("example.com"), "example.com");
    }

    #[test]
    fn hangul_and_kana_survive_folding() {
        assert_eq!(norm("한국은"), "한국은");
        assert_eq!(norm("がっこう"), "がっこう");
        assert_eq!(norm("ｶﾞｯｺｳ"), "ガッコウ");
    }
}
