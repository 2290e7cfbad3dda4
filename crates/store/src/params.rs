//! Values bound to the hot read statements of a decision, in a form neither backend owns: the
//! same SQL text and values go to PostgreSQL through sqlx and to SQLite's inline readers.

/// One bound value; statements number them `$1`, `$2`, … in the order of this slice.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Int(i64),
}
