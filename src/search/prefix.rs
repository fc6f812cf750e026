//! Prefix queries (`semicond*`): every term of a field that starts with the given bytes, walked
//! in the term dictionary by a byte automaton. A regular expression (`semicond.*`) gives the
//! same terms but builds a DFA for every query.

use tantivy::query::{AutomatonWeight, EnableScoring, Query, Weight};
use tantivy::schema::Field;
use tantivy_fst::Automaton;

/// Matches the terms of `field` that start with `prefix`; every match scores the same, as a
/// regular-expression query's would.
#[derive(Debug, Clone)]
pub struct PrefixQuery {
    field: Field,
    prefix: Vec<u8>,
}

impl PrefixQuery {
    /// The terms of `field` starting with `prefix`.
    pub fn new(field: Field, prefix: &str) -> PrefixQuery {
        PrefixQuery {
            field,
            prefix: prefix.as_bytes().to_vec(),
        }
    }
}

impl Query for PrefixQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::new(
            self.field,
            StartsWith(self.prefix.clone()),
        )))
    }
}

/// The automaton: its state is how many bytes of the prefix have been read, `None` once a byte
/// differs.
#[derive(Debug, Clone)]
struct StartsWith(Vec<u8>);

impl Automaton for StartsWith {
    type State = Option<usize>;

    fn start(&self) -> Option<usize> {
        Some(0)
    }

    fn is_match(&self, state: &Option<usize>) -> bool {
        *state == Some(self.0.len())
    }

    fn can_match(&self, state: &Option<usize>) -> bool {
        state.is_some()
    }

    fn will_always_match(&self, state: &Option<usize>) -> bool {
        self.is_match(state)
    }

    fn accept(&self, state: &Option<usize>, byte: u8) -> Option<usize> {
        let read = (*state)?;
        match self.0.get(read) {
            None => Some(read),
            Some(&expected) if expected == byte => Some(read + 1),
            Some(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(prefix: &str, term: &str) -> bool {
        let automaton = StartsWith(prefix.as_bytes().to_vec());
        let mut state = automaton.start();
        for &byte in term.as_bytes() {
            state = automaton.accept(&state, byte);
        }
        automaton.is_match(&state)
    }

    #[test]
    fn matches_exactly_the_terms_starting_with_the_prefix() {
        assert!(matches("semicond", "semiconductor"));
        assert!(matches("semicond", "semicond"));
        assert!(!matches("semicond", "semicon"));
        assert!(!matches("semicond", "asemicond"));
        assert!(matches("", "anything"));
        assert!(matches("café", "cafés"));
        assert!(!matches("café", "cafe"));
    }
}
