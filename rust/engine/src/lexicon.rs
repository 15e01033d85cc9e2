//! The candidate sources together: several thesaurus tables, one per source (Moby, MyThes,
//! WordNet, GloVe neighbours, closed-class groups, form rules), merged at look-up.
//!
//! Each source is a [`Thesaurus`] table (observed form -> candidate originals, best first). An
//! evaluation leaves a source out simply by not loading its table, so a figure can be measured
//! on substitutions the detector did not draw its candidates from.

use crate::thesaurus::Thesaurus;

/// A candidate original with the largest closeness its sources give.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// The original's words joined with single spaces.
    pub phrase: String,
    /// The largest closeness any source gives the pair.
    pub closeness: f64,
}

/// Named candidate tables, in a fixed order (the order merges follow).
#[derive(Debug, Default)]
pub struct Lexicon {
    sources: Vec<(String, Thesaurus)>,
    max_words: usize,
}

impl Lexicon {
    /// A lexicon of these named tables.
    pub fn new(sources: Vec<(String, Thesaurus)>) -> Lexicon {
        let max_words = sources
            .iter()
            .map(|(_, table)| table.max_words())
            .max()
            .unwrap_or(1);
        Lexicon { sources, max_words }
    }

    /// Whether any source has `observed` as an observed form.
    pub fn contains(&self, observed: &str) -> bool {
        self.sources
            .iter()
            .any(|(_, table)| table.contains(observed))
    }

    /// Whether `phrase` is a proper word prefix of a multi-word form of any source.
    pub fn is_prefix(&self, phrase: &str) -> bool {
        self.sources
            .iter()
            .any(|(_, table)| table.is_prefix(phrase))
    }

    /// The most words in one observed form of any source.
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    /// The candidates of `observed`: the best `per_source` of each source, merged rank by rank
    /// (every source's first, then every source's second...), each phrase once with the largest
    /// closeness any of them gives it.
    pub fn candidates(&self, observed: &str, per_source: usize) -> Vec<Listed> {
        let lists: Vec<Vec<(&str, f64)>> = self
            .sources
            .iter()
            .map(|(_, table)| {
                table
                    .candidates(observed)
                    .take(per_source)
                    .map(|candidate| (candidate.phrase, candidate.closeness))
                    .collect()
            })
            .collect();
        let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
        let mut merged: Vec<Listed> = Vec::new();
        for rank in 0..longest {
            for list in &lists {
                let Some(&(phrase, closeness)) = list.get(rank) else {
                    continue;
                };
                match merged.iter_mut().find(|listed| listed.phrase == phrase) {
                    Some(listed) => listed.closeness = listed.closeness.max(closeness),
                    None => merged.push(Listed {
                        phrase: phrase.to_owned(),
                        closeness,
                    }),
                }
            }
        }
        merged
    }

    /// Whether any source lists `original` for `observed` (at any rank).
    pub fn lists(&self, observed: &str, original: &str) -> bool {
        self.sources.iter().any(|(_, table)| {
            table
                .candidates(observed)
                .any(|candidate| candidate.phrase == original)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn table(lines: &str) -> Thesaurus {
        let dir = std::env::temp_dir().join(format!(
            "spindetect-lexicon-{}-{}",
            std::process::id(),
            lines.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.tsv.gz");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(lines.as_bytes()).unwrap();
        std::fs::write(&path, encoder.finish().unwrap()).unwrap();
        Thesaurus::from_tsv_gz(&path).unwrap()
    }

    #[test]
    fn merges_rank_by_rank_and_keeps_each_phrase_once() {
        let first = table("navy\tmilitary\t0.2\tfleet\t0.5\n");
        let second = table("navy\tnaval\t0.9\tmilitary\t0.6\tarmy\t0.3\nnavy blue\tblue\t0.1\n");
        let lexicon = Lexicon::new(vec![("a".to_owned(), first), ("b".to_owned(), second)]);
        let merged = lexicon.candidates("navy", 10);
        let phrases: Vec<&str> = merged.iter().map(|l| l.phrase.as_str()).collect();
        assert_eq!(phrases, ["military", "naval", "fleet", "army"]);
        assert!((merged[0].closeness - 0.6).abs() < 1e-12);
        assert_eq!(lexicon.candidates("navy", 1).len(), 2);
        assert!(lexicon.is_prefix("navy"));
        assert_eq!(lexicon.max_words(), 2);
        assert!(lexicon.lists("navy", "army"));
        assert!(!lexicon.lists("army", "navy"));
    }
}
