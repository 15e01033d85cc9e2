//! Loading the models a detector reads, from the files Python names.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use spindetect_engine::calibration::NullDistribution;
use spindetect_engine::config::Config;
use spindetect_engine::detect::{Detector, Models};
use spindetect_engine::phrasebook::{parse_query, Entry, Mode, Phrasebook};
use spindetect_engine::reference::{combine, CmuTrie, Reference};
use spindetect_engine::suspects::SuspectModel;
use spindetect_engine::thesaurus::Thesaurus;
use spindetect_engine::verdict::DocumentModel;
use spindetect_engine::{Error, Result};

/// A detector on these files, entries and settings.
#[allow(clippy::too_many_arguments)]
pub fn detector(
    reference: &Path,
    references: &[PathBuf],
    thesaurus: &Path,
    null: &Path,
    suspects: &Path,
    document: &Path,
    entries: Vec<(String, String, String, String, String, Option<String>)>,
    config: Config,
) -> Result<Detector> {
    let cmu: Arc<dyn Reference> = Arc::new(CmuTrie::open(reference)?);
    let reference: Arc<dyn Reference> = if references.is_empty() {
        cmu
    } else {
        Arc::new(combine(cmu, references)?)
    };
    let entries = entries
        .into_iter()
        .map(|(spun, original, mode, note, source, query)| {
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
        })
        .collect::<Result<Vec<Entry>>>()?;
    let models = Models {
        reference,
        thesaurus: Arc::new(Thesaurus::open_table(thesaurus)?),
        phrasebook: Arc::new(Phrasebook::new(entries)),
        null: Arc::new(NullDistribution::from_file(null)?),
        suspects: Arc::new(SuspectModel::from_file(suspects)?),
        document: Arc::new(DocumentModel::from_file(document)?),
    };
    Detector::new(models, config)
}
