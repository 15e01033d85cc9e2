//! The per-document work of spindetect, in the order a document flows through it:
//! tokenize -> reference -> candidates -> score -> accept -> verdict -> restore.
//!
//! Plain Rust: no Python types here. The PyO3 boundary is the `spindetect-core` crate.

pub mod accept;
pub mod calibration;
pub mod candidates;
pub mod config;
pub mod consistent;
pub mod detect;
pub mod error;
pub mod evidence;
pub mod findings;
pub mod grammar;
pub mod lexicon;
pub mod load;
pub mod numeric;
pub mod phrasebook;
pub mod pystr;
pub mod reference;
pub mod score;
pub mod sentences;
pub mod suspects;
pub mod thesaurus;
pub mod tokenize;
pub mod trees;
pub mod verdict;

pub use error::{Error, Result};
