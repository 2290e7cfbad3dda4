//! Multi-row `INSERT … VALUES (…), (…)` statements: a change set (or a whole group-commit
//! batch) writes each table in one statement instead of one per row, within the backends'
//! limits on bound parameters.

/// Most bound parameters one statement may carry: under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMS: usize = 30_000;

/// Whether one statement may carry `params` bound values.
pub(crate) fn fits_one_statement(params: usize) -> bool {
    params <= MAX_PARAMS
}

/// How many rows of `columns` values fit in one statement.
pub(crate) fn rows_per_statement(columns: usize) -> usize {
    (MAX_PARAMS / columns.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_stay_under_the_parameter_limit() {
        assert!(rows_per_statement(11) * 11 <= MAX_PARAMS);
        assert_eq!(rows_per_statement(0), MAX_PARAMS);
        assert!(fits_one_statement(MAX_PARAMS) && !fits_one_statement(MAX_PARAMS + 1));
    }
}
