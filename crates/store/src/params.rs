//! Values bound to the hot read statements of a decision, in a form neither backend owns: the
//! same SQL text and values go to PostgreSQL through sqlx and to SQLite's inline readers.

/// One bound value; statements number them `$1`, `$2`, … in the order of this slice.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Int(i64),
}

/// Appends `texts` to `params` and returns their placeholders, `$n, $n+1, …`, for an `IN (…)`.
pub(crate) fn push_texts<'a>(params: &mut Vec<Param<'a>>, texts: &'a [String]) -> String {
    let first = params.len() + 1;
    params.extend(texts.iter().map(|text| Param::Text(text)));
    (first..params.len() + 1).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}
