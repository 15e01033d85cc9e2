//! Parse a reversed-thesaurus TSV (gzip'd) into the bytes of a binary table.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::table::{fnv1a, FORMAT, MAGIC};
use crate::{Error, Result};

/// The table bytes of the gzip'd TSV file at `path`.
pub(super) fn table_from_tsv_gz(path: &Path) -> Result<Vec<u8>> {
    let origin = path.display().to_string();
    let file = File::open(path).map_err(|error| Error::Model(format!("{origin}: {error}")))?;
    let mut raw = Vec::new();
    MultiGzDecoder::new(std::io::BufReader::new(file))
        .read_to_end(&mut raw)
        .map_err(|error| Error::Model(format!("{origin}: {error}")))?;
    let text = String::from_utf8(raw).map_err(|_| Error::Model(format!("{origin}: not UTF-8")))?;
    table_from_text(&text, &origin)
}

/// Python's universal-newline lines: `\r\n`, `\r` and `\n` each end a line.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').flat_map(|line| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        line.split('\r')
    })
}

/// The table bytes of the thesaurus text (format in the module above).
pub(super) fn table_from_text(text: &str, origin: &str) -> Result<Vec<u8>> {
    // Keep the last line of each form: stable sort by form, then the last of each run.
    let mut rows: Vec<(&str, &str)> = lines(text)
        .filter_map(|line| line.split_once('\t'))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    let mut unique: Vec<(&str, &str)> = Vec::with_capacity(rows.len());
    for row in rows {
        match unique.last_mut() {
            Some(last) if last.0 == row.0 => *last = row,
            _ => unique.push(row),
        }
    }
    let mut string_ids: HashMap<&str, u32> = HashMap::new();
    let mut closeness_ids: HashMap<&str, u32> = HashMap::new();
    let mut parts = Parts {
        max_words: 1,
        closeness: Vec::new(),
        strings: Vec::new(),
        forms: Vec::with_capacity(unique.len()),
        entry_starts: vec![0],
        entry_strings: Vec::new(),
        entry_closeness: Vec::new(),
        prefixes: Vec::new(),
    };
    let mut prefixes: HashSet<&str> = HashSet::new();
    let too_many = || Error::Model(format!("{origin}: too many candidates for a table"));
    for (form, cells) in unique {
        parts.forms.push(form);
        parts.max_words = parts.max_words.max(form.matches(' ').count() + 1);
        prefixes.extend(form.match_indices(' ').map(|(at, _)| &form[..at]));
        let mut cells = cells.split('\t');
        while let (Some(candidate), Some(closeness)) = (cells.next(), cells.next()) {
            let next = u32::try_from(parts.strings.len()).map_err(|_| too_many())?;
            let string = *string_ids.entry(candidate).or_insert(next);
            if string == next {
                parts.strings.push(candidate);
            }
            let next = u32::try_from(parts.closeness.len()).map_err(|_| too_many())?;
            let value = match closeness_ids.get(closeness) {
                Some(value) => *value,
                None => {
                    let parsed = closeness.trim().parse::<f64>().map_err(|_| {
                        Error::Model(format!(
                            "{origin}: {form}: closeness {closeness:?} is not a number"
                        ))
                    })?;
                    closeness_ids.insert(closeness, next);
                    parts.closeness.push(parsed);
                    next
                }
            };
            parts.entry_strings.push(string);
            parts.entry_closeness.push(value);
        }
        let end = u32::try_from(parts.entry_strings.len()).map_err(|_| too_many())?;
        parts.entry_starts.push(end);
    }
    parts.prefixes = prefixes.into_iter().collect();
    parts.prefixes.sort_unstable();
    encode(&parts)
}

/// The parts of a table, in the order of the layout (input of [`encode`]).
pub(crate) struct Parts<'a> {
    pub max_words: usize,
    pub closeness: Vec<f64>,
    pub strings: Vec<&'a str>,
    pub forms: Vec<&'a str>,
    pub entry_starts: Vec<u32>,
    pub entry_strings: Vec<u32>,
    pub entry_closeness: Vec<u32>,
    pub prefixes: Vec<&'a str>,
}

fn slots_for(count: usize) -> usize {
    (count * 2).next_power_of_two().max(8)
}

fn to_u32(value: usize, what: &str) -> Result<u32> {
    u32::try_from(value)
        .map_err(|_| Error::Model(format!("thesaurus: too many {what} for a table")))
}

/// The bytes of a table holding `parts`.
pub(crate) fn encode(parts: &Parts<'_>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    let form_slots = slots_for(parts.forms.len());
    let prefix_slots = slots_for(parts.prefixes.len());
    let header = [
        FORMAT as usize,
        parts.max_words,
        parts.forms.len(),
        parts.strings.len(),
        parts.closeness.len(),
        parts.entry_strings.len(),
        parts.prefixes.len(),
        form_slots,
        prefix_slots,
        0,
    ];
    for value in header {
        out.extend_from_slice(&to_u32(value, "items")?.to_le_bytes());
    }
    for value in &parts.closeness {
        out.extend_from_slice(&value.to_le_bytes());
    }
    put_strings(&mut out, &parts.strings)?;
    put_strings(&mut out, &parts.forms)?;
    for list in [
        &parts.entry_starts,
        &parts.entry_strings,
        &parts.entry_closeness,
    ] {
        for value in list.iter() {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    put_strings(&mut out, &parts.prefixes)?;
    put_hash_table(&mut out, &parts.forms, form_slots)?;
    put_hash_table(&mut out, &parts.prefixes, prefix_slots)?;
    Ok(out)
}

fn put_strings(out: &mut Vec<u8>, strings: &[&str]) -> Result<()> {
    let mut offset = 0usize;
    out.extend_from_slice(&0u32.to_le_bytes());
    for text in strings {
        offset += text.len();
        out.extend_from_slice(&to_u32(offset, "bytes")?.to_le_bytes());
    }
    for text in strings {
        out.extend_from_slice(text.as_bytes());
    }
    Ok(())
}

fn put_hash_table(out: &mut Vec<u8>, items: &[&str], slots: usize) -> Result<()> {
    let mut table = vec![0u32; slots];
    let mask = slots - 1;
    for (index, item) in items.iter().enumerate() {
        let mut slot = fnv1a(item.as_bytes()) as usize & mask;
        while table[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        table[slot] = to_u32(index + 1, "items")?;
    }
    for value in table {
        out.extend_from_slice(&value.to_le_bytes());
    }
    Ok(())
}

/// Write `bytes` to `path` through a temporary file in the same folder and a rename.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |error: std::io::Error| Error::Io(format!("{}: {error}", path.display()));
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());
    let name = name.ok_or_else(|| Error::Io(format!("{}: not a file path", path.display())))?;
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = File::create(&temporary)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.map_err(io)
}
