//! The CEL environment rules run in, and whether a function name exists in it. cel 0.15
//! does not expose its function table, so a name is probed by calling it with no
//! arguments: an unknown name fails as an undeclared reference, a known one with an
//! overload or argument error. Probing happens at compile time only.

use cel::common::types::{CelBool, DYN_TYPE};
use cel::common::value::CowVal;
use cel::{Context, Env, ExecutionError};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

/// Internal function the rewriter substitutes for `xs.exists(x, x in [literals])`; the `@`
/// keeps it out of reach of rule authors, whose source cannot spell it.
pub(crate) const ANY_IN: &str = "@any_in";

/// Most literals `ANY_IN` takes after its range.
pub(crate) const ANY_IN_MAX_LITERALS: usize = 16;

/// `ANY_IN(xs, a, b, …)`: whether any element of `xs` (key of a map) equals one of the
/// literals, with the equality `in` uses. Fails like the comprehension it replaces when `xs`
/// cannot be iterated.
fn any_in<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let Some((range, literals)) = args.split_first() else {
        return Err(ExecutionError::invalid_argument_count(2, 0));
    };
    let iterable = range.as_iterable().ok_or_else(|| ExecutionError::UnexpectedType {
        got: range.get_type().name().to_owned(),
        want: "iterable".to_owned(),
    })?;
    let mut items = iterable.iter();
    while let Some(item) = items.next() {
        if literals.iter().any(|l| item.equals(l.as_ref())) {
            return Ok(CowVal::owned(CelBool::from(true)));
        }
    }
    Ok(CowVal::owned(CelBool::from(false)))
}

static ENV: LazyLock<Arc<Env>> = LazyLock::new(|| {
    let mut env = Env::stdlib();
    // A failed registration only leaves those functions out; compile then reports them as
    // unknown (or the rewriter's substitute fails at run time), never a panic.
    let _ = env.add_extension(cel::extensions::strings);
    let _ = env.add_extension(cel::extensions::lists);
    let _ = env.add_extension(cel::extensions::math);
    for arity in 2..=ANY_IN_MAX_LITERALS + 1 {
        let _ = env.add_overload(ANY_IN, &format!("any_in_{arity}"), (0..arity).map(|_| DYN_TYPE).collect(), any_in);
    }
    Arc::new(env)
});

/// The standard library plus the strings, lists and math extensions.
pub(crate) fn env() -> Arc<Env> {
    Arc::clone(&ENV)
}

pub(crate) struct FunctionProbe {
    env: Arc<Env>,
    known: HashMap<(String, bool), bool>,
}

fn probeable(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|part| {
            part.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

impl FunctionProbe {
    pub(crate) fn new(env: Arc<Env>) -> Self {
        FunctionProbe { env, known: HashMap::new() }
    }

    /// Whether `name` (possibly qualified, `math.abs`) is a global function.
    pub(crate) fn global(&mut self, name: &str) -> bool {
        self.probe(name, false)
    }

    /// Whether `name` can be called as a member function (`x.name()`).
    pub(crate) fn member(&mut self, name: &str) -> bool {
        self.probe(name, true)
    }

    fn probe(&mut self, name: &str, member: bool) -> bool {
        // Internal names from macro expansion cannot be spelt in source; leave them to the
        // interpreter.
        if !probeable(name) {
            return true;
        }
        if let Some(known) = self.known.get(&(name.to_owned(), member)) {
            return *known;
        }
        let source = if member { format!("null.{name}()") } else { format!("{name}()") };
        let known = match self.env.compile(&source) {
            Ok(program) => {
                let context = Context::with_env(Arc::clone(&self.env));
                !matches!(program.execute(&context), Err(ExecutionError::UndeclaredReference(_)))
            }
            // Macros such as `math.greatest` reject a call without arguments at parse
            // time, which proves they exist.
            Err(_) => true,
        };
        self.known.insert((name.to_owned(), member), known);
        known
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_known_and_unknown_names() {
        let mut p = FunctionProbe::new(env());
        assert!(p.global("size") && p.global("int") && p.global("math.abs"));
        assert!(p.member("startsWith") && p.member("lowerAscii") && p.member("matches"));
        assert!(!p.global("nope") && !p.member("nope") && !p.global("math.nope"));
        assert!(!p.global("startsWith"));
        assert!(p.global("_+_"));
    }
}
