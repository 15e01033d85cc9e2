//! A hash index of the bigram slots: (predicted word, history word) -> slot, built at open.
//!
//! The trie finds a bigram by an interpolation search over the predicted word's child range:
//! several dependent cache misses in a 25 MB array for a common word. The index finds it in
//! one probe. It gives exactly the search's answers: a child range that is not strictly
//! increasing (where `uniform_find` can miss an entry that is stored) is left out of the index
//! and searched as before. Building it takes a few hundred milliseconds, so it is built on a
//! thread of its own while the first queries are answered by the search: the answers are the
//! same either way.

use super::bits::PackedArray;
use super::layout::Layout;

/// Marks an empty cell.
const EMPTY: u64 = u64::MAX;
/// Bits of a packed cell given to the slot (the rest hold the key).
const SLOT_BITS: u32 = 24;

/// Open-addressing table of `key << SLOT_BITS | slot`, `key = parent * vocabulary + word`.
#[derive(Debug)]
pub(crate) struct BigramIndex {
    cells: Vec<u64>,
    shift: u32,
    vocabulary: u64,
    /// Parents whose child range is searched, not indexed.
    searched: Vec<bool>,
}

impl BigramIndex {
    /// Index every strictly increasing child range; None when the model is too large for the
    /// packed cells (the search then serves every query).
    pub fn build(file: &[u8], bigrams: &[u8], layout: &Layout) -> Option<BigramIndex> {
        let vocabulary = u64::from(layout.unigrams);
        let slots = u64::from(layout.bigrams_used);
        let key_bits = 64 - SLOT_BITS;
        if slots >= (1 << SLOT_BITS) || vocabulary.checked_mul(vocabulary)? >= (1 << key_bits) - 1 {
            return None;
        }
        let size = (2 * slots.max(1)).next_power_of_two();
        let mut index = BigramIndex {
            cells: vec![EMPTY; usize::try_from(size).ok()?],
            shift: 64 - size.trailing_zeros(),
            vocabulary,
            searched: vec![false; layout.unigrams as usize],
        };
        let array: PackedArray = layout.bigram_array;
        let mut begin = layout.unigram_next(file, 0);
        for parent in 0..layout.unigrams {
            let end = layout.unigram_next(file, parent + 1);
            let increasing = (begin..end)
                .map(|slot| array.word(bigrams, slot))
                .try_fold(None, |previous: Option<u32>, word| match previous {
                    Some(previous) if previous >= word => None,
                    _ => Some(Some(word)),
                })
                .is_some();
            if increasing {
                for slot in begin..end {
                    index.insert(index.key(parent, array.word(bigrams, slot)), slot);
                }
            } else {
                index.searched[parent as usize] = true;
            }
            begin = end;
        }
        Some(index)
    }

    #[inline]
    fn key(&self, parent: u32, word: u32) -> u64 {
        u64::from(parent) * self.vocabulary + u64::from(word)
    }

    #[inline]
    fn cell(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    fn insert(&mut self, key: u64, slot: u32) {
        let mask = self.cells.len() - 1;
        let mut cell = self.cell(key);
        while self.cells[cell] != EMPTY {
            cell = (cell + 1) & mask;
        }
        self.cells[cell] = key << SLOT_BITS | u64::from(slot);
    }

    /// The slot of bigram (parent, word): `Some(answer)` when the index knows the answer
    /// (`answer` None: not stored), None when the parent's range must be searched.
    #[inline]
    pub fn find(&self, parent: u32, word: u32) -> Option<Option<u32>> {
        if *self.searched.get(parent as usize)? {
            return None;
        }
        let key = self.key(parent, word);
        let mask = self.cells.len() - 1;
        let mut cell = self.cell(key);
        loop {
            let stored = self.cells[cell];
            if stored == EMPTY {
                return Some(None);
            }
            if stored >> SLOT_BITS == key {
                return Some(Some((stored & ((1 << SLOT_BITS) - 1)) as u32));
            }
            cell = (cell + 1) & mask;
        }
    }
}
