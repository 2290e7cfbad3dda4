//! The unconditional writes of a change set (inserts and upserts that read nothing back),
//! built before anything is sent. SQLite runs them as one multi-statement command: its
//! connection lives on its own thread, so every statement sent separately is a thread
//! hand-off, and under load each hand-off waits for a core. PostgreSQL's extended protocol
//! takes one statement per query, so there they stay separate.

use sqlx::{Database, QueryBuilder};

pub(crate) struct Statements<'a, DB: Database> {
    combine: bool,
    builders: Vec<QueryBuilder<'a, DB>>,
}

impl<'a, DB: Database> Statements<'a, DB> {
    pub(crate) fn new(combine: bool) -> Self {
        Statements { combine, builders: Vec::new() }
    }

    /// The builder the next statement is pushed into.
    pub(crate) fn next(&mut self) -> &mut QueryBuilder<'a, DB> {
        match self.builders.last_mut() {
            Some(last) if self.combine => {
                last.push("; ");
            }
            _ => self.builders.push(QueryBuilder::new("")),
        }
        let last = self.builders.len() - 1;
        &mut self.builders[last]
    }

    pub(crate) fn into_builders(self) -> Vec<QueryBuilder<'a, DB>> {
        self.builders
    }
}
