//! A PDF page's characters put in reading order and made into lines. pdf_oxide hands over a
//! page's characters sorted by baseline and then left edge, which runs the columns of a
//! two-column page together line by line and puts a raised superscript on a line of its own.
//! Here the page is cut the way a reader's eye splits it (a recursive XY-cut): down an empty
//! gutter that runs the whole height of a region and leaves text at least a quarter of the
//! region wide on each side (columns, not a list's labels or a table's narrow first column),
//! else across at the region's widest empty bands. What cannot be cut further is read row by
//! row: a row is the characters of one baseline with the raised or lowered ones (superscripts,
//! subscripts) that stand mostly within its height. Text turned on its side (a margin stamp)
//! is read after the page's other text.

use super::layout::{fold, Line};

/// A piece of text placed on a page (PDF user space turned top-down: `y` grows down the page).
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// The character, as the PDF's fonts map it to Unicode.
    pub text: char,
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height (the type size: the baseline is at `y + height`).
    pub height: f32,
    /// Whether the text runs down or up the page rather than across it.
    pub sideways: bool,
    /// Whether the font is fixed-pitch (code, where aligned columns are not page columns).
    pub monospace: bool,
}

/// A glyph taking part in the layout: a piece that is not white space.
#[derive(Debug, Clone)]
struct Glyph {
    piece: Piece,
}

impl Glyph {
    fn size(&self) -> f32 {
        self.piece.height.max(1.0)
    }
    fn right(&self) -> f32 {
        self.piece.x + self.piece.width.max(0.0)
    }
    fn bottom(&self) -> f32 {
        self.piece.y + self.size()
    }
}

/// The narrowest gutter between columns, in type sizes (LaTeX's default column gap is one).
const GUTTER_SIZES: f32 = 0.8;
/// The share of a region's width the text on each side of a gutter must span.
const COLUMN_SHARE: f32 = 0.25;
/// The glyphs a baseline of running text holds on average, at least.
const PROSE_ROW_GLYPHS: usize = 15;
/// How far (as a share of the smaller height) two rows of text must overlap to be one row.
const SAME_ROW: f32 = 0.4;
/// How much cutting (pieces looked at, per piece of the page) is done before what is left is
/// read row by row: a bound for pages built to make the cut slow.
const CUT_WORK_PER_PIECE: usize = 64;

/// The pieces of a page (in any order) as lines in reading order.
pub fn lines(pieces: Vec<Piece>) -> Vec<Line> {
    let (glyphs, spaces) = glyphs(pieces);
    let mut out = Vec::new();
    for region in regions_in_order(&glyphs) {
        let rows = rows(&glyphs, region);
        out.extend(
            rows.into_iter()
                .filter_map(|row| line(&glyphs, &spaces, row)),
        );
    }
    let mut out = merge_split_rows(out);
    out.extend(sideways_lines(&glyphs));
    out
}

/// The pieces that are not white space, and where the document wrote spaces (pdf_oxide writes
/// a space as a piece of its own, often with no width): a space's baseline and left edge, by
/// baseline and then left edge.
fn glyphs(pieces: Vec<Piece>) -> (Vec<Glyph>, Spaces) {
    let mut glyphs: Vec<Glyph> = Vec::with_capacity(pieces.len());
    let mut spaces = Vec::new();
    for piece in pieces {
        if piece.text.is_whitespace() {
            if !piece.sideways {
                spaces.push((piece.y + piece.height.max(1.0), piece.x));
            }
            continue;
        }
        glyphs.push(Glyph { piece });
    }
    spaces.sort_unstable_by(|a: &(f32, f32), b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    (glyphs, Spaces(spaces))
}

/// The spaces a page's document wrote: baseline and left edge, by baseline and then left edge.
struct Spaces(Vec<(f32, f32)>);

impl Spaces {
    /// The left edges of the spaces on a baseline (give or take `tolerance`), left to right.
    fn on(&self, baseline: f32, tolerance: f32) -> Vec<f32> {
        let from = self.0.partition_point(|&(b, _)| b < baseline - tolerance);
        let mut edges: Vec<f32> = self.0[from..]
            .iter()
            .take_while(|&&(b, _)| b <= baseline + tolerance)
            .map(|&(_, x)| x)
            .collect();
        edges.sort_unstable_by(f32::total_cmp);
        edges
    }
}

/// Where a glyph stands, kept apart from its text so that cutting reads little memory.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
    size: f32,
    monospace: bool,
}

/// A region's extent and median type size.
struct Extent {
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
    size: f32,
}

/// The type sizes a region's median is counted in: half points up to this many.
const SIZE_SLOTS: usize = 256;

impl Extent {
    /// Measures a region in one pass.
    fn of(boxes: &[Bounds], region: &[usize]) -> Extent {
        let mut extent = Extent {
            left: f32::MAX,
            right: f32::MIN,
            top: f32::MAX,
            bottom: f32::MIN,
            size: 1.0,
        };
        let mut sizes = [0u32; SIZE_SLOTS];
        for &i in region {
            let b = &boxes[i];
            extent.left = extent.left.min(b.left);
            extent.right = extent.right.max(b.right);
            extent.top = extent.top.min(b.top);
            extent.bottom = extent.bottom.max(b.bottom);
            sizes[((b.size * 2.0) as usize).min(SIZE_SLOTS - 1)] += 1;
        }
        let mut seen = 0;
        for (slot, &count) in sizes.iter().enumerate() {
            seen += count as usize;
            if seen * 2 > region.len() {
                extent.size = (slot as f32 / 2.0).max(1.0);
                break;
            }
        }
        extent
    }
}

/// Buffers the cuts reuse from region to region.
#[derive(Default)]
struct Scratch {
    tops: Vec<f32>,
    gaps: Vec<(f32, usize)>,
    starts: Vec<i32>,
}

/// The page's regions that cannot be cut further, in reading order (each a list of glyph
/// indices, in [`by_baseline`] order, as every region is kept), leaving out sideways text.
fn regions_in_order(glyphs: &[Glyph]) -> Vec<Vec<usize>> {
    let boxes: Vec<Bounds> = glyphs
        .iter()
        .map(|g| Bounds {
            left: g.piece.x,
            right: g.right(),
            top: g.piece.y,
            bottom: g.bottom(),
            size: g.size(),
            monospace: g.piece.monospace,
        })
        .collect();
    let mut leaves = Vec::new();
    let mut budget = glyphs.len().saturating_mul(CUT_WORK_PER_PIECE) + 100_000;
    let mut page: Vec<usize> = (0..glyphs.len())
        .filter(|&i| !glyphs[i].piece.sideways)
        .collect();
    page.sort_by(|&a, &b| by_baseline(&glyphs[a], &glyphs[b]));
    let mut stack = vec![page];
    let mut scratch = Scratch::default();
    while let Some(region) = stack.pop() {
        if region.is_empty() {
            continue;
        }
        let extent = Extent::of(&boxes, &region);
        // A region no taller than a row of its type (with room for superscripts) is read as
        // it stands.
        let one_row = extent.bottom - extent.top < 1.8 * extent.size;
        // Cutting costs a look at each glyph and at each step of the width (a gutter can only
        // be found where both sides hold rows of running text).
        let columns_possible = region.len() >= 2 * PROSE_ROW_GLYPHS;
        let cost = region.len()
            + if columns_possible {
                width_steps(&extent)
            } else {
                0
            };
        let parts = if budget >= cost && !one_row {
            budget -= cost;
            columns_possible
                .then(|| column_cut(glyphs, &boxes, &region, &extent, &mut scratch))
                .flatten()
                .or_else(|| band_cut(&boxes, &region, &mut scratch))
        } else {
            None
        };
        match parts {
            Some(parts) => stack.extend(parts.into_iter().rev()),
            None => leaves.push(region),
        }
    }
    leaves
}

/// The order regions keep their glyphs in: by baseline, then left to right.
fn by_baseline(a: &Glyph, b: &Glyph) -> std::cmp::Ordering {
    a.bottom()
        .total_cmp(&b.bottom())
        .then(a.piece.x.total_cmp(&b.piece.x))
}

/// How many steps a region's width is measured in, at most, when looking for a gutter.
const WIDTH_STEPS: f32 = 4096.0;

/// How many steps a region's width is measured in when looking for a gutter.
fn width_steps(extent: &Extent) -> usize {
    let width = extent.right - extent.left;
    if !(width.is_finite() && width > 0.0) {
        return 0;
    }
    (width / (width / WIDTH_STEPS).max(1.0)) as usize + 2
}

/// The region split at its widest gutter between columns, left part first, when it has one.
/// The gutter is found on the region's width counted in steps (points, or coarser for a region
/// wider than [`WIDTH_STEPS`] points) where glyphs stand, each glyph taken a step wider on each
/// side.
fn column_cut(
    glyphs: &[Glyph],
    boxes: &[Bounds],
    region: &[usize],
    extent: &Extent,
    scratch: &mut Scratch,
) -> Option<Vec<Vec<usize>>> {
    let (left_edge, width) = (extent.left, extent.right - extent.left);
    if !(width.is_finite() && width > 0.0) {
        return None;
    }
    let step = (width / WIDTH_STEPS).max(1.0);
    let per_step = 1.0 / step;
    let cells = width_steps(extent);
    let cell = |x: f32| (((x - left_edge) * per_step) as usize).min(cells - 1);
    // How many glyphs start at each step, less those that ended before it.
    let starts = &mut scratch.starts;
    starts.clear();
    starts.resize(cells + 1, 0);
    for &i in region {
        starts[cell(boxes[i].left)] += 1;
        starts[(cell(boxes[i].right) + 2).min(cells)] -= 1;
    }
    let gutter = GUTTER_SIZES * extent.size;
    let mut best: Option<(f32, f32)> = None;
    let mut run_start = None;
    let mut standing = 0;
    for (at, &change) in starts[..cells].iter().enumerate() {
        standing += change;
        match (standing > 0, run_start) {
            (false, None) => run_start = Some(at),
            (true, Some(start)) => {
                run_start = None;
                let gap = (at - start + 1) as f32 * step;
                let sides_wide = start as f32 * step >= COLUMN_SHARE * width
                    && width - at as f32 * step >= COLUMN_SHARE * width;
                if gap >= gutter && sides_wide && best.is_none_or(|(widest, _)| gap > widest) {
                    best = Some((gap, left_edge + (start + at) as f32 * step / 2.0));
                }
            }
            _ => {}
        }
    }
    let (_, cut) = best?;
    let (left, right): (Vec<usize>, Vec<usize>) = region
        .iter()
        .partition(|&&i| (boxes[i].left + boxes[i].right) / 2.0 < cut);
    let code = |side: &[usize]| side.iter().all(|&i| boxes[i].monospace);
    if code(&left) && code(&right) {
        // Aligned columns of code or a fixed-pitch table are read across, as typed.
        return None;
    }
    if !is_prose(glyphs, &left, gutter) || !is_prose(glyphs, &right, gutter) {
        // A table's columns: its rows are read across, a row's cells together.
        return None;
    }
    Some(vec![left, right])
}

/// Whether one side of a gutter (`side`, in [`by_baseline`] order) reads as a column of running text:
/// its baselines hold [`PROSE_ROW_GLYPHS`] glyphs or more on average, and most of them run
/// across most of the side's width without a gap as wide as a gutter within them (a table's
/// cells are short and ragged, or spaced apart).
fn is_prose(glyphs: &[Glyph], side: &[usize], gutter: f32) -> bool {
    #[derive(Clone, Copy)]
    struct Run {
        glyphs: usize,
        left: f32,
        right: f32,
        widest_gap: f32,
    }
    let mut rows: std::collections::HashMap<i32, Run> = std::collections::HashMap::new();
    let (mut left, mut right) = (f32::MAX, f32::MIN);
    for &i in side {
        let glyph = &glyphs[i];
        let row = rows
            .entry((glyph.bottom() * 2.0).round() as i32)
            .or_insert(Run {
                glyphs: 0,
                left: glyph.piece.x,
                right: glyph.piece.x,
                widest_gap: 0.0,
            });
        row.widest_gap = row.widest_gap.max(glyph.piece.x - row.right);
        row.glyphs += 1;
        row.right = row.right.max(glyph.right());
        left = left.min(glyph.piece.x);
        right = right.max(glyph.right());
    }
    let width = right - left;
    let rows: Vec<Run> = rows.into_values().filter(|row| row.glyphs >= 3).collect();
    let glyph_count: usize = rows.iter().map(|row| row.glyphs).sum();
    let running = rows
        .iter()
        .filter(|row| row.right - row.left >= 0.6 * width && row.widest_gap < 2.0 * gutter)
        .count();
    !rows.is_empty() && glyph_count >= PROSE_ROW_GLYPHS * rows.len() && running * 2 >= rows.len()
}

/// The region split across at its widest empty bands (every band as wide as the widest, give
/// or take a twentieth), top part first, when it has one. A band lies between two places of
/// the region's order where everything before ends above everything after.
fn band_cut(boxes: &[Bounds], region: &[usize], scratch: &mut Scratch) -> Option<Vec<Vec<usize>>> {
    let highest_after = &mut scratch.tops;
    highest_after.clear();
    highest_after.resize(region.len() + 1, f32::MAX);
    for (at, &i) in region.iter().enumerate().rev() {
        highest_after[at] = highest_after[at + 1].min(boxes[i].top);
    }
    let gaps = &mut scratch.gaps;
    gaps.clear();
    let mut lowest_before = f32::MIN;
    for (at, &i) in region.iter().enumerate() {
        let gap = highest_after[at] - lowest_before;
        if at > 0 && gap > 0.01 {
            gaps.push((gap, at));
        }
        lowest_before = lowest_before.max(boxes[i].bottom);
    }
    let widest = gaps.iter().map(|&(gap, _)| gap).fold(0.0, f32::max);
    if gaps.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    let mut start = 0;
    for &(_, at) in gaps.iter().filter(|&&(gap, _)| gap >= widest * 0.95) {
        parts.push(region[start..at].to_vec());
        start = at;
    }
    parts.push(region[start..].to_vec());
    Some(parts)
}

/// A row of a region: its glyphs and the extent of its main baseline's text.
struct Row {
    members: Vec<usize>,
    top: f32,
    bottom: f32,
    main_count: usize,
}

/// A region's glyphs (in [`by_baseline`] order) as rows, top to bottom: glyphs of one baseline make a group, and a group
/// standing mostly within a neighbouring row's height (a superscript, a subscript) joins it.
fn rows(glyphs: &[Glyph], region: Vec<usize>) -> Vec<Row> {
    let mut groups: Vec<Row> = Vec::new();
    for i in region {
        let glyph = &glyphs[i];
        let baseline = glyph.bottom();
        match groups.last_mut() {
            Some(group) if (group.bottom - baseline).abs() < glyph.size() * 0.25 => {
                group.members.push(i);
                group.top = group.top.min(glyph.piece.y);
            }
            _ => groups.push(Row {
                members: vec![i],
                top: glyph.piece.y,
                bottom: baseline,
                main_count: 0,
            }),
        }
    }
    for group in &mut groups {
        group.main_count = group.members.len();
    }
    groups.sort_unstable_by(|a, b| a.top.total_cmp(&b.top));
    let mut rows: Vec<Row> = Vec::new();
    let mut groups = groups.into_iter().peekable();
    while let Some(group) = groups.next() {
        let with_last = rows.last().map_or(0.0, |row| overlap(row, &group));
        let with_next = groups.peek().map_or(0.0, |next| overlap(&group, next));
        match rows.last_mut() {
            Some(row) if with_last >= SAME_ROW && with_last >= with_next => {
                if group.main_count > row.main_count {
                    (row.top, row.bottom, row.main_count) =
                        (group.top, group.bottom, group.main_count);
                }
                row.members.extend(group.members);
            }
            _ => rows.push(group),
        }
    }
    rows
}

/// How much two rows' main extents overlap, as a share of the smaller height.
fn overlap(a: &Row, b: &Row) -> f32 {
    let shared = a.bottom.min(b.bottom) - a.top.max(b.top);
    let smaller = (a.bottom - a.top).min(b.bottom - b.top).max(0.01);
    (shared / smaller).max(0.0)
}

/// A row's glyphs, left to right, as a line: a gap wider than a fifth of the next glyph's type
/// size, a space the document wrote, or a step to or from a smaller raised or lowered glyph is
/// a space.
fn line(glyphs: &[Glyph], spaces: &Spaces, row: Row) -> Option<Line> {
    let mut members = row.members;
    members.sort_unstable_by(|&a, &b| glyphs[a].piece.x.total_cmp(&glyphs[b].piece.x));
    let marks = accents_placed_over_letters(glyphs, &members);
    let written = spaces.on(row.bottom, 0.25 * (row.bottom - row.top).max(1.0));
    let mut next_space = 0;
    let mut text = String::new();
    let mut previous: Option<&Glyph> = None;
    for (at, &i) in members.iter().enumerate() {
        let glyph = &glyphs[i];
        let marks = marks.get(at);
        if marks.is_some_and(|m| m.placed) {
            continue;
        }
        // The spaces written up to this glyph (after a superscript that sits between a space
        // and the glyph it followed on the baseline, the space still comes before this one).
        let before_space = next_space;
        while written
            .get(next_space)
            .is_some_and(|&x| x <= glyph.piece.x + 0.5)
        {
            next_space += 1;
        }
        if let Some(before) = previous {
            let size = glyph.size();
            let gap = glyph.piece.x - before.right();
            if next_space > before_space
                || gap > size * 0.2
                || (gap > -0.1 * size && is_script(before, glyph))
            {
                text.push(' ');
            }
        }
        text.push(glyph.piece.text);
        if let Some(marks) = marks {
            text.extend(&marks.combining);
        }
        previous = Some(glyph);
    }
    let text = tidy(text);
    (!text.is_empty()).then(|| Line {
        text,
        x: glyphs[members[0]].piece.x,
        right: members
            .iter()
            .map(|&i| glyphs[i].right())
            .fold(f32::MIN, f32::max),
        top: row.top,
        bottom: row.bottom,
        size: members
            .iter()
            .map(|&i| glyphs[i].size())
            .fold(1.0, f32::max),
    })
}

/// Whether one of two glyphs side by side is a smaller superscript or subscript of the other (a
/// footnote mark, an index): unless the two are kerned into each other (the `A` of the LaTeX
/// logo), it stands apart as a word of its own, so that `important¹` is found as `important`.
fn is_script(a: &Glyph, b: &Glyph) -> bool {
    let (small, large) = if a.size() < b.size() { (a, b) } else { (b, a) };
    small.size() < 0.9 * large.size() && (a.bottom() - b.bottom()).abs() > 0.15 * large.size()
}

/// What an accent drawn on its own does to a row's glyph: the accent is `placed` over a letter
/// beside it, and a letter carries the `combining` marks placed over it.
#[derive(Default, Clone)]
struct Marks {
    placed: bool,
    combining: Vec<char>,
}

/// Accents a document draws as glyphs of their own over a letter (TeX's `\"o` in its old
/// font encoding: an `o`, then a `¨` placed over it), each found over the letter before or
/// after it in the row (`members`, left to right) and given to it as a combining mark, so that
/// the row reads `stören`, not `sto ¨ren`. Empty when the row has no accent.
fn accents_placed_over_letters(glyphs: &[Glyph], members: &[usize]) -> Vec<Marks> {
    if !members
        .iter()
        .any(|&i| combining_form(glyphs[i].piece.text).is_some())
    {
        return Vec::new();
    }
    let mut marks = vec![Marks::default(); members.len()];
    for (at, &i) in members.iter().enumerate() {
        let Some(mark) = combining_form(glyphs[i].piece.text) else {
            continue;
        };
        let middle = glyphs[i].piece.x + glyphs[i].piece.width / 2.0;
        let over = |neighbour: usize| {
            let letter = &glyphs[members[neighbour]];
            letter.piece.text.is_alphabetic() && (letter.piece.x..=letter.right()).contains(&middle)
        };
        let base = [at.checked_sub(1), Some(at + 1)]
            .into_iter()
            .flatten()
            .find(|&n| n < members.len() && !marks[n].placed && over(n));
        if let Some(base) = base {
            marks[at].placed = true;
            marks[base].combining.push(mark);
        }
    }
    marks
}

/// The combining mark of a spacing accent.
fn combining_form(accent: char) -> Option<char> {
    Some(match accent {
        '`' => '\u{300}',
        '´' => '\u{301}',
        '^' | 'ˆ' => '\u{302}',
        '~' | '˜' => '\u{303}',
        '¯' | 'ˉ' => '\u{304}',
        '˘' => '\u{306}',
        '˙' => '\u{307}',
        '¨' => '\u{308}',
        '˚' => '\u{30A}',
        '˝' => '\u{30B}',
        'ˇ' => '\u{30C}',
        '¸' => '\u{327}',
        '˛' => '\u{328}',
        _ => return None,
    })
}

/// A line's text folded (once a line, not once a piece: a piece is often one character) with
/// its white space made single spaces.
fn tidy(text: String) -> String {
    if text.is_ascii() && !text.contains("  ") && text.trim().len() == text.len() {
        // Nothing to fold, and a line's glyphs are never white space: as built.
        return text;
    }
    fold(&text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lines that follow each other on one row (a row a gutter split, as in a heading with a wide
/// gap) joined again.
fn merge_split_rows(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        match out.last_mut() {
            Some(last) if same_row(last, &line) && line.x >= last.right - line.size => {
                last.text.push(' ');
                last.text.push_str(&line.text);
                last.right = last.right.max(line.right);
                last.size = last.size.max(line.size);
            }
            _ => out.push(line),
        }
    }
    out
}

/// Whether two lines stand on one row.
fn same_row(a: &Line, b: &Line) -> bool {
    let shared = a.bottom.min(b.bottom) - a.top.max(b.top);
    let smaller = (a.bottom - a.top).min(b.bottom - b.top).max(0.01);
    shared / smaller >= SAME_ROW
}

/// A page's text set on its side, as lines: glyphs sharing a column (their left edges within a type
/// size of each other) make one line, read down the page, a gap of a fifth of the type size
/// between two glyphs a space.
fn sideways_lines(glyphs: &[Glyph]) -> Vec<Line> {
    let mut order: Vec<usize> = (0..glyphs.len())
        .filter(|&i| glyphs[i].piece.sideways)
        .collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (&glyphs[a].piece, &glyphs[b].piece);
        a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y))
    });
    let mut columns: Vec<Vec<usize>> = Vec::new();
    for i in order {
        match columns.last_mut() {
            Some(column)
                if (glyphs[i].piece.x - glyphs[column[0]].piece.x).abs() < glyphs[i].size() =>
            {
                column.push(i)
            }
            _ => columns.push(vec![i]),
        }
    }
    columns
        .into_iter()
        .filter_map(|mut column| {
            column.sort_unstable_by(|&a, &b| glyphs[a].piece.y.total_cmp(&glyphs[b].piece.y));
            let mut text = String::new();
            for (n, &i) in column.iter().enumerate() {
                if n > 0
                    && glyphs[i].piece.y - glyphs[column[n - 1]].bottom() > 0.2 * glyphs[i].size()
                {
                    text.push(' ');
                }
                text.push(glyphs[i].piece.text);
            }
            let text = tidy(text);
            let first = &glyphs[column[0]];
            (!text.is_empty()).then(|| Line {
                text,
                x: first.piece.x,
                right: first.right(),
                top: first.piece.y,
                bottom: first.bottom(),
                size: first.size(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word's glyphs, one piece a character of 5 points, on the baseline `baseline` (type
    /// size 10).
    fn word(text: &str, x: f32, baseline: f32) -> Vec<Piece> {
        sized(text, x, baseline, 10.0)
    }

    fn sized(text: &str, x: f32, baseline: f32, size: f32) -> Vec<Piece> {
        text.chars()
            .enumerate()
            .map(|(n, c)| Piece {
                text: c,
                x: x + n as f32 * size / 2.0,
                y: baseline - size,
                width: size / 2.0,
                height: size,
                sideways: false,
                monospace: false,
            })
            .collect()
    }

    /// A line of words set from `x`, a space of 3 points between words.
    fn words(text: &str, x: f32, baseline: f32) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut at = x;
        for w in text.split(' ') {
            pieces.extend(word(w, at, baseline));
            at += w.chars().count() as f32 * 5.0 + 3.0;
        }
        pieces
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    /// Pieces in pdf_oxide's order: by baseline, then left to right.
    fn as_pdf_oxide_gives(mut pieces: Vec<Piece>) -> Vec<Piece> {
        pieces.sort_by(|a, b| {
            (a.y + a.height)
                .total_cmp(&(b.y + b.height))
                .then(a.x.total_cmp(&b.x))
        });
        pieces
    }

    const LEFT: [&str; 4] = [
        "the first column opens with this line of text",
        "and carries on down the page in a second line",
        "then a third line keeps the story of the left",
        "until the fourth line ends the first column ok",
    ];
    const RIGHT: [&str; 4] = [
        "the second column starts at the top of a page",
        "beside the first one and goes on with its own",
        "words that must not mix with the words beside",
        "them when the page is read by a person or tool",
    ];

    #[test]
    fn columns_of_running_text_are_read_one_after_the_other() {
        let mut pieces = Vec::new();
        for (n, (left, right)) in LEFT.iter().zip(RIGHT).enumerate() {
            let baseline = 100.0 + n as f32 * 12.0;
            pieces.extend(words(left, 50.0, baseline));
            pieces.extend(words(right, 300.0, baseline));
        }
        let got = lines(as_pdf_oxide_gives(pieces));
        let want: Vec<&str> = LEFT.iter().chain(RIGHT.iter()).copied().collect();
        assert_eq!(texts(&got), want);
    }

    #[test]
    fn a_tables_rows_are_read_across() {
        let mut pieces = Vec::new();
        for (n, (name, what)) in [
            ("iron", "a metal"),
            ("heron", "a bird"),
            ("plum", "a fruit"),
        ]
        .iter()
        .enumerate()
        {
            let baseline = 100.0 + n as f32 * 12.0;
            pieces.extend(words(name, 50.0, baseline));
            pieces.extend(words(what, 300.0, baseline));
        }
        let got = lines(as_pdf_oxide_gives(pieces));
        assert_eq!(
            texts(&got),
            ["iron a metal", "heron a bird", "plum a fruit"]
        );
    }

    #[test]
    fn superscripts_stay_on_their_line_as_words_of_their_own() {
        // `important¹ point`, the mark smaller and raised; then `TeX` with the E lowered, in
        // the same type size; then the next line.
        let mut pieces = word("important", 50.0, 100.0);
        pieces.extend(sized("1", 95.0, 96.0, 7.0));
        pieces.extend(word("point", 102.0, 100.0));
        pieces.extend(word("T", 140.0, 100.0));
        pieces.extend(word("E", 144.0, 102.0));
        pieces.extend(word("X", 148.0, 100.0));
        pieces.extend(words("next line", 50.0, 112.0));
        let got = lines(as_pdf_oxide_gives(pieces));
        assert_eq!(texts(&got), ["important 1 point TEX", "next line"]);
    }

    #[test]
    fn an_accent_drawn_over_a_letter_joins_it() {
        let mut pieces = word("storen", 50.0, 100.0);
        // The diaeresis over the `o` (x 60 to 65), a hair off the baseline.
        pieces.extend(sized("¨", 61.0, 100.04, 10.0).into_iter().map(|mut p| {
            p.width = 3.0;
            p
        }));
        let got = lines(as_pdf_oxide_gives(pieces));
        assert_eq!(texts(&got), ["stören"]);
    }

    #[test]
    fn a_space_the_document_writes_stays_where_it_stands() {
        // `Water` then a space piece, and a superscript between them in reading order.
        let mut pieces = word("Water", 50.0, 100.0);
        pieces.push(Piece {
            text: ' ',
            x: 80.0,
            width: 0.0,
            ..pieces[0].clone()
        });
        pieces.extend(word("is", 81.0, 100.0));
        pieces.extend(sized("2", 75.0, 104.0, 10.0));
        let got = lines(pieces);
        assert_eq!(texts(&got), ["Water2 is"]);
    }

    #[test]
    fn text_set_sideways_is_read_after_the_page() {
        let mut pieces = words("body text", 50.0, 100.0);
        for (n, c) in "stamp".chars().enumerate() {
            pieces.push(Piece {
                text: c,
                x: 10.0,
                y: 50.0 + n as f32 * 5.0,
                width: 10.0,
                height: 5.0,
                sideways: true,
                monospace: false,
            });
        }
        let got = lines(pieces);
        assert_eq!(texts(&got), ["body text", "stamp"]);
    }

    #[test]
    fn code_in_aligned_columns_is_read_across() {
        let mut pieces = Vec::new();
        for (n, (code, comment)) in [
            ("let width = page.width();", "// the page's width in points"),
            (
                "let height = page.height();",
                "// and its height in points too",
            ),
            (
                "let margin = width / 10.0;",
                "// a tenth of it on each side ok",
            ),
        ]
        .iter()
        .enumerate()
        {
            let baseline = 100.0 + n as f32 * 12.0;
            pieces.extend(words(code, 50.0, baseline));
            pieces.extend(words(comment, 300.0, baseline));
        }
        for piece in &mut pieces {
            piece.monospace = true;
        }
        let got = lines(as_pdf_oxide_gives(pieces));
        assert_eq!(got.len(), 3, "{:?}", texts(&got));
        assert!(got[0].text.starts_with("let width"), "{:?}", texts(&got));
    }

    proptest::proptest! {
        #[test]
        fn every_glyph_is_read_once_wherever_it_stands(
            placed in proptest::collection::vec(
                (
                    proptest::sample::select(vec!['a', 'b', 'Q', '7', ' ', '.']),
                    -50.0f32..700.0,
                    -50.0f32..900.0,
                    0.0f32..12.0,
                    0.0f32..30.0,
                    proptest::bool::weighted(0.05),
                    proptest::bool::ANY,
                ),
                0..400,
            )
        ) {
            let pieces: Vec<Piece> = placed
                .iter()
                .map(|&(text, x, y, width, height, sideways, monospace)| Piece {
                    text,
                    x,
                    y,
                    width,
                    height,
                    sideways,
                    monospace,
                })
                .collect();
            let mut want: Vec<char> = pieces
                .iter()
                .map(|p| p.text)
                .filter(|c| !c.is_whitespace())
                .collect();
            let mut got: Vec<char> = lines(pieces)
                .iter()
                .flat_map(|l| l.text.chars())
                .filter(|c| !c.is_whitespace())
                .collect();
            want.sort_unstable();
            got.sort_unstable();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn a_page_of_scattered_glyphs_is_read_in_bounded_time() {
        // 40,000 glyphs on a grid with gaps everywhere: every cut is possible.
        let mut pieces = Vec::new();
        for row in 0..200 {
            for column in 0..200 {
                pieces.extend(word("x", column as f32 * 20.0, row as f32 * 25.0 + 10.0));
            }
        }
        let got = lines(as_pdf_oxide_gives(pieces));
        let glyphs: usize = got.iter().map(|l| l.text.split(' ').count()).sum();
        assert_eq!(glyphs, 40_000);
    }
}
