//! The binary table of a reversed thesaurus: written once, memory-mapped and validated at open.
//!
//! Layout (every integer little-endian, no padding; `u32` offsets index the blob after them):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic [`MAGIC`] |
//! | 4 | format [`FORMAT`] |
//! | 4 | `max_words` |
//! | 4 × 8 | counts: forms `F`, strings `S`, closeness values `K`, entries `E`, prefixes `P`, form slots `FS`, prefix slots `PS`, 0 |
//! | 8 × K | closeness values (`f64`) |
//! | 4 × (S + 1), then bytes | candidate strings (words joined by spaces): offsets, UTF-8 blob |
//! | 4 × (F + 1), then bytes | observed forms, sorted: offsets, blob |
//! | 4 × (F + 1) | entry range of each form: form `i` has entries `starts[i]..starts[i + 1]` |
//! | 4 × E | each entry's candidate string (index < `S`), best first within a form |
//! | 4 × E | each entry's closeness value (index < `K`) |
//! | 4 × (P + 1), then bytes | word prefixes of multi-word forms: offsets, blob |
//! | 4 × FS | hash table of the forms: 0 empty, else form index + 1 |
//! | 4 × PS | hash table of the prefixes: 0 empty, else prefix index + 1 |
//!
//! The hash tables use 64-bit FNV-1a of the UTF-8 bytes, slot `hash & (slots - 1)`, linear
//! probing; `slots` is a power of two above the item count. [`Table::open`] checks everything
//! a lookup relies on (sizes, offsets, indices, UTF-8 of the candidate strings, that every
//! form and prefix is found at its own index), so lookups on a damaged file never panic;
//! reads are bounds-checked all the same.

use std::fs::File;
use std::path::Path;

use memmap2::Mmap;

use crate::{Error, Result};

/// First bytes of a table file.
pub const MAGIC: &[u8; 8] = b"SPDTHES\n";
/// Version of the layout above; bump when it changes.
pub const FORMAT: u32 = 1;
pub(super) const HEADER: usize = 48;

/// The bytes of a table: built in memory or mapped from a file.
#[derive(Debug)]
enum Backing {
    Owned(Vec<u8>),
    Mapped(Mmap),
}

/// Where each section starts, and the counts, after validation.
#[derive(Debug, Clone, Default)]
struct Layout {
    max_words: usize,
    forms: usize,
    strings: usize,
    entries: usize,
    prefixes: usize,
    form_slots: usize,
    prefix_slots: usize,
    closeness_at: usize,
    string_offsets_at: usize,
    string_bytes_at: usize,
    form_offsets_at: usize,
    form_bytes_at: usize,
    entry_starts_at: usize,
    entry_strings_at: usize,
    entry_closeness_at: usize,
    prefix_offsets_at: usize,
    prefix_bytes_at: usize,
    form_slots_at: usize,
    prefix_slots_at: usize,
}

/// A validated table.
#[derive(Debug)]
pub(crate) struct Table {
    backing: Backing,
    layout: Layout,
}

/// 64-bit FNV-1a.
pub(super) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Reads `u32`s and `f64`s without ever panicking: out of range reads give 0.
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let word = at.checked_add(4).and_then(|end| bytes.get(at..end));
    word.and_then(|word| word.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

fn f64_at(bytes: &[u8], at: usize) -> f64 {
    let word = at.checked_add(8).and_then(|end| bytes.get(at..end));
    word.and_then(|word| word.try_into().ok())
        .map_or(0.0, f64::from_le_bytes)
}

/// Hands out consecutive sections of the file, checking they fit.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
    origin: &'a str,
}

impl Cursor<'_> {
    fn damaged(&self, what: &str) -> Error {
        Error::Model(format!("{}: damaged thesaurus table ({what})", self.origin))
    }

    fn take(&mut self, count: usize, width: usize) -> Result<usize> {
        let start = self.at;
        let end = count
            .checked_mul(width)
            .and_then(|size| start.checked_add(size))
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| self.damaged("truncated"))?;
        self.at = end;
        Ok(start)
    }

    /// An offsets array of `count` strings and its blob: returns both starts.
    fn strings(&mut self, count: usize, utf8: bool) -> Result<(usize, usize)> {
        let offsets_at = self.take(count + 1, 4)?;
        let blob_len = u32_at(self.bytes, offsets_at + 4 * count) as usize;
        let blob_at = self.take(blob_len, 1)?;
        let blob = &self.bytes[blob_at..blob_at + blob_len];
        let text = if utf8 {
            Some(std::str::from_utf8(blob).map_err(|_| self.damaged("not UTF-8"))?)
        } else {
            None
        };
        let mut previous = 0usize;
        for index in 0..=count {
            let offset = u32_at(self.bytes, offsets_at + 4 * index) as usize;
            let boundary = text.is_none_or(|text| text.is_char_boundary(offset));
            if (index == 0 && offset != 0) || offset < previous || !boundary {
                return Err(self.damaged("string offsets"));
            }
            previous = offset;
        }
        Ok((offsets_at, blob_at))
    }
}

impl Table {
    /// Validate table bytes built in memory.
    pub(crate) fn from_bytes(bytes: Vec<u8>, origin: &str) -> Result<Table> {
        let layout = Layout::validate(&bytes, origin)?;
        Ok(Table {
            backing: Backing::Owned(bytes),
            layout,
        })
    }

    /// Map and validate a table file.
    pub(crate) fn open(path: &Path) -> Result<Table> {
        let origin = path.display().to_string();
        let file = File::open(path).map_err(|error| Error::Io(format!("{origin}: {error}")))?;
        // SAFETY: the map is read-only and the table is written once through a rename, never
        // modified in place; every read through it is bounds-checked, so a file truncated
        // under us can at worst fault, not be read out of bounds.
        let map =
            unsafe { Mmap::map(&file) }.map_err(|error| Error::Io(format!("{origin}: {error}")))?;
        let layout = Layout::validate(&map, &origin)?;
        Ok(Table {
            backing: Backing::Mapped(map),
            layout,
        })
    }

    /// The table's bytes (to write it out).
    pub(crate) fn bytes(&self) -> &[u8] {
        match &self.backing {
            Backing::Owned(bytes) => bytes,
            Backing::Mapped(map) => map,
        }
    }

    pub(crate) fn max_words(&self) -> usize {
        self.layout.max_words
    }

    pub(crate) fn forms(&self) -> usize {
        self.layout.forms
    }

    /// Observed form number `form` (forms are sorted).
    pub(crate) fn form(&self, form: usize) -> &str {
        let layout = &self.layout;
        let text = string_bytes(
            self.bytes(),
            layout.form_offsets_at,
            layout.form_bytes_at,
            form,
        );
        std::str::from_utf8(text).unwrap_or("")
    }

    /// Entries `start..end` of form `form`.
    pub(crate) fn entry_range(&self, form: usize) -> (usize, usize) {
        let bytes = self.bytes();
        let at = self.layout.entry_starts_at + 4 * form;
        (u32_at(bytes, at) as usize, u32_at(bytes, at + 4) as usize)
    }

    /// Candidate string and closeness of entry `entry`.
    pub(crate) fn entry(&self, entry: usize) -> (&str, f64) {
        let (bytes, layout) = (self.bytes(), &self.layout);
        let string = u32_at(bytes, layout.entry_strings_at + 4 * entry) as usize;
        let closeness = u32_at(bytes, layout.entry_closeness_at + 4 * entry) as usize;
        let text = string_bytes(
            bytes,
            layout.string_offsets_at,
            layout.string_bytes_at,
            string,
        );
        (
            std::str::from_utf8(text).unwrap_or(""),
            f64_at(bytes, layout.closeness_at + 8 * closeness),
        )
    }

    /// Index of observed form `observed`, if it is one.
    pub(crate) fn find_form(&self, observed: &str) -> Option<usize> {
        let layout = &self.layout;
        find(
            self.bytes(),
            observed.as_bytes(),
            (layout.form_slots_at, layout.form_slots),
            (layout.form_offsets_at, layout.form_bytes_at),
        )
    }

    /// Whether `phrase` is a word prefix of a multi-word form.
    pub(crate) fn find_prefix(&self, phrase: &str) -> bool {
        let layout = &self.layout;
        find(
            self.bytes(),
            phrase.as_bytes(),
            (layout.prefix_slots_at, layout.prefix_slots),
            (layout.prefix_offsets_at, layout.prefix_bytes_at),
        )
        .is_some()
    }
}

/// String `index` of a section whose offsets start at `offsets_at`, its blob at `blob_at`.
fn string_bytes(bytes: &[u8], offsets_at: usize, blob_at: usize, index: usize) -> &[u8] {
    let start = u32_at(bytes, offsets_at + 4 * index) as usize;
    let end = u32_at(bytes, offsets_at + 4 * index + 4) as usize;
    bytes.get(blob_at + start..blob_at + end).unwrap_or(&[])
}

/// Probe a hash table (`(slots_at, slots)`) of the strings at `(offsets_at, blob_at)`.
fn find(
    bytes: &[u8],
    key: &[u8],
    (slots_at, slots): (usize, usize),
    (offsets_at, blob_at): (usize, usize),
) -> Option<usize> {
    let mask = slots.checked_sub(1)?;
    let mut slot = fnv1a(key) as usize & mask;
    for _ in 0..slots {
        let value = u32_at(bytes, slots_at + 4 * slot) as usize;
        let index = value.checked_sub(1)?;
        if string_bytes(bytes, offsets_at, blob_at, index) == key {
            return Some(index);
        }
        slot = (slot + 1) & mask;
    }
    None
}

impl Layout {
    fn validate(bytes: &[u8], origin: &str) -> Result<Layout> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(Error::Model(format!(
                "{origin}: not a spindetect thesaurus table"
            )));
        }
        if u32_at(bytes, 8) != FORMAT {
            return Err(Error::Model(format!(
                "{origin}: thesaurus table format {} (this version reads {FORMAT})",
                u32_at(bytes, 8)
            )));
        }
        let count = |index: usize| u32_at(bytes, 12 + 4 * index) as usize;
        let mut layout = Layout {
            max_words: count(0),
            forms: count(1),
            strings: count(2),
            entries: count(4),
            prefixes: count(5),
            form_slots: count(6),
            prefix_slots: count(7),
            ..Layout::default()
        };
        let closeness_count = count(3);
        let mut cursor = Cursor {
            bytes,
            at: HEADER,
            origin,
        };
        layout.closeness_at = cursor.take(closeness_count, 8)?;
        (layout.string_offsets_at, layout.string_bytes_at) =
            cursor.strings(layout.strings, true)?;
        (layout.form_offsets_at, layout.form_bytes_at) = cursor.strings(layout.forms, false)?;
        layout.entry_starts_at = cursor.take(layout.forms + 1, 4)?;
        layout.entry_strings_at = cursor.take(layout.entries, 4)?;
        layout.entry_closeness_at = cursor.take(layout.entries, 4)?;
        (layout.prefix_offsets_at, layout.prefix_bytes_at) =
            cursor.strings(layout.prefixes, false)?;
        layout.form_slots_at = cursor.take(layout.form_slots, 4)?;
        layout.prefix_slots_at = cursor.take(layout.prefix_slots, 4)?;
        if cursor.at != bytes.len() {
            return Err(cursor.damaged("trailing bytes"));
        }
        let mut previous = 0usize;
        for form in 0..=layout.forms {
            let start = u32_at(bytes, layout.entry_starts_at + 4 * form) as usize;
            if (form == 0 && start != 0) || start < previous {
                return Err(cursor.damaged("entry ranges"));
            }
            previous = start;
        }
        if previous != layout.entries {
            return Err(cursor.damaged("entry ranges"));
        }
        for entry in 0..layout.entries {
            let string = u32_at(bytes, layout.entry_strings_at + 4 * entry) as usize;
            let closeness = u32_at(bytes, layout.entry_closeness_at + 4 * entry) as usize;
            if string >= layout.strings || closeness >= closeness_count {
                return Err(cursor.damaged("entry indices"));
            }
        }
        let forms = (layout.form_slots_at, layout.form_slots);
        let form_strings = (layout.form_offsets_at, layout.form_bytes_at);
        check_hash_table(bytes, layout.forms, forms, form_strings, &cursor)?;
        let prefixes = (layout.prefix_slots_at, layout.prefix_slots);
        let prefix_strings = (layout.prefix_offsets_at, layout.prefix_bytes_at);
        check_hash_table(bytes, layout.prefixes, prefixes, prefix_strings, &cursor)?;
        Ok(layout)
    }
}

/// The table has more slots than items (a power of two), exactly `count` filled, each with an
/// index in range, and probing finds every item at its own index.
fn check_hash_table(
    bytes: &[u8],
    count: usize,
    (slots_at, slots): (usize, usize),
    strings: (usize, usize),
    cursor: &Cursor<'_>,
) -> Result<()> {
    if !slots.is_power_of_two() || slots <= count {
        return Err(cursor.damaged("hash table size"));
    }
    let mut filled = 0usize;
    for slot in 0..slots {
        let value = u32_at(bytes, slots_at + 4 * slot) as usize;
        if value > count {
            return Err(cursor.damaged("hash table index"));
        }
        filled += usize::from(value != 0);
    }
    if filled != count {
        return Err(cursor.damaged("hash table fill"));
    }
    for index in 0..count {
        let key = string_bytes(bytes, strings.0, strings.1, index);
        if find(bytes, key, (slots_at, slots), strings) != Some(index) {
            return Err(cursor.damaged("hash table"));
        }
    }
    Ok(())
}
