//! The reversed thesaurus: for a word or phrase we observe, the originals a spinner may have
//! replaced, with their closeness, best first.
//!
//! Port of `spindetect.thesaurus`. Source data `thesaurus_reverse.tsv.gz`: gzip, UTF-8, one
//! line per observed form, `observed<TAB>candidate<TAB>closeness<TAB>candidate<TAB>closeness...`,
//! best candidate first (the last line wins for a form listed twice; a trailing candidate
//! without closeness is ignored, as in Python).
//!
//! Parsing the 16 MB of text takes longer than start-up allows, so the parsed index has a
//! compact binary form ([`table`] documents the layout): [`Thesaurus::write_table`] writes it,
//! [`Thesaurus::open_table`] memory-maps and validates it in a few milliseconds.
//! [`Thesaurus::from_tsv_gz`] builds the same bytes in memory, so lookups are one code path.

mod build;
pub mod table;

use std::path::Path;

use crate::Result;
use table::Table;

/// Observed form -> candidate originals with their closeness, best first. Immutable after
/// opening (`Send + Sync`).
#[derive(Debug)]
pub struct Thesaurus {
    table: Table,
}

/// One candidate original of an observed form, borrowed from the thesaurus.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate<'a> {
    /// The original's words joined with single spaces, as stored.
    pub phrase: &'a str,
    /// Closeness of the pair, in [0, 1].
    pub closeness: f64,
}

impl<'a> Candidate<'a> {
    /// The original's words (Python's `phrase.split(" ")`).
    pub fn words(&self) -> std::str::Split<'a, char> {
        self.phrase.split(' ')
    }
}

/// The candidates of one observed form, best first.
#[derive(Debug, Clone)]
pub struct Candidates<'a> {
    table: &'a Table,
    next: usize,
    end: usize,
}

impl<'a> Iterator for Candidates<'a> {
    type Item = Candidate<'a>;

    fn next(&mut self) -> Option<Candidate<'a>> {
        if self.next >= self.end {
            return None;
        }
        let (phrase, closeness) = self.table.entry(self.next);
        self.next += 1;
        Some(Candidate { phrase, closeness })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.end.saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Candidates<'_> {}

impl Thesaurus {
    /// Parse a reversed-thesaurus file (gzip'd TSV, format above). `Error::Model` naming the
    /// file if it cannot be read, is not gzip'd UTF-8, or has a closeness that is not a number.
    pub fn from_tsv_gz(path: &Path) -> Result<Thesaurus> {
        let bytes = build::table_from_tsv_gz(path)?;
        let table = Table::from_bytes(bytes, &path.display().to_string())?;
        Ok(Thesaurus { table })
    }

    /// Write the binary table of this thesaurus to `path` (atomically: a temporary file in the
    /// same folder, then renamed). `Error::Io` if it cannot be written.
    pub fn write_table(&self, path: &Path) -> Result<()> {
        build::write_atomically(path, self.table.bytes())
    }

    /// Memory-map a table written by [`Thesaurus::write_table`] and validate it entirely.
    /// `Error::Io` if it cannot be opened, `Error::Model` if it is not such a table or damaged.
    pub fn open_table(path: &Path) -> Result<Thesaurus> {
        Ok(Thesaurus {
            table: Table::open(path)?,
        })
    }

    /// Whether `observed` (lower-cased, words joined with single spaces) is an observed form.
    pub fn contains(&self, observed: &str) -> bool {
        self.table.find_form(observed).is_some()
    }

    /// The candidates of `observed`, best first (none for an unknown form).
    pub fn candidates(&self, observed: &str) -> Candidates<'_> {
        let (next, end) = match self.table.find_form(observed) {
            Some(form) => self.table.entry_range(form),
            None => (0, 0),
        };
        Candidates {
            table: &self.table,
            next,
            end,
        }
    }

    /// [`Thesaurus::candidates`] as owned `(words, closeness)` pairs (Python's shape).
    pub fn candidates_owned(&self, observed: &str) -> Vec<(Vec<String>, f64)> {
        self.candidates(observed)
            .map(|candidate| {
                let words = candidate.words().map(str::to_owned).collect();
                (words, candidate.closeness)
            })
            .collect()
    }

    /// Whether `phrase` is a proper word prefix of a multi-word observed form ("in the" of
    /// "in the past").
    pub fn is_prefix(&self, phrase: &str) -> bool {
        self.table.find_prefix(phrase)
    }

    /// The most words in one observed form (1 for an empty thesaurus).
    pub fn max_words(&self) -> usize {
        self.table.max_words()
    }

    /// Every observed form, sorted.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        (0..self.table.forms()).map(|form| self.table.form(form))
    }

    /// Number of observed forms.
    pub fn len(&self) -> usize {
        self.table.forms()
    }

    /// Whether the thesaurus holds no form.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
