//! Where everything lies in a pocketsphinx trie LM file, checked against the file's length.
//!
//! The format is documented in Python's `spindetect/reference/trie.py`: magic, order, counts,
//! quantizer type, three 65536-entry float32 quantization tables, `counts[0] + 1` unigram
//! records of 12 bytes, the bit-packed bigram and trigram arrays, then the word strings.

use super::bits::{required_bits, PackedArray};
use crate::reference::bytes::{u32_at, u64_at};
use crate::{Error, Result};

/// The 19 magic bytes that start the file.
pub(crate) const MAGIC: &[u8] = b"Trie Language Model";
/// Entries of each quantization table.
pub(crate) const QUANT_BINS: usize = 1 << 16;
/// Bytes of one unigram record: float32 prob, float32 backoff, uint32 next.
pub(crate) const UNIGRAM_BYTES: usize = 12;
/// Quantizer bits of a middle (bigram) entry: backoff bin (low 16) + probability bin (high 16).
const MIDDLE_QUANT_BITS: u32 = 32;
/// Quantizer bits of a highest-order (trigram) entry: the probability bin.
const LONGEST_QUANT_BITS: u32 = 16;

/// The validated offsets and sizes of a trigram trie file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    /// Number of unigrams (the vocabulary size).
    pub unigrams: u32,
    /// Bigram slots used (the end sentinel's pointer).
    pub bigrams_used: u32,
    /// Trigram slots used.
    pub trigrams_used: u32,
    /// Byte offset of the bigram probability table; the bigram backoff and trigram probability
    /// tables follow it.
    pub quant_tables: usize,
    /// Byte offset of the unigram records.
    pub unigram_records: usize,
    /// The bigram array: word, backoff bin, probability bin, next.
    pub bigram_array: PackedArray,
    /// The trigram array: word, probability bin.
    pub trigram_array: PackedArray,
    /// Bit width of the bigrams' `next` field.
    pub next_bits: u32,
    /// Byte offset and length of the NUL-separated word strings.
    pub strings: (usize, usize),
}

impl Layout {
    /// Bit offset of the `next` field within a bigram entry.
    pub fn next_offset(&self) -> u32 {
        self.bigram_array.word_bits + MIDDLE_QUANT_BITS
    }

    /// Read and check the layout of `file` (named `path` in errors).
    pub fn parse(file: &[u8], path: &str) -> Result<Layout> {
        let damaged = |what: String| Error::Model(format!("{path}: {what}"));
        if file.get(..MAGIC.len()) != Some(MAGIC) {
            return Err(damaged("not a pocketsphinx trie LM (bad magic)".into()));
        }
        let mut pos = MAGIC.len();
        let order = *file
            .get(pos)
            .ok_or_else(|| truncated(path, pos + 1, file.len()))?;
        if order != 3 {
            return Err(damaged(format!(
                "only trigram models are supported (order {order})"
            )));
        }
        pos += 1;
        need(file, pos + 12 + 4, path)?;
        let counts = [
            u32_at(file, pos),
            u32_at(file, pos + 4),
            u32_at(file, pos + 8),
        ];
        let [unigrams, bigram_slots, trigram_slots] = counts;
        pos += 12 + 4; // the counts, then the unused quantizer-type int32
        let quant_tables = pos;
        pos += 3 * QUANT_BINS * 4;
        let unigram_records = pos;
        pos = add(pos, (unigrams as usize + 1) * UNIGRAM_BYTES, path)?;

        let word_bits = required_bits(unigrams);
        let next_bits = required_bits(trigram_slots);
        let bigram_bits = word_bits + MIDDLE_QUANT_BITS + next_bits;
        let trigram_bits = word_bits + LONGEST_QUANT_BITS;
        let bigram_array = packed(pos, bigram_slots, bigram_bits, word_bits, path)?;
        pos = add(pos, bigram_array.len, path)?;
        let trigram_array = packed(pos, trigram_slots, trigram_bits, word_bits, path)?;
        pos = add(pos, trigram_array.len, path)?;
        need(file, pos + 4, path)?;
        let string_bytes = i32::from_le_bytes(u32_at(file, pos).to_le_bytes());
        let string_bytes = usize::try_from(string_bytes)
            .map_err(|_| damaged(format!("negative string table size {string_bytes}")))?;
        let strings = (pos + 4, string_bytes);
        need(file, add(strings.0, string_bytes, path)?, path)?;

        let mut layout = Layout {
            unigrams,
            bigrams_used: 0,
            trigrams_used: 0,
            quant_tables,
            unigram_records,
            bigram_array,
            trigram_array,
            next_bits,
            strings,
        };
        layout.bigrams_used = layout.check_unigram_pointers(file, bigram_slots, path)?;
        layout.trigrams_used = layout.check_bigram_pointers(file, trigram_slots, path)?;
        Ok(layout)
    }

    /// The `next` pointer of unigram record `index` (`index <= unigrams`).
    #[inline]
    pub fn unigram_next(&self, file: &[u8], index: u32) -> u32 {
        u32_at(
            file,
            self.unigram_records + index as usize * UNIGRAM_BYTES + 8,
        )
    }

    /// Unigram pointers must not decrease and must stay within the bigram slots: the bigram
    /// ranges `[next[w], next[w + 1])` are then valid. Returns the bigrams used.
    fn check_unigram_pointers(&self, file: &[u8], slots: u32, path: &str) -> Result<u32> {
        let mut previous = 0u32;
        for index in 0..=self.unigrams {
            let next = self.unigram_next(file, index);
            if next < previous || next > slots {
                return Err(Error::Model(format!(
                    "{path}: corrupt unigram record {index} (bigram pointer {next})"
                )));
            }
            previous = next;
        }
        Ok(previous)
    }

    /// Bigram pointers (entries `0..=bigrams_used`) must not decrease and must stay within the
    /// trigram slots. Returns the trigrams used.
    fn check_bigram_pointers(&self, file: &[u8], slots: u32, path: &str) -> Result<u32> {
        let array = self.bigram_array;
        let bytes = file
            .get(array.start..array.start + array.len)
            .unwrap_or(&[]);
        let (offset, width) = (self.next_offset(), self.next_bits);
        let mut previous = 0u32;
        for index in 0..=self.bigrams_used {
            let bit = u64::from(index) * u64::from(array.entry_bits) + u64::from(offset);
            let next =
                ((u64_at(bytes, (bit >> 3) as usize) >> (bit & 7)) & ((1u64 << width) - 1)) as u32;
            if next < previous || next > slots {
                return Err(Error::Model(format!(
                    "{path}: corrupt bigram entry {index} (trigram pointer {next})"
                )));
            }
            previous = next;
        }
        Ok(previous)
    }
}

/// A bit-packed array of `slots` entries of `entry_bits` at byte `start`.
fn packed(
    start: usize,
    slots: u32,
    entry_bits: u32,
    word_bits: u32,
    path: &str,
) -> Result<PackedArray> {
    let bits = (1 + u64::from(slots)) * u64::from(entry_bits);
    let len = usize::try_from(bits.div_ceil(8) + 8)
        .map_err(|_| Error::Model(format!("{path}: n-gram counts too large")))?;
    add(start, len, path)?;
    Ok(PackedArray {
        start,
        len,
        entry_bits,
        word_bits,
    })
}

/// `pos + len`, an error instead of overflow.
fn add(pos: usize, len: usize, path: &str) -> Result<usize> {
    pos.checked_add(len)
        .ok_or_else(|| Error::Model(format!("{path}: n-gram counts too large")))
}

/// Ok when the file holds at least `end` bytes.
fn need(file: &[u8], end: usize, path: &str) -> Result<()> {
    if file.len() < end {
        return Err(truncated(path, end, file.len()));
    }
    Ok(())
}

fn truncated(path: &str, needed: usize, len: usize) -> Error {
    Error::Model(format!(
        "{path}: truncated (needs at least {needed} bytes, has {len})"
    ))
}
