//! Shape limits. The CEL parser, the checker and the interpreter all recurse over the
//! expression, so a deeply nested expression could overflow a worker thread's stack (2 MiB
//! under tokio) and abort the process. Two guards, each sized for the unoptimised build,
//! where frames are largest:
//! - on the raw text, before parsing, bracket nesting and the number of operator
//!   characters, which bound the parser's recursion. Counting strings too is deliberately
//!   conservative: it needs no tokenizer that an odd literal could fool;
//! - on the parsed tree, its depth, which bounds the checker's and the interpreter's
//!   recursion. Balanced `&&` / `||` chains stay shallow, so long rules still fit.

use cel::common::ast::{EntryExpr, Expr, IdedExpr};

/// Most open brackets (`(`, `[`, `{`) at any point of the text.
pub const MAX_NESTING: usize = 8;

/// Most operator and punctuation characters in the text (`.` `+` `-` `*` `/` `%` `<` `>`
/// `=` `!` `&` `|` `?` `:` and opening brackets).
pub const MAX_OPERATORS: usize = 500;

/// Deepest syntax tree accepted; a macro such as `exists` counts two extra levels.
pub const MAX_DEPTH: usize = 32;

pub(crate) fn check_text(source: &str) -> Result<(), String> {
    let mut depth = 0usize;
    let mut operators = 0usize;
    for c in source.chars() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                operators += 1;
                if depth > MAX_NESTING {
                    return Err(format!("expression is nested more than {MAX_NESTING} brackets deep"));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '.' | '+' | '-' | '*' | '/' | '%' | '<' | '>' | '=' | '!' | '&' | '|' | '?' | ':' => operators += 1,
            _ => {}
        }
        if operators > MAX_OPERATORS {
            return Err(format!("expression has more than {MAX_OPERATORS} operators"));
        }
    }
    Ok(())
}

/// The children of a node, with how many levels each adds.
fn children(expr: &IdedExpr) -> Vec<(&IdedExpr, usize)> {
    match &expr.expr {
        Expr::Call(c) => c.target.iter().map(|t| (&**t, 1)).chain(c.args.iter().map(|a| (a, 1))).collect(),
        Expr::Select(s) => vec![(&*s.operand, 1)],
        Expr::List(l) => l.elements.iter().map(|e| (e, 1)).collect(),
        Expr::Map(m) => m
            .entries
            .iter()
            .flat_map(|entry| match &entry.expr {
                EntryExpr::MapEntry(e) => vec![(&e.key, 1), (&e.value, 1)],
                EntryExpr::StructField(f) => vec![(&f.value, 1)],
            })
            .collect(),
        Expr::Struct(s) => s
            .entries
            .iter()
            .map(|entry| match &entry.expr {
                EntryExpr::StructField(f) => (&f.value, 1),
                EntryExpr::MapEntry(e) => (&e.value, 1),
            })
            .collect(),
        // The interpreter nests scopes and calls per macro level.
        Expr::Comprehension(c) => {
            [&c.iter_range, &c.accu_init, &c.loop_cond, &c.loop_step, &c.result].into_iter().map(|e| (e, 3)).collect()
        }
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => Vec::new(),
    }
}

/// The depth of the tree, walked with an explicit stack so that measuring cannot itself
/// overflow.
pub(crate) fn depth(root: &IdedExpr) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(root, 1usize)];
    while let Some((expr, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        stack.extend(children(expr).into_iter().map(|(child, extra)| (child, depth + extra)));
    }
    deepest
}

pub(crate) fn check_tree(root: &IdedExpr) -> Result<(), String> {
    if depth(root) > MAX_DEPTH {
        return Err(format!(
            "expression is nested more than {MAX_DEPTH} levels deep; split it, or use && / || rather than long chains of other operators"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_of_common_shapes() {
        let env = cel::Env::stdlib();
        let d = |src: &str| depth(env.compile(src).unwrap().expression());
        assert_eq!(d("true"), 1);
        assert_eq!(d("a.b.c"), 3);
        assert_eq!(d("1 + 2 + 3 > 0"), 4);
        assert!(d(&format!("true{}", " && true".repeat(200))) <= 10);
    }
}
