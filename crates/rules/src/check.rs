//! The static check of a parsed expression against the event schema: unknown variables,
//! fields, velocity counters, lists and functions are errors with a position, comparisons
//! between obviously different types are errors, and along the way it records what the
//! expression needs from an event (variables, paths, counters, lists).

use crate::functions::FunctionProbe;
use crate::lists::ListName;
use crate::position::{Position, Source};
use crate::projection::Projection;
use crate::schema::{self, Class, FieldType};
use crate::velocity::VelocitySpec;
use cel::common::ast::{CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedExpr, LiteralValue};
use std::collections::BTreeSet;

const ANY: FieldType = FieldType::Any;

/// What one expression reads from an event.
#[derive(Debug, Clone, Default)]
pub(crate) struct Needs {
    /// Bit `i` is set when top-level variable `i` of the schema is referenced.
    pub roots: u32,
    /// Per top-level variable, the parts that are read.
    pub projections: Vec<Option<Projection>>,
    pub velocity: BTreeSet<VelocitySpec>,
    /// List names as written (`_any` not expanded).
    pub lists: BTreeSet<ListName>,
}

impl Needs {
    fn projection(&mut self, index: usize) -> Option<&mut Projection> {
        if self.projections.len() <= index {
            self.projections.resize(index + 1, None);
        }
        self.projections.get_mut(index).map(|p| p.get_or_insert_with(Projection::default))
    }

    pub(crate) fn merge(&mut self, other: &Needs) {
        self.roots |= other.roots;
        for (i, p) in other.projections.iter().enumerate() {
            if let Some(p) = p {
                if let Some(mine) = self.projection(i) {
                    mine.merge(p);
                }
            }
        }
        self.velocity.extend(other.velocity.iter().copied());
        self.lists.extend(other.lists.iter().copied());
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issue {
    pub message: String,
    pub position: Option<Position>,
}

struct Step<'a> {
    name: &'a str,
    id: u64,
    /// `.name` rather than `['name']`.
    select: bool,
}

/// A static access path: a variable followed by field selections and string-literal
/// indexes, root first.
fn chain(expr: &IdedExpr) -> Option<(&str, u64, Vec<Step<'_>>)> {
    let mut steps = Vec::new();
    let mut current = expr;
    loop {
        match &current.expr {
            Expr::Ident(name) => {
                steps.reverse();
                return Some((name, current.id, steps));
            }
            Expr::Select(s) if !s.test => {
                steps.push(Step { name: &s.field, id: current.id, select: true });
                current = &s.operand;
            }
            Expr::Call(c) if c.func_name == "_[_]" && c.target.is_none() => {
                let [object, key] = c.args.as_slice() else {
                    return None;
                };
                let Expr::Literal(LiteralValue::String(s)) = &key.expr else {
                    return None;
                };
                steps.push(Step { name: s.inner(), id: key.id, select: false });
                current = object;
            }
            _ => return None,
        }
    }
}

fn path_text(root: &str, steps: &[Step<'_>]) -> String {
    let mut path = root.to_owned();
    for s in steps {
        path.push('.');
        path.push_str(s.name);
    }
    path
}

fn compatible(a: FieldType, b: FieldType) -> bool {
    match (a.class(), b.class()) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

fn result_of_function(name: &str) -> FieldType {
    match name {
        "size" | "int" | "indexOf" | "lastIndexOf" => FieldType::Int,
        "double" => FieldType::Float,
        "string" | "lowerAscii" | "upperAscii" | "trim" | "replace" | "substring" | "charAt" | "format" | "join" => {
            FieldType::String
        }
        "matches" | "startsWith" | "endsWith" | "contains" | "bool" => FieldType::Bool,
        _ => ANY,
    }
}

pub(crate) struct Checker<'s, 'p> {
    source: &'s Source<'s>,
    probe: &'p mut FunctionProbe,
    scopes: Vec<(String, FieldType)>,
    pub(crate) needs: Needs,
    pub(crate) issues: Vec<Issue>,
}

impl<'s, 'p> Checker<'s, 'p> {
    pub(crate) fn new(source: &'s Source<'s>, probe: &'p mut FunctionProbe) -> Self {
        Checker { source, probe, scopes: Vec::new(), needs: Needs::default(), issues: Vec::new() }
    }

    /// Checks a whole rule expression, which must be a bool.
    pub(crate) fn check_rule(&mut self, expr: &IdedExpr) {
        let ty = self.infer(expr);
        if let Some(class) = ty.class() {
            if class != Class::Bool {
                self.issue(
                    format!("a rule expression must evaluate to a bool, this one is a {ty}"),
                    self.source.node(expr.id),
                );
            }
        }
    }

    fn issue(&mut self, message: String, position: Option<Position>) {
        self.issues.push(Issue { message, position });
    }

    fn scoped(&self, name: &str) -> Option<FieldType> {
        self.scopes.iter().rev().find(|(n, _)| n == name).map(|(_, t)| *t)
    }

    fn infer(&mut self, expr: &IdedExpr) -> FieldType {
        match &expr.expr {
            Expr::Ident(_) => self.path(expr),
            Expr::Select(s) if s.test => self.presence(expr.id, &s.operand, &s.field),
            Expr::Select(s) => match chain(expr) {
                Some(_) => self.path(expr),
                None => {
                    let operand = self.infer(&s.operand);
                    self.step(operand, &s.field, "the expression", self.source.field(expr.id))
                }
            },
            Expr::Literal(l) => match l {
                LiteralValue::Boolean(_) => FieldType::Bool,
                LiteralValue::Int(_) | LiteralValue::UInt(_) => FieldType::Int,
                LiteralValue::Double(_) => FieldType::Float,
                LiteralValue::String(_) => FieldType::String,
                LiteralValue::Bytes(_) | LiteralValue::Null => ANY,
            },
            Expr::List(list) => {
                let mut all_strings = !list.elements.is_empty();
                for e in &list.elements {
                    all_strings &= self.infer(e).class() == Some(Class::String);
                }
                if all_strings { FieldType::StringList } else { FieldType::List(&ANY) }
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    if let EntryExpr::MapEntry(e) = &entry.expr {
                        self.infer(&e.key);
                        self.infer(&e.value);
                    }
                }
                FieldType::Map
            }
            Expr::Struct(st) => {
                for entry in &st.entries {
                    match &entry.expr {
                        EntryExpr::StructField(f) => self.infer(&f.value),
                        EntryExpr::MapEntry(e) => self.infer(&e.value),
                    };
                }
                ANY
            }
            Expr::Comprehension(c) => self.comprehension(c),
            Expr::Call(c) => self.call(expr, c),
            Expr::Unspecified => ANY,
        }
    }

    /// A static path: checked segment by segment, and recorded as read.
    fn path(&mut self, expr: &IdedExpr) -> FieldType {
        let Some((root, root_id, steps)) = chain(expr) else {
            return ANY;
        };
        self.resolve(root, root_id, &steps)
    }

    fn resolve(&mut self, root: &str, root_id: u64, steps: &[Step<'_>]) -> FieldType {
        let (mut ty, top) = if let Some(t) = self.scoped(root) {
            (t, None)
        } else if let Some((index, var)) = schema::variable(root) {
            self.needs.roots |= 1 << index;
            (var.ty, Some(index))
        } else {
            let known: Vec<&str> = schema::variables().iter().map(|v| v.name).collect();
            self.issue(format!("unknown variable '{root}' (known: {})", known.join(", ")), self.source.node(root_id));
            return ANY;
        };
        for (i, step) in steps.iter().enumerate() {
            let position = if step.select { self.source.field(step.id) } else { self.source.node(step.id) };
            let before = self.issues.len();
            ty = self.step(ty, step.name, &path_text(root, &steps[..i]), position);
            if self.issues.len() > before {
                return ANY;
            }
        }
        if let Some(index) = top {
            if steps.is_empty() && matches!(ty, FieldType::Velocity | FieldType::Lists) {
                self.issue(
                    format!("'{root}' can only be read as {root}.<name>, so that the server knows what to compute"),
                    self.source.node(root_id),
                );
            }
            let names: Vec<&str> = steps.iter().map(|s| s.name).collect();
            if let Some(projection) = self.needs.projection(index) {
                projection.insert(&names);
            }
        }
        ty
    }

    /// The type of `name` read on a value of type `ty` reached by `path`.
    fn step(&mut self, ty: FieldType, name: &str, path: &str, position: Option<Position>) -> FieldType {
        match ty {
            FieldType::Object(_) => match ty.field(name) {
                Some(field) => field.ty,
                None => {
                    self.issue(format!("unknown field {path}.{name}"), position);
                    ANY
                }
            },
            FieldType::Map | FieldType::Any => ANY,
            FieldType::Velocity => match name.parse::<VelocitySpec>() {
                Ok(spec) => {
                    self.needs.velocity.insert(spec);
                    if spec.is_count() { FieldType::Int } else { FieldType::Float }
                }
                Err(e) => {
                    self.issue(format!("unknown velocity counter {path}.{name}: {e}"), position);
                    ANY
                }
            },
            FieldType::Lists => match name.parse::<ListName>() {
                Ok(list) => {
                    self.needs.lists.insert(list);
                    FieldType::Bool
                }
                Err(e) => {
                    self.issue(format!("unknown list {path}.{name}: {e}"), position);
                    ANY
                }
            },
            other => {
                self.issue(format!("{path} is a {other}, it has no field '{name}'"), position);
                ANY
            }
        }
    }

    /// `has(x.f)`: the field itself is checked and recorded, since its presence is read.
    fn presence(&mut self, id: u64, operand: &IdedExpr, field: &str) -> FieldType {
        match chain(operand) {
            Some((root, root_id, mut steps)) => {
                steps.push(Step { name: field, id, select: true });
                self.resolve(root, root_id, &steps);
            }
            None => {
                let ty = self.infer(operand);
                self.step(ty, field, "the expression", self.source.field(id));
            }
        }
        FieldType::Bool
    }

    fn comprehension(&mut self, c: &ComprehensionExpr) -> FieldType {
        let range = self.infer(&c.iter_range);
        self.infer(&c.accu_init);
        let depth = self.scopes.len();
        match &c.iter_var2 {
            None => self.scopes.push((c.iter_var.clone(), range.element())),
            Some(second) => {
                let (first, value) = match range {
                    FieldType::List(_) | FieldType::StringList => (FieldType::Int, range.element()),
                    _ => (FieldType::String, ANY),
                };
                self.scopes.push((c.iter_var.clone(), first));
                self.scopes.push((second.clone(), value));
            }
        }
        self.scopes.push((c.accu_var.clone(), ANY));
        self.infer(&c.loop_cond);
        self.infer(&c.loop_step);
        self.infer(&c.result);
        self.scopes.truncate(depth);
        ANY
    }

    fn describe(expr: &IdedExpr, ty: FieldType) -> String {
        match chain(expr) {
            Some((root, _, steps)) => format!("{} ({ty})", path_text(root, &steps)),
            None => ty.to_string(),
        }
    }

    fn call(&mut self, expr: &IdedExpr, c: &CallExpr) -> FieldType {
        let name = c.func_name.as_str();
        match (name, c.args.as_slice()) {
            ("_[_]", [object, index]) => {
                if chain(expr).is_some() {
                    return self.path(expr);
                }
                let object = self.infer(object);
                self.infer(index);
                match object {
                    FieldType::List(t) => *t,
                    FieldType::StringList => FieldType::String,
                    _ => ANY,
                }
            }
            ("_==_" | "_!=_" | "_<_" | "_<=_" | "_>_" | "_>=_", [a, b]) => {
                let (ta, tb) = (self.infer(a), self.infer(b));
                if !compatible(ta, tb) {
                    self.issue(
                        format!("cannot compare {} with {}", Self::describe(a, ta), Self::describe(b, tb)),
                        self.source.node(expr.id),
                    );
                }
                FieldType::Bool
            }
            ("@in", [a, b]) => {
                let (ta, tb) = (self.infer(a), self.infer(b));
                let element = match tb {
                    FieldType::List(t) => *t,
                    FieldType::StringList | FieldType::Object(_) | FieldType::Map => tb.element(),
                    _ => ANY,
                };
                if !compatible(ta, element) {
                    self.issue(
                        format!("cannot look for {} in {}", Self::describe(a, ta), Self::describe(b, tb)),
                        self.source.node(expr.id),
                    );
                }
                FieldType::Bool
            }
            ("_&&_" | "_||_" | "!_" | "@not_strictly_false", args) => {
                for a in args {
                    let t = self.infer(a);
                    if t.class().is_some_and(|c| c != Class::Bool) {
                        self.issue(format!("{} is not a bool", Self::describe(a, t)), self.source.node(a.id));
                    }
                }
                FieldType::Bool
            }
            ("_?_:_", [cond, yes, no]) => {
                self.infer(cond);
                let (ty, tn) = (self.infer(yes), self.infer(no));
                if ty == tn { ty } else { ANY }
            }
            ("_+_" | "_-_" | "_*_" | "_/_" | "_%_" | "-_", args) => {
                let types: Vec<FieldType> = args.iter().map(|a| self.infer(a)).collect();
                if types.iter().all(|t| *t == FieldType::Int) {
                    FieldType::Int
                } else if types.iter().all(|t| *t == FieldType::Float) {
                    FieldType::Float
                } else if types.iter().all(|t| t.class() == Some(Class::String)) {
                    FieldType::String
                } else {
                    ANY
                }
            }
            _ => self.function(expr, c),
        }
    }

    fn function(&mut self, expr: &IdedExpr, c: &CallExpr) -> FieldType {
        let name = c.func_name.as_str();
        let position = self.source.call_name(expr.id);
        match &c.target {
            Some(target) => {
                // `math.abs(x)` parses as a member call on an identifier `math`: a target
                // that spells a qualified function name is a namespace, not a value.
                let qualified = chain(target).and_then(|(root, _, steps)| {
                    steps
                        .iter()
                        .all(|s| s.select)
                        .then(|| format!("{}.{name}", path_text(root, &steps)))
                        .map(|q| (root, q))
                });
                let namespace = qualified.filter(|(root, q)| {
                    let is_value = self.scoped(root).is_some() || schema::variable(root).is_some();
                    !is_value || self.probe.global(q)
                });
                if let Some((_, q)) = namespace {
                    if !self.probe.global(&q) {
                        self.issue(format!("unknown function '{q}'"), position);
                    }
                } else {
                    self.infer(target);
                    if !self.probe.member(name) {
                        self.issue(format!("unknown function '{name}'"), position);
                    }
                }
            }
            None => {
                if !self.probe.global(name) {
                    self.issue(format!("unknown function '{name}'"), position);
                }
            }
        }
        for a in &c.args {
            self.infer(a);
        }
        result_of_function(name)
    }
}
