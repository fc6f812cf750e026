//! A PDF page's characters put in reading order and made into lines. pdf_oxide hands over a
//! page's characters sorted by baseline and then left edge, which runs the columns of a
//! two-column page together line by line and puts a raised superscript on a line of its own.
//! Here the page is cut the way a reader's eye splits it (a recursive XY-cut): first a running
//! head or foot set off by a wide band; then down an empty gutter that runs the whole height of
//! a region, leaves text at least a quarter of the region wide on each side and has running
//! text in the columns beside it (not a table's cells, not aligned code); then, when the rest
//! of a region would split into columns, a title or closing lines set across them; else across
//! at the region's widest empty bands. What cannot be cut further is read row by row: a row is
//! the characters of one baseline with the smaller raised or lowered ones (superscripts,
//! subscripts) nearest it, combining marks after their letters. Text turned on its side (a
//! margin stamp) is read after the page. Columns of right-to-left text are read from the right,
//! and a right-to-left line from its right end ([`super::bidi`]).

use super::bidi;
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
    /// Whether sideways text reads up the page (turned counter-clockwise), not down.
    pub upward: bool,
    /// Whether the font is fixed-pitch (code, where aligned columns are not page columns).
    pub monospace: bool,
}

impl Piece {
    /// The type size (at least a point).
    fn size(&self) -> f32 {
        self.height.max(1.0)
    }
    /// The right edge.
    fn right(&self) -> f32 {
        self.x + self.width.max(0.0)
    }
    /// The baseline.
    fn bottom(&self) -> f32 {
        self.y + self.size()
    }
}

/// The narrowest gutter between columns, in type sizes (LaTeX's default column gap is one).
const GUTTER_SIZES: f32 = 0.8;
/// The share of a region's width the text on each side of a gutter must span.
const COLUMN_SHARE: f32 = 0.25;
/// How many bands from the top and from the foot of a region are tried for a title or closing
/// lines set across its columns.
const EDGE_ROWS: usize = 3;
/// The glyphs a baseline of running text holds on average, at least.
const PROSE_ROW_GLYPHS: usize = 15;
/// The share of a column's lines starting with a cased letter that start with a small one, at
/// least.
const RUNNING_ON: f32 = 0.3;
/// How far (as a share of the smaller height) two rows of text must overlap to be one row.
const SAME_ROW: f32 = 0.3;
/// How much cutting (pieces looked at, per piece of the page) is done before what is left is
/// read row by row: a bound for pages built to make the cut slow.
const CUT_WORK_PER_PIECE: usize = 64;

/// The pieces of a page (in any order) as lines in reading order.
pub fn lines(pieces: Vec<Piece>) -> Vec<Line> {
    let (glyphs, spaces) = glyphs(pieces);
    let mut out = Vec::new();
    for region in regions_in_order(&glyphs) {
        let rtl = bidi::mostly_right_to_left(region.iter().map(|&i| glyphs[i].text));
        let rows = rows(&glyphs, region);
        out.extend(
            rows.into_iter()
                .filter_map(|row| line(&glyphs, &spaces, row, rtl)),
        );
    }
    let mut out = merge_split_rows(out);
    out.extend(sideways_lines(&glyphs));
    out
}

/// The pieces that are not white space, and where the document wrote spaces (pdf_oxide writes
/// a space as a piece of its own, often with no width): a space's baseline and left edge, by
/// baseline and then left edge.
fn glyphs(pieces: Vec<Piece>) -> (Vec<Piece>, Spaces) {
    let mut glyphs: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut spaces = Vec::new();
    for piece in pieces {
        if piece.text.is_whitespace() && !piece.sideways {
            spaces.push((piece.bottom(), piece.x));
            continue;
        }
        glyphs.push(piece);
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

/// The median of `values` (the upper one of an even count); 1 when there are none.
pub(super) fn median(values: &mut [f32]) -> f32 {
    if values.is_empty() {
        return 1.0;
    }
    let middle = values.len() / 2;
    *values.select_nth_unstable_by(middle, f32::total_cmp).1
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
    fn of(glyphs: &[Piece], region: &[usize]) -> Extent {
        let mut extent = Extent {
            left: f32::MAX,
            right: f32::MIN,
            top: f32::MAX,
            bottom: f32::MIN,
            size: 1.0,
        };
        let mut sizes = [0u32; SIZE_SLOTS];
        for &i in region {
            let glyph = &glyphs[i];
            extent.left = extent.left.min(glyph.x);
            extent.right = extent.right.max(glyph.right());
            extent.top = extent.top.min(glyph.y);
            extent.bottom = extent.bottom.max(glyph.bottom());
            sizes[((glyph.size() * 2.0) as usize).min(SIZE_SLOTS - 1)] += 1;
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
fn regions_in_order(glyphs: &[Piece]) -> Vec<Vec<usize>> {
    let mut leaves = Vec::new();
    let mut budget = glyphs.len().saturating_mul(CUT_WORK_PER_PIECE) + 100_000;
    let mut page: Vec<usize> = (0..glyphs.len()).filter(|&i| !glyphs[i].sideways).collect();
    page.sort_by(|&a, &b| by_baseline(&glyphs[a], &glyphs[b]));
    let mut stack = vec![page];
    let mut scratch = Scratch::default();
    while let Some(region) = stack.pop() {
        if region.is_empty() {
            continue;
        }
        let extent = Extent::of(glyphs, &region);
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
            find_bands(glyphs, &region, &mut scratch);
            running_head_or_foot(glyphs, &region, &extent, &scratch.gaps)
                .or_else(|| {
                    columns_possible
                        .then(|| column_cut(glyphs, &region, &extent, &mut scratch))
                        .flatten()
                })
                .or_else(|| {
                    columns_possible
                        .then(|| spanning_edge(glyphs, &region, &mut scratch))
                        .flatten()
                })
                .or_else(|| widest_bands(&region, &scratch.gaps))
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
fn by_baseline(a: &Piece, b: &Piece) -> std::cmp::Ordering {
    a.bottom().total_cmp(&b.bottom()).then(a.x.total_cmp(&b.x))
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

/// The region split at its widest gutter between columns, left part first (right part first
/// when the region's letters are mostly right to left), when it has one.
/// The gutter is found on the region's width counted in steps (points, or coarser for a region
/// wider than [`WIDTH_STEPS`] points) where glyphs stand, each glyph taken a step wider on each
/// side.
fn column_cut(
    glyphs: &[Piece],
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
        starts[cell(glyphs[i].x)] += 1;
        starts[(cell(glyphs[i].right()) + 2).min(cells)] -= 1;
    }
    let gutter = GUTTER_SIZES * extent.size;
    // Every gutter's middle, and the widest one with text wide enough on both sides.
    let mut gutters: Vec<f32> = Vec::new();
    let mut best: Option<(f32, usize)> = None;
    let mut run_start = None;
    let mut standing = 0;
    for (at, &change) in starts[..cells].iter().enumerate() {
        standing += change;
        match (standing > 0, run_start) {
            (false, None) => run_start = Some(at),
            (true, Some(start)) => {
                run_start = None;
                let gap = (at - start + 1) as f32 * step;
                if gap < gutter {
                    continue;
                }
                let sides_wide = start as f32 * step >= COLUMN_SHARE * width
                    && width - at as f32 * step >= COLUMN_SHARE * width;
                if sides_wide && best.is_none_or(|(widest, _)| gap > widest) {
                    best = Some((gap, gutters.len()));
                }
                gutters.push(left_edge + (start + at) as f32 * step / 2.0);
            }
            _ => {}
        }
    }
    let (_, chosen) = best?;
    let cut = gutters[chosen];
    let middle = |i: usize| (glyphs[i].x + glyphs[i].right()) / 2.0;
    let (left, right): (Vec<usize>, Vec<usize>) = region.iter().partition(|&&i| middle(i) < cut);
    let code = |side: &[usize]| side.iter().all(|&i| glyphs[i].monospace);
    if code(&left) && code(&right) {
        // Aligned columns of code or a fixed-pitch table are read across, as typed.
        return None;
    }
    // The columns on either side of the gutter (a side may hold more than one): each must be
    // running text, or they are a table's, whose rows are read across, a row's cells together.
    let before = chosen.checked_sub(1).map_or(f32::MIN, |g| gutters[g]);
    let after = gutters.get(chosen + 1).copied().unwrap_or(f32::MAX);
    let column = |side: &[usize], from: f32, to: f32| -> Vec<usize> {
        side.iter()
            .copied()
            .filter(|&i| (from..to).contains(&middle(i)))
            .collect()
    };
    if !is_prose(glyphs, &column(&left, before, cut), gutter)
        || !is_prose(glyphs, &column(&right, cut, after), gutter)
    {
        return None;
    }
    // Columns of right-to-left text are read from the right.
    Some(
        match bidi::mostly_right_to_left(region.iter().map(|&i| glyphs[i].text)) {
            true => heading_over_columns(glyphs, right, left),
            false => vec![left, right],
        },
    )
}

/// Two right-to-left columns in reading order, with the lines of the left one (read second)
/// that stand above all of the right one read first: a heading set above the columns but over
/// the left one only, as a title at the top left of the page. Only one or two rows (at most two
/// and a half type sizes tall) count as such a heading. (Left-to-right columns are read left
/// first, with what stands over the left one; what stands over the right one only is as often
/// a margin note or an index's letter as a title, and stays with it.)
fn heading_over_columns(
    glyphs: &[Piece],
    first: Vec<usize>,
    second: Vec<usize>,
) -> Vec<Vec<usize>> {
    let first_top = first.iter().map(|&i| glyphs[i].y).fold(f32::MAX, f32::min);
    let (above, below): (Vec<usize>, Vec<usize>) = second
        .iter()
        .partition(|&&i| glyphs[i].bottom() <= first_top);
    let top = above.iter().map(|&i| glyphs[i].y).fold(f32::MAX, f32::min);
    let bottom = above
        .iter()
        .map(|&i| glyphs[i].bottom())
        .fold(f32::MIN, f32::max);
    let size = above.iter().map(|&i| glyphs[i].size()).fold(0.0, f32::max);
    if above.is_empty() || below.is_empty() || bottom - top > 2.5 * size {
        return vec![first, second];
    }
    vec![above, first, below]
}

/// Whether one side of a gutter (`side`, in [`by_baseline`] order) reads as a column of running
/// text: its baselines hold [`PROSE_ROW_GLYPHS`] glyphs or more on average, most of them
/// without a gap as wide as two gutters within them (a table's cells are spaced apart), and
/// its lines run on from one to the next: of the lines that start with a cased letter, at
/// least [`RUNNING_ON`] start with a small one (a table's cells, a list's entries start with
/// capitals or digits; a column's lines mostly start within a sentence).
fn is_prose(glyphs: &[Piece], side: &[usize], gutter: f32) -> bool {
    #[derive(Clone, Copy)]
    struct Run {
        glyphs: usize,
        right: f32,
        widest_gap: f32,
        first: (f32, char),
    }
    let mut rows: std::collections::HashMap<i32, Run> = std::collections::HashMap::new();
    for &i in side {
        let glyph = &glyphs[i];
        let row = rows
            .entry((glyph.bottom() * 2.0).round() as i32)
            .or_insert(Run {
                glyphs: 0,
                right: glyph.x,
                widest_gap: 0.0,
                first: (glyph.x, glyph.text),
            });
        row.widest_gap = row.widest_gap.max(glyph.x - row.right);
        row.glyphs += 1;
        row.right = row.right.max(glyph.right());
        if glyph.x < row.first.0 {
            row.first = (glyph.x, glyph.text);
        }
    }
    let rows: Vec<Run> = rows.into_values().filter(|row| row.glyphs >= 3).collect();
    let glyph_count: usize = rows.iter().map(|row| row.glyphs).sum();
    let unbroken = rows
        .iter()
        .filter(|row| row.widest_gap < 2.0 * gutter)
        .count();
    let cased = rows
        .iter()
        .filter(|row| row.first.1.is_lowercase() || row.first.1.is_uppercase())
        .count();
    let small = rows.iter().filter(|row| row.first.1.is_lowercase()).count();
    let runs_on = cased == 0 || small as f32 >= RUNNING_ON * cased as f32;
    !rows.is_empty()
        && glyph_count >= PROSE_ROW_GLYPHS * rows.len()
        && unbroken * 2 >= rows.len()
        && runs_on
}

/// Finds the region's empty bands across (into `scratch.gaps`: each band's height and where
/// the region's order splits at it). A band lies between two places of the region's order
/// where everything before ends above everything after.
fn find_bands(glyphs: &[Piece], region: &[usize], scratch: &mut Scratch) {
    let highest_after = &mut scratch.tops;
    highest_after.clear();
    highest_after.resize(region.len() + 1, f32::MAX);
    for (at, &i) in region.iter().enumerate().rev() {
        highest_after[at] = highest_after[at + 1].min(glyphs[i].y);
    }
    let gaps = &mut scratch.gaps;
    gaps.clear();
    let mut lowest_before = f32::MIN;
    for (at, &i) in region.iter().enumerate() {
        let gap = highest_after[at] - lowest_before;
        if at > 0 && gap > 0.01 {
            gaps.push((gap, at));
        }
        lowest_before = lowest_before.max(glyphs[i].bottom());
    }
}

/// The region split off its running head or foot, when it has one: a top or bottom part no
/// taller than three rows of the region's type, set off by a band of at least one and a half.
/// Taken before columns, so that a page number centred over the gutter (in it, between
/// the columns) does not split the gutter in two.
fn running_head_or_foot(
    glyphs: &[Piece],
    region: &[usize],
    extent: &Extent,
    gaps: &[(f32, usize)],
) -> Option<Vec<Vec<usize>>> {
    let short = |part: &[usize]| {
        let (mut top, mut bottom) = (f32::MAX, f32::MIN);
        for &i in part {
            top = top.min(glyphs[i].y);
            bottom = bottom.max(glyphs[i].bottom());
        }
        bottom - top <= 3.0 * extent.size
    };
    let set_off = |gap: f32| gap >= 1.5 * extent.size;
    let (first, last) = (gaps.first()?, gaps.last()?);
    let at = if set_off(first.0) && short(&region[..first.1]) {
        first.1
    } else if set_off(last.0) && short(&region[last.1..]) {
        last.1
    } else {
        return None;
    };
    Some(vec![region[..at].to_vec(), region[at..].to_vec()])
}

/// The region split at one of its first or last [`EDGE_ROWS`] empty bands across, when what
/// that leaves below or above it splits into columns: a title or a closing paragraph set
/// across the columns, with no wider space around it than between the columns' paragraphs.
fn spanning_edge(
    glyphs: &[Piece],
    region: &[usize],
    scratch: &mut Scratch,
) -> Option<Vec<Vec<usize>>> {
    let gaps: Vec<usize> = scratch.gaps.iter().map(|&(_, at)| at).collect();
    if gaps.is_empty() {
        return None;
    }
    // First whether the region without its edges splits into columns at all: most regions
    // (a single column's paragraphs) do not, and are looked at once rather than six times.
    let edge = (EDGE_ROWS - 1).min(gaps.len().saturating_sub(1) / 2);
    let middle = &region[gaps[edge]..gaps[gaps.len() - 1 - edge]];
    if middle.len() < 2 * PROSE_ROW_GLYPHS
        || column_cut(glyphs, middle, &Extent::of(glyphs, middle), scratch).is_none()
    {
        return None;
    }
    let from_top = gaps.iter().take(EDGE_ROWS).map(|&at| (at, &region[at..]));
    let from_foot = gaps
        .iter()
        .rev()
        .take(EDGE_ROWS)
        .map(|&at| (at, &region[..at]));
    for (at, rest) in from_top.chain(from_foot) {
        if rest.len() >= 2 * PROSE_ROW_GLYPHS {
            let extent = Extent::of(glyphs, rest);
            if column_cut(glyphs, rest, &extent, scratch).is_some() {
                return Some(vec![region[..at].to_vec(), region[at..].to_vec()]);
            }
        }
    }
    None
}

/// The region split across at its widest empty bands (`gaps`, from [`find_bands`]: every
/// band as wide as the widest, give or take a twentieth), top part first, when it has one.
fn widest_bands(region: &[usize], gaps: &[(f32, usize)]) -> Option<Vec<Vec<usize>>> {
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

/// A region's glyphs (in [`by_baseline`] order) as rows, top to bottom. Glyphs of one baseline
/// make a group, as tall as most of its glyphs (a drop cap on the baseline does not stretch
/// it over the lines above). Groups in the region's usual type (or larger) are rows, merged
/// when they stand mostly within each other's height; a group in smaller type (superscripts,
/// subscripts) joins the row it overlaps enough whose baseline is nearest its own.
fn rows(glyphs: &[Piece], region: Vec<usize>) -> Vec<Row> {
    let usual = median(
        &mut region
            .iter()
            .map(|&i| glyphs[i].size())
            .collect::<Vec<f32>>(),
    );
    let mut groups: Vec<Row> = Vec::new();
    for i in region {
        let glyph = &glyphs[i];
        let baseline = glyph.bottom();
        match groups.last_mut() {
            Some(group) if (group.bottom - baseline).abs() < glyph.size() * 0.25 => {
                group.members.push(i);
            }
            _ => groups.push(Row {
                members: vec![i],
                top: glyph.y,
                bottom: baseline,
                main_count: 0,
            }),
        }
    }
    let mut minor = Vec::new();
    let mut main = Vec::new();
    for mut group in groups {
        group.main_count = group.members.len();
        let size = median(
            &mut group
                .members
                .iter()
                .map(|&i| glyphs[i].size())
                .collect::<Vec<f32>>(),
        );
        group.top = group.bottom - size;
        if size < 0.9 * usual {
            minor.push(group);
        } else {
            main.push(group);
        }
    }
    main.sort_unstable_by(|a, b| a.top.total_cmp(&b.top));
    let mut rows: Vec<Row> = Vec::new();
    let mut main = main.into_iter().peekable();
    while let Some(group) = main.next() {
        let with_last = rows.last().map_or(0.0, |row| overlap(row, &group));
        let with_next = main.peek().map_or(0.0, |next| overlap(&group, next));
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
    let mut alone = Vec::new();
    for group in minor {
        let near = rows.partition_point(|row| row.top < group.top);
        let host = (near.saturating_sub(2)..(near + 2).min(rows.len()))
            .filter(|&r| overlap(&rows[r], &group) >= SAME_ROW)
            .min_by(|&a, &b| {
                let distance = |r: usize| (rows[r].bottom - group.bottom).abs();
                distance(a).total_cmp(&distance(b))
            });
        match host {
            Some(r) => rows[r].members.extend(group.members),
            None => alone.push(group),
        }
    }
    if !alone.is_empty() {
        rows.extend(alone);
        rows.sort_by(|a, b| a.top.total_cmp(&b.top));
    }
    rows
}

/// How much two rows' main extents overlap, as a share of the smaller height.
fn overlap(a: &Row, b: &Row) -> f32 {
    shared_height((a.top, a.bottom), (b.top, b.bottom))
}

/// How much two spans down the page (top, bottom) overlap, as a share of the shorter.
fn shared_height(a: (f32, f32), b: (f32, f32)) -> f32 {
    let shared = a.1.min(b.1) - a.0.max(b.0);
    let smaller = (a.1 - a.0).min(b.1 - b.0).max(0.01);
    (shared / smaller).max(0.0)
}

/// A row's glyphs, left to right, as a line: a gap wider than a fifth of the next glyph's type
/// size, or a space the document wrote that leaves more room than the word's letters do, is a
/// space. Smaller raised glyphs (footnote marks,
/// exponents) are moved to the end of the line as words of their own, so that `important¹
/// point` is found as the phrase `important point`; an ordinal's letters after a number (`1st`)
/// and smaller lowered glyphs (`H₂O`) stay joined to what they follow. A line set right to left
/// is read from the right ([`bidi`]; `region_rtl`: whether the region it stands in mostly is).
fn line(glyphs: &[Piece], spaces: &Spaces, row: Row, region_rtl: bool) -> Option<Line> {
    let mut members = row.members;
    members.sort_unstable_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x));
    marks_after_their_letters(glyphs, &mut members);
    let marks = accents_placed_over_letters(glyphs, &members);
    let main_size = (row.bottom - row.top).max(1.0);
    let written = spaces.on(row.bottom, 0.25 * main_size);
    let script = |glyph: &Piece| {
        let shift = glyph.bottom() - row.bottom;
        if glyph.size() >= 0.9 * main_size || shift.abs() <= 0.15 * main_size {
            Script::None
        } else if shift < 0.0 {
            Script::Raised
        } else {
            Script::Lowered
        }
    };
    let mut next_space = 0;
    let mut text = String::new();
    let mut moved = String::new();
    // Whether the raised glyphs being read are moved (`Some(true)`) or kept in place.
    let mut raised_run: Option<bool> = None;
    let mut previous: Option<&Piece> = None;
    // The gap between the last two glyphs read when no space came between them: how the line
    // sets the letters of a word (about nothing, or less when the type is condensed).
    let mut letter_gap: Option<f32> = None;
    for (at, &i) in members.iter().enumerate() {
        let glyph = &glyphs[i];
        let marks = marks.get(at);
        if marks.is_some_and(|m| m.placed) {
            continue;
        }
        if previous.is_some() && is_combining_mark(glyph.text) {
            // A combining mark belongs to the letter before it (see `marks_after_their_letters`):
            // no space before it, and the next glyph's gap is measured from that letter.
            text.push(glyph.text);
            continue;
        }
        // The spaces written up to this glyph (after a superscript that sits between a space
        // and the glyph it followed on the baseline, the space still comes before this one).
        let before_space = next_space;
        while written.get(next_space).is_some_and(|&x| x <= glyph.x + 0.5) {
            next_space += 1;
        }
        let size = glyph.size();
        let gap = previous.map(|before| glyph.x - before.right());
        let kerned = gap.is_some_and(|gap| gap <= -0.1 * size);
        let kind = script(glyph);
        if kind == Script::Raised {
            let move_it = *raised_run.get_or_insert_with(|| {
                let after_number = previous.is_some_and(|p| p.text.is_ascii_digit());
                previous.is_some() && !kerned && !(after_number && glyph.text.is_alphabetic())
            });
            if move_it {
                let starts_run = at == 0 || script(&glyphs[members[at - 1]]) != Script::Raised;
                // Within a run, the gap is the one from the raised glyph before (`¹⁰`'s `0`
                // from its `1`, not from the word the mark follows).
                let gap = match starts_run {
                    true => gap,
                    false => Some(glyph.x - glyphs[members[at - 1]].right()),
                };
                let apart = next_space > before_space || gap.is_some_and(|gap| gap > size * 0.2);
                if starts_run || apart {
                    moved.push(' ');
                }
                moved.push(glyph.text);
                continue;
            }
        } else {
            raised_run = None;
        }
        if let (Some(before), Some(gap)) = (previous, gap) {
            let joined = match (script(before), kind) {
                (_, Script::Lowered) | (Script::Lowered, _) => true,
                (Script::None, Script::Raised) => true,
                (Script::Raised, Script::None) => kerned,
                _ => gap <= size * 0.2,
            };
            // A space written where the next glyph stands as the letters of a word stand is no
            // space to a reader: groff kerns `Tw o` by a space whose character and word spacing
            // take its width back (in condensed type a word's letters overlap, and a space,
            // narrowed as much, still leaves more room than they do).
            let room = gap - letter_gap.unwrap_or(0.0).min(0.0);
            let written = next_space > before_space && room > size * 0.12;
            let spaced = written || gap > size * 0.2 || !joined;
            if spaced {
                text.push(' ');
            }
            letter_gap = (!spaced).then_some(gap);
        }
        text.push(glyph.text);
        if let Some(marks) = marks {
            text.extend(&marks.combining);
        }
        previous = Some(glyph);
    }
    // The raised glyphs moved go to the end of the line as read: its left end as drawn when it
    // is set right to left.
    let rtl = bidi::reads_right_to_left(&text, region_rtl);
    match rtl {
        true if !moved.is_empty() => text.insert_str(0, &format!("{} ", moved.trim_start())),
        _ => text.push_str(&moved),
    }
    let monospace = members.iter().filter(|&&i| glyphs[i].monospace).count() * 2 > members.len();
    let text = tidy(in_reading_order(text, rtl));
    (!text.is_empty()).then(|| Line {
        text,
        rtl,
        monospace,
        x: glyphs[members[0]].x,
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

/// Where a glyph stands against its row's baseline: on it, or smaller and raised or lowered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    None,
    Raised,
    Lowered,
}

/// Combining marks (an Arabic vowel sign or shadda, a Hebrew point) drawn over or under a
/// letter come after that letter, as they are written: marks drawn from a point left of their
/// letter's sort before it, and a run of them is moved after it when the letter after the run
/// stands nearer the first mark's middle than the glyph before the run.
fn marks_after_their_letters(glyphs: &[Piece], members: &mut [usize]) {
    let middle = |glyph: &Piece| glyph.x + glyph.width.max(0.0) / 2.0;
    let mut at = 0;
    while at < members.len() {
        if !is_combining_mark(glyphs[members[at]].text) {
            at += 1;
            continue;
        }
        let marks_end = members[at..]
            .iter()
            .position(|&i| !is_combining_mark(glyphs[i].text))
            .map_or(members.len(), |n| at + n);
        let Some(&letter) = members.get(marks_end) else {
            break;
        };
        let mark = &glyphs[members[at]];
        let distance = |glyph: &Piece| (middle(glyph) - middle(mark)).abs();
        let nearer_next = at
            .checked_sub(1)
            .is_none_or(|before| distance(&glyphs[letter]) < distance(&glyphs[members[before]]));
        if nearer_next {
            // The letter first, then its marks in their order.
            members[at..=marks_end].rotate_right(1);
        }
        at = marks_end + 1;
    }
}

/// Whether a character is a combining mark (drawn over or under the letter before it).
fn is_combining_mark(c: char) -> bool {
    !c.is_ascii() && unicode_normalization::char::is_combining_mark(c)
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
fn accents_placed_over_letters(glyphs: &[Piece], members: &[usize]) -> Vec<Marks> {
    if !members
        .iter()
        .any(|&i| combining_form(glyphs[i].text).is_some())
    {
        return Vec::new();
    }
    let mut marks = vec![Marks::default(); members.len()];
    for (at, &i) in members.iter().enumerate() {
        let Some(mark) = combining_form(glyphs[i].text) else {
            continue;
        };
        let middle = glyphs[i].x + glyphs[i].width / 2.0;
        let over = |neighbour: usize| {
            let letter = &glyphs[members[neighbour]];
            letter.text.is_alphabetic() && (letter.x..=letter.right()).contains(&middle)
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

/// A line's text, built left to right across the page, in reading order (see [`bidi`]), the
/// line set right to left or not.
fn in_reading_order(visual: String, rtl: bool) -> String {
    match bidi::logical(&visual, rtl) {
        std::borrow::Cow::Borrowed(_) => visual,
        std::borrow::Cow::Owned(logical) => logical,
    }
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
            Some(last) if same_row(last, &line) && line.reads_on_from(last) => {
                last.text.push(' ');
                last.text.push_str(&line.text);
                last.x = last.x.min(line.x);
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
    shared_height((a.top, a.bottom), (b.top, b.bottom)) >= SAME_ROW
}

/// A page's text set on its side, as lines: glyphs turned the same way and sharing a column
/// (their left edges within a type size of each other) make one line, read down the page or,
/// turned counter-clockwise, up it; the spaces are the ones the document wrote.
fn sideways_lines(glyphs: &[Piece]) -> Vec<Line> {
    let mut order: Vec<usize> = (0..glyphs.len()).filter(|&i| glyphs[i].sideways).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (&glyphs[a], &glyphs[b]);
        a.upward
            .cmp(&b.upward)
            .then(a.x.total_cmp(&b.x))
            .then(a.y.total_cmp(&b.y))
    });
    let mut columns: Vec<Vec<usize>> = Vec::new();
    for i in order {
        let piece = &glyphs[i];
        match columns.last_mut() {
            Some(column)
                if glyphs[column[0]].upward == piece.upward
                    && (piece.x - glyphs[column[0]].x).abs() < glyphs[i].size() =>
            {
                column.push(i)
            }
            _ => columns.push(vec![i]),
        }
    }
    columns
        .into_iter()
        .filter_map(|mut column| {
            column.sort_unstable_by(|&a, &b| glyphs[a].y.total_cmp(&glyphs[b].y));
            if glyphs[column[0]].upward {
                column.reverse();
            }
            let text: String = column.iter().map(|&i| glyphs[i].text).collect();
            let rtl = bidi::reads_right_to_left(&text, bidi::mostly_right_to_left(text.chars()));
            let text = tidy(in_reading_order(text, rtl));
            let first = &glyphs[column[0]];
            (!text.is_empty()).then(|| Line {
                text,
                rtl,
                monospace: first.monospace,
                x: first.x,
                right: first.right(),
                top: first.y,
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
                upward: false,
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
    fn right_to_left_columns_are_read_from_the_right_each_line_in_reading_order() {
        const FIRST: [&str; 4] = [
            "זוהי השורה הראשונה של הטור הימני בעמוד הזה",
            "והיא ממשיכה אל השורה השנייה של אותו הטור",
            "ושורה שלישית שומרת על סדר הקריאה הנכון",
            "עד שהשורה הרביעית מסיימת את הטור הראשון",
        ];
        const SECOND: [&str; 4] = [
            "הטור השני מתחיל בראש העמוד משמאל לראשון",
            "וממשיך עם המילים שלו בלי לערבב אותן כלל",
            "עם המילים של הטור שלצידו בשום שורה שלו",
            "כאשר אדם קורא את העמוד משנת 2024 מימין",
        ];
        // Drawn right to left: a line's last letter is its leftmost glyph (a number stays
        // left to right).
        let drawn = |line: &str| -> String {
            let reversed: String = line.chars().rev().collect();
            reversed.replace("4202", "2024")
        };
        let mut pieces = Vec::new();
        for (n, (first, second)) in FIRST.iter().zip(SECOND).enumerate() {
            let baseline = 100.0 + n as f32 * 12.0;
            pieces.extend(words(&drawn(second), 50.0, baseline));
            pieces.extend(words(&drawn(first), 320.0, baseline));
        }
        let got = lines(as_pdf_oxide_gives(pieces));
        let want: Vec<&str> = FIRST.iter().chain(SECOND.iter()).copied().collect();
        assert_eq!(texts(&got), want);
        assert!(got.iter().all(|line| line.rtl));
    }

    #[test]
    fn halves_of_a_row_split_by_a_wide_gap_join_in_reading_order() {
        let half = |text: &str, x: f32, rtl: bool| Line {
            text: text.into(),
            x,
            right: x + 100.0,
            top: 0.0,
            bottom: 10.0,
            size: 10.0,
            rtl,
            monospace: false,
        };
        // Left to right: the left half first; right to left: the right half first.
        let joined = merge_split_rows(vec![
            half("Part One", 0.0, false),
            half("Title", 300.0, false),
        ]);
        assert_eq!(texts(&joined), ["Part One Title"]);
        let joined = merge_split_rows(vec![
            half("חלק ראשון", 300.0, true),
            half("כותרת", 0.0, true),
        ]);
        assert_eq!(texts(&joined), ["חלק ראשון כותרת"]);
        // Right to left, read the other way round: not one row's halves.
        let apart = merge_split_rows(vec![
            half("כותרת", 0.0, true),
            half("חלק ראשון", 300.0, true),
        ]);
        assert_eq!(apart.len(), 2);
    }

    #[test]
    fn a_footnote_mark_in_a_right_to_left_line_goes_to_its_end() {
        // `שלום¹ עולם` drawn right to left: `עולם`, the raised `1` after `שלום`, `שלום`.
        let mut pieces = word("םלוע", 50.0, 100.0);
        pieces.extend(sized("1", 72.0, 97.0, 6.0));
        pieces.extend(word("םולש", 75.0, 100.0));
        let got = lines(as_pdf_oxide_gives(pieces));
        assert_eq!(texts(&got), ["שלום עולם 1"]);
    }

    #[test]
    fn a_mark_drawn_left_of_its_letter_stays_with_it_and_splits_no_word() {
        // `متراً تدرَّس` drawn right to left: the second word first (seen, a shadda and a fatha
        // drawn from points left of the reh they are on, reh, dal, teh), then the first (a
        // narrow alef with its tanween, reh, teh, meem).
        let glyph = |text: char, x: f32, width: f32| Piece {
            width,
            ..word(&text.to_string(), x, 100.0)[0].clone()
        };
        let pieces = vec![
            glyph('س', 0.0, 5.4),
            glyph('\u{651}', 6.6, 0.0),
            glyph('\u{64e}', 6.7, 0.0),
            glyph('ر', 7.0, 5.0),
            glyph('د', 12.0, 5.0),
            glyph('ت', 17.0, 5.0),
            glyph('ا', 28.0, 2.0),
            glyph('\u{64b}', 28.5, 0.0),
            glyph('ر', 31.0, 5.0),
            glyph('ت', 36.0, 5.0),
            glyph('م', 41.0, 5.0),
        ];
        let got = lines(as_pdf_oxide_gives(pieces));
        // (The marks in Unicode's canonical order: the fatha before the shadda.)
        assert_eq!(texts(&got), ["متراً تدر\u{64e}\u{651}س"]);
    }

    #[test]
    fn a_heading_over_the_column_read_second_is_read_before_both() {
        // A Hebrew page: the title at the top over the left column, the right column (read
        // first) starting below it.
        let drawn = |line: &str| -> String { line.chars().rev().collect() };
        let mut pieces = words(&drawn("מדריך קצר"), 50.0, 80.0);
        let rows = [
            "זוהי השורה הראשונה של הטור הימני בעמוד הזה",
            "והיא ממשיכה אל השורה השנייה של אותו הטור",
            "ושורה שלישית שומרת על סדר הקריאה הנכון",
        ];
        for (n, line) in rows.iter().enumerate() {
            let baseline = 100.0 + n as f32 * 12.0;
            pieces.extend(words(&drawn(line), 50.0, baseline));
            pieces.extend(words(&drawn(line), 320.0, baseline));
        }
        let got = lines(as_pdf_oxide_gives(pieces));
        assert_eq!(texts(&got)[0], "מדריך קצר");
        assert_eq!(got.len(), 7);
    }

    #[test]
    fn a_running_head_over_the_gutter_is_read_before_the_columns() {
        let mut pieces = word("-2-", 282.0, 70.0);
        for (n, (left, right)) in LEFT.iter().zip(RIGHT).enumerate() {
            let baseline = 100.0 + n as f32 * 12.0;
            pieces.extend(words(left, 50.0, baseline));
            pieces.extend(words(right, 300.0, baseline));
        }
        let got = lines(as_pdf_oxide_gives(pieces));
        let want: Vec<&str> = ["-2-"]
            .iter()
            .chain(LEFT.iter())
            .chain(RIGHT.iter())
            .copied()
            .collect();
        assert_eq!(texts(&got), want);
    }

    #[test]
    fn a_drop_cap_beside_three_lines_leaves_them_whole() {
        let mut pieces = sized("O", 40.0, 124.0, 36.0);
        pieces.extend(words("nce upon a time", 70.0, 100.0));
        pieces.extend(words("the keeper walked", 70.0, 112.0));
        pieces.extend(words("along the cliffs", 70.0, 124.0));
        let got = lines(as_pdf_oxide_gives(pieces));
        assert_eq!(
            texts(&got),
            ["nce upon a time", "the keeper walked", "O along the cliffs"]
        );
    }

    #[test]
    fn a_tables_long_cells_starting_with_capitals_are_read_across() {
        let rows = [
            (
                "Margaret Oliphant-Smythe",
                "14 Harbour Road, Portsmouth PO1 2AB",
            ),
            (
                "Jonathan Whitfield Esq.",
                "The Old Mill, Riverside Lane, Bath",
            ),
            (
                "Dr. Amelia Fairweather",
                "Flat 3, Marine Parade, Brighton BN2",
            ),
            ("Professor Hugh Lambert", "Rose Cottage, Church Street, Ely"),
        ];
        let mut pieces = Vec::new();
        for (n, (name, address)) in rows.iter().enumerate() {
            let baseline = 100.0 + n as f32 * 12.0;
            pieces.extend(words(name, 50.0, baseline));
            pieces.extend(words(address, 250.0, baseline));
        }
        let got = lines(as_pdf_oxide_gives(pieces));
        let want: Vec<String> = rows.iter().map(|(a, b)| format!("{a} {b}")).collect();
        assert_eq!(texts(&got), want);
    }

    #[test]
    fn three_columns_are_read_one_after_another() {
        let column = |n: usize| -> Vec<String> {
            (0..4)
                .map(|line| format!("words of column {n} line {line} run on and on here"))
                .collect()
        };
        let mut pieces = Vec::new();
        for n in 0..3 {
            for (line, text) in column(n).iter().enumerate() {
                pieces.extend(words(
                    text,
                    40.0 + n as f32 * 230.0,
                    100.0 + line as f32 * 12.0,
                ));
            }
        }
        let got = lines(as_pdf_oxide_gives(pieces));
        let want: Vec<String> = (0..3).flat_map(column).collect();
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
    fn superscripts_go_to_the_end_of_their_line_and_subscripts_and_ordinals_stay() {
        // `important¹ point`, the mark smaller and raised; `TeX` with the E lowered, in the
        // same type size; `1st`, an ordinal; `H₂O`; `10²`; then the next line.
        let mut pieces = word("important", 50.0, 100.0);
        pieces.extend(sized("1", 95.0, 96.0, 7.0));
        pieces.extend(word("point", 102.0, 100.0));
        pieces.extend(word("T", 140.0, 100.0));
        pieces.extend(word("E", 144.0, 102.0));
        pieces.extend(word("X", 148.0, 100.0));
        pieces.extend(word("1", 170.0, 100.0));
        pieces.extend(sized("st", 175.0, 96.0, 7.0));
        pieces.extend(word("H", 200.0, 100.0));
        // Kerned under the H, as an italic subscript is.
        pieces.extend(sized("2", 204.0, 103.0, 7.0));
        pieces.extend(word("O", 208.5, 100.0));
        pieces.extend(word("10", 230.0, 100.0));
        pieces.extend(sized("2", 240.0, 96.0, 7.0));
        // A mark of two digits stays one number.
        pieces.extend(word("end.", 260.0, 100.0));
        pieces.extend(sized("12", 281.0, 96.0, 7.0));
        pieces.extend(words("next line", 50.0, 112.0));
        let got = lines(as_pdf_oxide_gives(pieces));
        assert_eq!(
            texts(&got),
            ["important point TEX 1st H2O 10 end. 1 2 12", "next line"]
        );
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
        pieces.extend(word("is", 81.5, 100.0));
        pieces.extend(sized("2", 75.0, 104.0, 10.0));
        let got = lines(pieces);
        assert_eq!(texts(&got), ["Water2 is"]);
    }

    #[test]
    fn a_space_written_where_the_next_glyph_touches_the_last_is_no_space() {
        // groff kerns `Two` as `(Tw o)`: a space whose spacing takes its width back, `o`
        // drawn against `w`; a space with room after it stays one.
        let mut pieces = word("Tw", 50.0, 100.0);
        let first = pieces[0].clone();
        let space = |x: f32| Piece {
            text: ' ',
            x,
            width: 0.0,
            ..first.clone()
        };
        pieces.push(space(59.9));
        pieces.extend(word("o", 59.8, 100.0));
        pieces.push(space(65.0));
        pieces.extend(word("go", 67.0, 100.0));
        assert_eq!(texts(&lines(pieces)), ["Two go"]);
        // Condensed type: each letter 1 point into the last; a space narrowed by as much still
        // leaves half a point of room.
        let condensed = |text: &str, x: f32| -> Vec<Piece> {
            let mut glyphs = word(text, x, 100.0);
            for (n, glyph) in glyphs.iter_mut().enumerate() {
                glyph.x -= n as f32;
            }
            glyphs
        };
        let mut pieces = condensed("fox", 50.0);
        pieces.push(space(63.0));
        pieces.extend(condensed("jumps", 63.5));
        assert_eq!(texts(&lines(pieces)), ["fox jumps"]);
        // groff through PostScript (`ps2pdf`): letters 0.888 point into each other (character
        // spacing), a space of 1.1 points (a tenth of an em, word spacing taking the rest
        // back) kerning `Tw o` in 12-point type: no space.
        let mut pieces: Vec<Piece> = sized("Tw", 50.0, 100.0, 12.0);
        pieces[1].x -= 0.888;
        let w_right = pieces[1].x + pieces[1].width;
        pieces.push(Piece {
            text: ' ',
            x: w_right - 0.888,
            width: 0.0,
            ..pieces[0].clone()
        });
        pieces.extend(sized("o", w_right + 0.216, 100.0, 12.0));
        assert_eq!(texts(&lines(pieces)), ["Two"]);
    }

    #[test]
    fn text_set_sideways_is_read_after_the_page() {
        let mut pieces = words("body text", 50.0, 100.0);
        // Down the page at the left margin, up the page at the right one (as LibreOffice and
        // arXiv set them), each with a space the document wrote.
        for (n, c) in "down text".chars().enumerate() {
            pieces.push(Piece {
                text: c,
                x: 10.0,
                y: 50.0 + n as f32 * 5.0,
                width: 0.0,
                height: 10.0,
                sideways: true,
                upward: false,
                monospace: false,
            });
        }
        for (n, c) in "up text".chars().enumerate() {
            pieces.push(Piece {
                text: c,
                x: 500.0,
                y: 300.0 - n as f32 * 5.0,
                width: 0.0,
                height: 10.0,
                sideways: true,
                upward: true,
                monospace: false,
            });
        }
        let got = lines(pieces);
        assert_eq!(texts(&got), ["body text", "down text", "up text"]);
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
                    upward: monospace,
                    monospace,
                })
                .collect();
            let mut want: Vec<char> = pieces
                .iter()
                .map(|p| p.text)
                .filter(|c| !c.is_whitespace())
                .collect();
            // Accents are given to the letters they stand over, as combining marks.
            want.retain(|&c| combining_form(c).is_none());
            let mut got: Vec<char> = lines(pieces)
                .iter()
                .flat_map(|l| l.text.chars())
                .filter(|c| !c.is_whitespace())
                .collect();
            got.retain(|&c| combining_form(c).is_none() && !('\u{300}'..='\u{36f}').contains(&c));
            want.sort_unstable();
            got.sort_unstable();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn a_page_of_scattered_glyphs_is_read_whole() {
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
