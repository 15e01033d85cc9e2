//! The trie's word strings as a hash index: word -> id, built at open over the mapped bytes.

/// Word -> id over the NUL-separated string table of the file (the strings stay in the map).
#[derive(Debug)]
pub(crate) struct Vocabulary {
    /// (byte offset in the file, byte length) of each word, by id.
    spans: Vec<(usize, usize)>,
    /// Open-addressing table of `id + 1` (0 = empty), at least twice the words, power of two.
    table: Vec<u32>,
    /// `64 - log2(table.len())`: the shift that turns a hash into a cell.
    shift: u32,
}

impl Vocabulary {
    /// Index the first `count` NUL-terminated words of `blob`, which starts at byte `offset`
    /// of the file. Duplicates: the first id wins, as in sphinxbase. Err(words found) when the
    /// blob holds fewer than `count` words.
    pub fn build(file: &[u8], offset: usize, blob_len: usize, count: usize) -> Result<Self, usize> {
        let blob = file
            .get(offset..offset.saturating_add(blob_len))
            .unwrap_or(&[]);
        let mut spans = Vec::with_capacity(count);
        let mut start = 0usize;
        for piece in blob.split(|&byte| byte == 0).take(count) {
            spans.push((offset + start, piece.len()));
            start += piece.len() + 1;
        }
        if spans.len() < count {
            return Err(spans.len());
        }
        let size = (2 * count.max(1)).next_power_of_two().max(2);
        let shift = 64 - size.trailing_zeros();
        let mut vocabulary = Vocabulary {
            spans,
            table: vec![0; size],
            shift,
        };
        for id in 0..count {
            let word = vocabulary.word(file, id as u32).unwrap_or(&[]);
            let mut cell = vocabulary.cell(word);
            loop {
                match vocabulary.table[cell] {
                    0 => {
                        vocabulary.table[cell] = id as u32 + 1;
                        break;
                    }
                    other if vocabulary.word(file, other - 1) == Some(word) => break,
                    _ => cell = (cell + 1) & (size - 1),
                }
            }
        }
        Ok(vocabulary)
    }

    /// Number of words (ids run `0..len`).
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// The bytes of word `id`.
    #[inline]
    pub fn word<'a>(&self, file: &'a [u8], id: u32) -> Option<&'a [u8]> {
        let &(start, len) = self.spans.get(id as usize)?;
        file.get(start..start.saturating_add(len))
    }

    /// Id of `word`, or None.
    #[inline]
    pub fn get(&self, file: &[u8], word: &[u8]) -> Option<u32> {
        let mask = self.table.len() - 1;
        let mut cell = self.cell(word);
        loop {
            match *self.table.get(cell)? {
                0 => return None,
                stored if self.word(file, stored - 1) == Some(word) => return Some(stored - 1),
                _ => cell = (cell + 1) & mask,
            }
        }
    }

    #[inline]
    fn cell(&self, word: &[u8]) -> usize {
        (hash_bytes(word).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }
}

/// A fast non-cryptographic hash of a short byte string (eight bytes per step).
#[inline]
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hash = 0x243F_6A88_85A3_08D3u64 ^ bytes.len() as u64;
    for chunk in bytes.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        hash =
            (hash.rotate_left(23) ^ u64::from_le_bytes(word)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    }
    hash ^ (hash >> 29)
}
