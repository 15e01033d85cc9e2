//! Little-endian reads from mapped bytes that never panic: a read past the end gives 0, so
//! callers validate lengths once at open and the hot paths stay branch-light.

/// The `u64` at byte `at` (unaligned, little-endian); 0 when fewer than 8 bytes remain.
#[inline]
pub(crate) fn u64_at(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at.wrapping_add(8)) {
        Some(&[a, b, c, d, e, f, g, h]) => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        _ => 0,
    }
}

/// The `u32` at byte `at` (little-endian); 0 when fewer than 4 bytes remain.
#[inline]
pub(crate) fn u32_at(bytes: &[u8], at: usize) -> u32 {
    match bytes.get(at..at.wrapping_add(4)) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

/// The `f32` at byte `at` (little-endian); 0.0 when fewer than 4 bytes remain.
#[inline]
pub(crate) fn f32_at(bytes: &[u8], at: usize) -> f32 {
    f32::from_bits(u32_at(bytes, at))
}

/// Maps a file read-only, naming the file in the error.
pub(crate) fn map_file(path: &std::path::Path) -> crate::Result<memmap2::Mmap> {
    let file = std::fs::File::open(path).map_err(|error| cannot_read(path, &error))?;
    // SAFETY: the mapping is read-only and the models are never written in place (they are
    // replaced by rename); a file truncated under us is the documented risk of any mmap reader.
    unsafe { memmap2::Mmap::map(&file) }.map_err(|error| cannot_read(path, &error))
}

/// Python's `"<path>: cannot read: <strerror>"`.
fn cannot_read(path: &std::path::Path, error: &std::io::Error) -> crate::Error {
    crate::Error::Model(format!(
        "{}: cannot read: {}",
        path.display(),
        strerror(error)
    ))
}

/// The OS message of an I/O error without Rust's " (os error N)" suffix, as Python prints it.
fn strerror(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.rfind(" (os error") {
        Some(end) => text[..end].to_string(),
        None => text,
    }
}
