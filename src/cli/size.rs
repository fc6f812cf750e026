//! Sizes given on the command line (`--memory 256M`).

/// Parses a size such as `512K`, `256M`, `1G` or a plain number of bytes.
pub(super) fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => text.split_at(i),
        None => (text, ""),
    };
    let number: usize = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size like 256M"))?;
    let factor: usize = match unit.to_ascii_uppercase().trim_end_matches('B') {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("`{text}` has an unknown unit (use K, M or G)")),
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large"))
}
