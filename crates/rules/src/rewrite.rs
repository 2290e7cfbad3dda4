//! Rewrites applied to checked expressions before they are stored for evaluation. They keep
//! CEL semantics and only avoid slow paths of the interpreter:
//!
//! - `device.flags` becomes `device['flags']`. A field selection on a name goes through CEL's
//!   qualified-name resolution (`device.flags` could name a variable or a type of its own),
//!   which joins strings and probes several tables on every evaluation; an index on the
//!   variable is one map lookup. The checker already proved the name is a variable.
//! - `x in ['a', 'b']` becomes `x == 'a' || x == 'b'`, which compares against the literals in
//!   place instead of building the list on every evaluation. `in` on a list is defined by
//!   `==`, so the result is the same, errors included.
//! - `xs.exists(x, x in ['a', 'b'])` becomes `@any_in(xs, 'a', 'b')`, one native loop instead
//!   of a comprehension that opens a scope and binds a variable per element. Equality never
//!   fails, so the comprehension's error handling has nothing to add.

use crate::functions::{ANY_IN, ANY_IN_MAX_LITERALS};
use crate::schema;
use cel::common::ast::{CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedExpr, LiteralValue};
use cel::common::types::CelString;

/// Literal lists up to this length are unrolled; longer ones are left as they are.
const MAX_UNROLLED: usize = 16;

pub(crate) fn rewrite(expr: &IdedExpr) -> IdedExpr {
    let mut out = expr.clone();
    walk(&mut out, &mut Vec::new());
    out
}

/// Whether `expr` is a variable reached through selections and indexes.
fn rooted_in_variable(expr: &IdedExpr, scopes: &[String]) -> bool {
    match &expr.expr {
        Expr::Ident(name) => scopes.iter().any(|s| s == name) || schema::variable(name).is_some(),
        Expr::Select(s) if !s.test => rooted_in_variable(&s.operand, scopes),
        Expr::Call(c) if c.func_name == "_[_]" && c.target.is_none() => {
            c.args.first().is_some_and(|a| rooted_in_variable(a, scopes))
        }
        _ => false,
    }
}

fn call(id: u64, func_name: &str, args: Vec<IdedExpr>) -> IdedExpr {
    IdedExpr { id, expr: Expr::Call(CallExpr { func_name: func_name.to_owned(), target: None, args }) }
}

fn walk(expr: &mut IdedExpr, scopes: &mut Vec<String>) {
    let id = expr.id;
    match &mut expr.expr {
        Expr::Select(s) => {
            walk(&mut s.operand, scopes);
            if !s.test && rooted_in_variable(&s.operand, scopes) {
                let operand = std::mem::take(&mut *s.operand);
                let key = IdedExpr {
                    id,
                    expr: Expr::Literal(LiteralValue::String(CelString::from(std::mem::take(&mut s.field)))),
                };
                *expr = call(id, "_[_]", vec![operand, key]);
            }
        }
        Expr::Call(c) => {
            if let Some(target) = c.target.as_deref_mut() {
                walk(target, scopes);
            }
            for a in &mut c.args {
                walk(a, scopes);
            }
            if let Some(unrolled) = unroll_in(id, c) {
                *expr = unrolled;
            }
        }
        Expr::Comprehension(c) => {
            if let Some(literals) = exists_in_literals(c) {
                let mut range = std::mem::take(&mut c.iter_range);
                walk(&mut range, scopes);
                let mut args = vec![range];
                args.extend(literals);
                *expr = call(id, ANY_IN, args);
                return;
            }
            walk(&mut c.iter_range, scopes);
            walk(&mut c.accu_init, scopes);
            let depth = scopes.len();
            scopes.push(c.iter_var.clone());
            if let Some(second) = &c.iter_var2 {
                scopes.push(second.clone());
            }
            scopes.push(c.accu_var.clone());
            walk(&mut c.loop_cond, scopes);
            walk(&mut c.loop_step, scopes);
            walk(&mut c.result, scopes);
            scopes.truncate(depth);
        }
        Expr::List(l) => l.elements.iter_mut().for_each(|e| walk(e, scopes)),
        Expr::Map(m) => {
            for entry in &mut m.entries {
                if let EntryExpr::MapEntry(e) = &mut entry.expr {
                    walk(&mut e.key, scopes);
                    walk(&mut e.value, scopes);
                }
            }
        }
        Expr::Struct(s) => {
            for entry in &mut s.entries {
                match &mut entry.expr {
                    EntryExpr::StructField(f) => walk(&mut f.value, scopes),
                    EntryExpr::MapEntry(e) => walk(&mut e.value, scopes),
                }
            }
        }
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}

fn is_ident(expr: &IdedExpr, name: &str) -> bool {
    matches!(&expr.expr, Expr::Ident(n) if n == name)
}

fn is_call<'a>(expr: &'a IdedExpr, name: &str) -> Option<&'a [IdedExpr]> {
    match &expr.expr {
        Expr::Call(c) if c.func_name == name && c.target.is_none() => Some(&c.args),
        _ => None,
    }
}

/// The literals of `xs.exists(x, x in [literals])`, recognised in the macro's expansion:
/// `@result` starts false, the loop runs while it is not true, and each step ORs the
/// predicate into it.
fn exists_in_literals(c: &ComprehensionExpr) -> Option<Vec<IdedExpr>> {
    let accu = c.accu_var.as_str();
    let starts_false = matches!(&c.accu_init.expr, Expr::Literal(LiteralValue::Boolean(b)) if !*b.inner());
    let runs_until_true = is_call(&c.loop_cond, "@not_strictly_false")
        .and_then(|args| args.first())
        .and_then(|not| is_call(not, "!_"))
        .is_some_and(|args| matches!(args, [a] if is_ident(a, accu)));
    let [accumulated, predicate] = is_call(&c.loop_step, "_||_")? else {
        return None;
    };
    if c.iter_var2.is_some() || !starts_false || !runs_until_true || !is_ident(&c.result, accu) {
        return None;
    }
    if !is_ident(accumulated, accu) {
        return None;
    }
    let [needle, haystack] = is_call(predicate, "@in")? else {
        return None;
    };
    let Expr::List(list) = &haystack.expr else {
        return None;
    };
    let literals = list.elements.iter().all(|e| matches!(e.expr, Expr::Literal(_)));
    let fits = (1..=ANY_IN_MAX_LITERALS).contains(&list.elements.len());
    (is_ident(needle, &c.iter_var) && literals && fits && list.optional_indices.is_empty())
        .then(|| list.elements.clone())
}

/// `x in [literals]` as a chain of `||` over `x == literal`.
fn unroll_in(id: u64, c: &CallExpr) -> Option<IdedExpr> {
    if c.func_name != "@in" || c.target.is_some() {
        return None;
    }
    let [needle, haystack] = c.args.as_slice() else {
        return None;
    };
    let Expr::List(list) = &haystack.expr else {
        return None;
    };
    let simple_needle = matches!(needle.expr, Expr::Ident(_) | Expr::Literal(_));
    let literals = list.elements.iter().all(|e| matches!(e.expr, Expr::Literal(_)));
    if !simple_needle
        || !literals
        || !list.optional_indices.is_empty()
        || list.elements.is_empty()
        || list.elements.len() > MAX_UNROLLED
    {
        return None;
    }
    let mut terms = list.elements.iter().map(|literal| call(id, "_==_", vec![needle.clone(), literal.clone()]));
    let first = terms.next()?;
    Some(terms.fold(first, |acc, term| call(id, "_||_", vec![acc, term])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cel::{Context, Env};
    use std::sync::Arc;

    #[test]
    fn rewritten_expressions_evaluate_the_same() {
        let env = crate::functions::env();
        let mut ctx = Context::with_env(Arc::clone(&env));
        ctx.add_variable_from_value("device", std::collections::HashMap::from([("risk", 5i64)]));
        for src in [
            "device.risk == 5",
            "has(device.risk) && !has(device.nope)",
            "[1, 2].exists(x, x in [2, 3])",
            "device.risk in [1, 5]",
            "'a' in ['b']",
            "{'risk': 1}.risk == 1",
            "['a', 'b'].exists(x, x in ['b', 'c'])",
            "['a', 'b'].exists(x, x in ['c'])",
            "[].exists(x, x in ['c'])",
            "{'k': 1}.exists(x, x in ['k'])",
            "[1, 2.0].exists(x, x in [2])",
            "['a'].exists(x, x in [x])",
            "device.exists(k, k in ['risk'])",
        ] {
            let program = env.compile(src).unwrap();
            let rewritten = rewrite(program.expression());
            assert_eq!(ctx.resolve(&rewritten), program.execute(&ctx), "{src}");
        }
        // errors stay errors
        for src in ["device.nope == 1", "device.risk.exists(x, x in ['a'])", "null.exists(x, x in ['a'])"] {
            let program = env.compile(src).unwrap();
            assert!(ctx.resolve(&rewrite(program.expression())).is_err(), "{src}");
            assert!(program.execute(&ctx).is_err(), "{src}");
        }
        let program = env.compile("device.flags.exists(f, f in ['a', 'b'])").unwrap();
        assert!(format!("{:?}", rewrite(program.expression())).contains("@any_in"));
    }

    #[test]
    fn only_variables_are_rewritten() {
        let env = Env::stdlib();
        let program = env.compile("math.abs(1) == 1 && device.risk > 1").unwrap();
        let text = format!("{:?}", rewrite(program.expression()));
        assert!(text.contains("\"abs\"") && text.contains("Ident(\"math\")"), "{text}");
        assert!(!text.contains("Select"), "{text}");
    }
}
