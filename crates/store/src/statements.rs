//! The unconditional writes of a change set (inserts and upserts that read nothing back),
//! built as SQL text and owned values before anything is sent, so that the same statements can
//! go to PostgreSQL and to SQLite through sqlx, or to SQLite's writer thread (`sqlite_writer`),
//! which runs a whole group-commit batch without a thread hand-off per statement.
//!
//! Placeholders are `$1`, `$2`, … in the order the values were pushed. PostgreSQL reads them
//! as positions; SQLite numbers each distinct named parameter by its first appearance, which
//! with this builder is the same number.

use sightline_core::ChangeSet;

/// One bound value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Bind {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    Real(f64),
    OptReal(Option<f64>),
}

impl From<&str> for Bind {
    fn from(value: &str) -> Self {
        Bind::Text(value.to_owned())
    }
}

impl From<String> for Bind {
    fn from(value: String) -> Self {
        Bind::Text(value)
    }
}

impl From<Option<&str>> for Bind {
    fn from(value: Option<&str>) -> Self {
        Bind::OptText(value.map(str::to_owned))
    }
}

impl From<i64> for Bind {
    fn from(value: i64) -> Self {
        Bind::Int(value)
    }
}

impl From<f64> for Bind {
    fn from(value: f64) -> Self {
        Bind::Real(value)
    }
}

impl From<Option<f64>> for Bind {
    fn from(value: Option<f64>) -> Self {
        Bind::OptReal(value)
    }
}

/// One statement's text and its values.
#[derive(Debug, Default)]
pub(crate) struct Statement {
    pub(crate) sql: String,
    pub(crate) binds: Vec<Bind>,
}

/// How [`Statements`] lays out what is pushed into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One statement each (the SQLite writer thread; PostgreSQL inside a transaction).
    Separate,
    /// All in one semicolon-separated command, for sqlx's SQLite connection, whose thread would
    /// otherwise be woken once per statement.
    Semicolons,
    /// All as data-modifying `WITH` clauses of one PostgreSQL statement: atomic on its own and
    /// one round trip instead of a transaction's one per statement.
    With,
}

impl Statement {
    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    pub(crate) fn push_bind(&mut self, value: impl Into<Bind>) -> &mut Self {
        self.binds.push(value.into());
        self.sql.push('$');
        self.sql.push_str(&self.binds.len().to_string());
        self
    }

    /// `VALUES (…), (…)`: one parenthesised row per item, filled by `row`.
    pub(crate) fn push_values<I: IntoIterator>(
        &mut self,
        items: I,
        mut row: impl FnMut(Row<'_>, I::Item),
    ) -> &mut Self {
        self.sql.push_str("VALUES ");
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.sql.push('(');
            row(Row { statement: self, first: true }, item);
            self.sql.push(')');
        }
        self
    }
}

/// The values of one row of a [`Statement::push_values`], comma-separated.
pub(crate) struct Row<'s> {
    statement: &'s mut Statement,
    first: bool,
}

impl Row<'_> {
    pub(crate) fn push_bind(&mut self, value: impl Into<Bind>) -> &mut Self {
        if !self.first {
            self.statement.sql.push_str(", ");
        }
        self.first = false;
        self.statement.push_bind(value);
        self
    }
}

/// The statements of one write, in order, laid out as [`Layout`] says.
pub(crate) struct Statements {
    layout: Layout,
    list: Vec<Statement>,
    clauses: usize,
}

impl Statements {
    pub(crate) fn new(layout: Layout) -> Self {
        Statements { layout, list: Vec::new(), clauses: 0 }
    }

    /// The statement the next one is pushed into.
    pub(crate) fn next(&mut self) -> &mut Statement {
        match (self.list.last_mut(), self.layout) {
            (Some(last), Layout::Semicolons) => last.sql.push_str("; "),
            (Some(last), Layout::With) => {
                last.sql.push_str(&format!("), w{} AS (", self.clauses));
                self.clauses += 1;
            }
            (None, Layout::With) => {
                self.list.push(Statement { sql: "WITH w0 AS (".to_owned(), binds: Vec::new() });
                self.clauses = 1;
            }
            _ => self.list.push(Statement::default()),
        }
        let last = self.list.len() - 1;
        &mut self.list[last]
    }

    pub(crate) fn into_list(mut self) -> Vec<Statement> {
        if self.layout == Layout::With
            && let Some(last) = self.list.last_mut()
        {
            last.sql.push_str(") SELECT 1");
        }
        self.list
    }
}

/// Change sets of rows that are inserted or upserted whatever else is stored (decisions,
/// velocity rows, devices, links, payload ids — what a Fraud API decision writes) can be
/// written together, each table in one statement. Anything with a version check or a read
/// inside its statements is written alone.
pub(crate) fn only_unconditional_rows(changes: &ChangeSet) -> bool {
    // Spelled out so that a new kind of row must be classified here before it compiles.
    let ChangeSet {
        persons,
        consents,
        consent_events,
        activities,
        question_sets,
        events,
        devices: _,
        device_links: _,
        velocity_events: _,
        decisions: _,
        seen_payloads: _,
    } = changes;
    persons.is_empty()
        && consents.is_empty()
        && consent_events.is_empty()
        && activities.is_empty()
        && question_sets.is_empty()
        && events.is_empty()
}

/// The statement as an sqlx query of either backend.
pub(crate) fn to_sqlx<'s, DB>(
    statement: &'s Statement,
) -> sqlx::query::Query<'s, DB, <DB as sqlx::Database>::Arguments<'s>>
where
    DB: sqlx::Database,
    &'s str: sqlx::Encode<'s, DB> + sqlx::Type<DB>,
    Option<&'s str>: sqlx::Encode<'s, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'s, DB> + sqlx::Type<DB>,
    f64: sqlx::Encode<'s, DB> + sqlx::Type<DB>,
    Option<f64>: sqlx::Encode<'s, DB> + sqlx::Type<DB>,
{
    let mut query = sqlx::query::<DB>(&statement.sql);
    for bind in &statement.binds {
        query = match bind {
            Bind::Text(text) => query.bind(text.as_str()),
            Bind::OptText(text) => query.bind(text.as_deref()),
            Bind::Int(int) => query.bind(*int),
            Bind::Real(real) => query.bind(*real),
            Bind::OptReal(real) => query.bind(*real),
        };
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_the_values_in_order() {
        let mut writes = Statements::new(Layout::Separate);
        writes.next().push("INSERT INTO t (a, b) ").push_values([(1_i64, "x"), (2, "y")], |mut row, (a, b)| {
            row.push_bind(a).push_bind(b);
        });
        writes.next().push("DELETE FROM t WHERE a = ").push_bind(Some(1.5));
        let list = writes.into_list();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].sql, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
        assert_eq!(list[0].binds, vec![Bind::Int(1), Bind::from("x"), Bind::Int(2), Bind::from("y")]);
        assert_eq!(list[1].sql, "DELETE FROM t WHERE a = $1");
    }

    #[test]
    fn combined_statements_keep_numbering_across_the_semicolons() {
        let mut writes = Statements::new(Layout::Semicolons);
        writes.next().push("INSERT INTO t (a) ").push_values([1_i64], |mut row, a| {
            row.push_bind(a);
        });
        writes.next().push("INSERT INTO u (b) ").push_values(["z"], |mut row, b| {
            row.push_bind(b);
        });
        let list = writes.into_list();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].sql, "INSERT INTO t (a) VALUES ($1); INSERT INTO u (b) VALUES ($2)");
        assert_eq!(list[0].binds.len(), 2);
    }

    #[test]
    fn with_layout_makes_one_statement_of_clauses() {
        let mut writes = Statements::new(Layout::With);
        writes.next().push("INSERT INTO t (a) ").push_values([1_i64, 2], |mut row, a| {
            row.push_bind(a);
        });
        writes.next().push("INSERT INTO u (b) ").push_values(["z"], |mut row, b| {
            row.push_bind(b);
        });
        let list = writes.into_list();
        assert_eq!(list.len(), 1);
        assert_eq!(
            list[0].sql,
            "WITH w0 AS (INSERT INTO t (a) VALUES ($1), ($2)), w1 AS (INSERT INTO u (b) VALUES ($3)) SELECT 1"
        );
        assert!(Statements::new(Layout::With).into_list().is_empty(), "nothing to write, no statement");
    }
}
