//! Source positions for compile errors. The parser records byte offsets of the token that
//! produced a node (the `.` of a selection, the `(` of a call); people want the line and
//! column of the name they mistyped, so the offsets are moved onto it.

use cel::common::ast::SourceInfo;

/// 1-based line and column (columns count characters, not bytes).
pub type Position = (u32, u32);

pub(crate) struct Source<'a> {
    text: &'a str,
    info: &'a SourceInfo,
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl<'a> Source<'a> {
    pub(crate) fn new(text: &'a str, info: &'a SourceInfo) -> Self {
        Source { text, info }
    }

    fn line_col(&self, offset: usize) -> Position {
        let offset = floor_boundary(self.text, offset);
        let before = self.text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX))
    }

    fn offset(&self, id: u64) -> Option<usize> {
        let (start, _) = self.info.offset_for(id)?;
        usize::try_from(start).ok()
    }

    /// Where a node starts.
    pub(crate) fn node(&self, id: u64) -> Option<Position> {
        self.offset(id).map(|o| self.line_col(o))
    }

    /// The field name of a selection node: past its `.` and any whitespace.
    pub(crate) fn field(&self, select_id: u64) -> Option<Position> {
        let dot = self.offset(select_id)?;
        let start = floor_boundary(self.text, dot);
        let rest = self.text.get(start..)?;
        let skip =
            rest.char_indices().find(|&(i, c)| !(c.is_whitespace() || (i == 0 && c == '.'))).map_or(0, |(i, _)| i);
        Some(self.line_col(start + skip))
    }

    /// The function name of a call node, whose offset is at its `(`.
    pub(crate) fn call_name(&self, call_id: u64) -> Option<Position> {
        let paren = floor_boundary(self.text, self.offset(call_id)?);
        let before = self.text.get(..paren)?.trim_end();
        let start =
            before.char_indices().rev().take_while(|&(_, c)| is_ident(c)).last().map_or(before.len(), |(i, _)| i);
        Some(self.line_col(start))
    }
}
