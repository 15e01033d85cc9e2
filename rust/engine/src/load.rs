//! A [`Detector`] from the files that hold its models: what the Python binding and the tests
//! that run the real models both need, written once.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::calibration::NullDistribution;
use crate::config::Config;
use crate::detect::{Detector, Models};
use crate::lexicon::Lexicon;
use crate::phrasebook::{parse_query, Entry, Mode, Phrasebook};
use crate::reference::{combine, CmuTrie, Reference};
use crate::suspects::SuspectModel;
use crate::thesaurus::Thesaurus;
use crate::verdict::DocumentModel;
use crate::{Error, Result};

/// A phrasebook entry as text: spun, original, mode (`always` / `context`), note, source and
/// an optional fingerprint query.
pub type RawEntry = (String, String, String, String, String, Option<String>);

/// The phrasebook entry of a [`RawEntry`]; an unknown mode or a bad query is an error.
pub fn entry((spun, original, mode, note, source, query): RawEntry) -> Result<Entry> {
    let mode = match mode.as_str() {
        "always" => Mode::Always,
        "context" => Mode::Context,
        other => return Err(Error::Phrasebook(format!("unknown mode {other:?}"))),
    };
    let query = query.map(|text| parse_query(&text)).transpose()?;
    Ok(Entry {
        spun,
        original,
        mode,
        note,
        source,
        query,
    })
}

/// A detector on these files, entries and settings: the CMU trie `reference` mixed with the
/// `.spref` models in `references` (if any), the named candidate tables and the JSON models.
#[allow(clippy::too_many_arguments)]
pub fn detector(
    reference: &Path,
    references: &[PathBuf],
    candidates: &[(String, PathBuf)],
    null: &Path,
    suspects: &Path,
    document: &Path,
    entries: Vec<RawEntry>,
    config: Config,
) -> Result<Detector> {
    let cmu: Arc<dyn Reference> = Arc::new(CmuTrie::open(reference)?);
    let reference: Arc<dyn Reference> = if references.is_empty() {
        cmu
    } else {
        Arc::new(combine(cmu, references)?)
    };
    let entries = entries.into_iter().map(entry).collect::<Result<Vec<_>>>()?;
    let models = Models {
        reference,
        lexicon: Arc::new(lexicon(candidates)?),
        phrasebook: Arc::new(Phrasebook::new(entries)),
        null: Arc::new(NullDistribution::from_file(null)?),
        suspects: Arc::new(SuspectModel::from_file(suspects)?),
        document: Arc::new(DocumentModel::from_file(document)?),
    };
    Detector::new(models, config)
}

/// The lexicon of these named candidate tables, in order.
pub fn lexicon(candidates: &[(String, PathBuf)]) -> Result<Lexicon> {
    let tables = candidates
        .iter()
        .map(|(name, path)| Ok((name.clone(), Thesaurus::open_table(path)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(Lexicon::new(tables))
}
