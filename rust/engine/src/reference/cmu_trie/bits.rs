//! The bit-packed n-gram arrays of the trie and sphinxbase's search over their child ranges.

use crate::reference::bytes::u64_at;

/// One bit-packed array: entry `i` starts at bit `i * entry_bits` of `bytes`; bit `k` is bit
/// `k % 8` of byte `k / 8`. The first field of every entry is the word id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PackedArray {
    /// Byte offset of the array in the file.
    pub start: usize,
    /// Byte length of the array (`((1 + slots) * entry_bits + 7) / 8 + 8`).
    pub len: usize,
    /// Bits per entry.
    pub entry_bits: u32,
    /// Bits of the word field at the start of each entry.
    pub word_bits: u32,
}

impl PackedArray {
    /// The `width`-bit field (width <= 32) at bit `offset` of entry `index`; 0 when the entry
    /// lies outside `bytes` (never for indices validated at open).
    #[inline]
    pub fn field(&self, bytes: &[u8], index: u32, offset: u32, width: u32) -> u32 {
        let bit = u64::from(index) * u64::from(self.entry_bits) + u64::from(offset);
        let byte = usize::try_from(bit >> 3).unwrap_or(usize::MAX);
        let raw = u64_at(bytes, byte) >> (bit & 7);
        (raw & ((1u64 << width) - 1)) as u32
    }

    /// The word id of entry `index`.
    #[inline]
    pub fn word(&self, bytes: &[u8], index: u32) -> u32 {
        self.field(bytes, index, 0, self.word_bits)
    }

    /// Slot of `key` among the entries `[begin, end)`, exactly as sphinxbase's `uniform_find`:
    /// an interpolation search in uint32 arithmetic that assumes the range is sorted by word.
    /// On the two unsorted ranges of en-us it misses an entry each, and so must we.
    pub fn uniform_find(
        &self,
        bytes: &[u8],
        begin: u32,
        end: u32,
        max_vocab: u32,
        key: u32,
    ) -> Option<u32> {
        let (mut before_it, mut before_v) = (i64::from(begin) - 1, 0u32);
        let (mut after_it, mut after_v) = (i64::from(end), max_vocab);
        if key > after_v {
            return None;
        }
        while after_it - before_it > 1 {
            let width = u32::try_from(after_it - before_it - 1).ok()?;
            let offset = key.wrapping_sub(before_v).wrapping_mul(width);
            let range = after_v.wrapping_sub(before_v).wrapping_add(1);
            let pivot = before_it + 1 + i64::from(offset.checked_div(range)?);
            if pivot >= after_it {
                return None; // cannot happen with before_v < key < after_v; never read past
            }
            let slot = u32::try_from(pivot).ok()?;
            let mid = self.word(bytes, slot);
            match mid.cmp(&key) {
                std::cmp::Ordering::Less => (before_it, before_v) = (pivot, mid),
                std::cmp::Ordering::Greater => (after_it, after_v) = (pivot, mid),
                std::cmp::Ordering::Equal => return Some(slot),
            }
        }
        None
    }
}

/// Bits needed to store `value` (`bitarr_required_bits`): its bit length.
pub(crate) fn required_bits(value: u32) -> u32 {
    u32::BITS - value.leading_zeros()
}
