//! Turning an event into CEL variables, once per evaluation. Values borrow the event's
//! strings instead of copying them, and only the projected parts are converted. Numbers
//! follow the schema: a `double` field is always a CEL double even when sent as `100`, so
//! arithmetic such as `request.transaction_amount * 1.1` never trips over int/double.

use crate::compile::CompiledRuleSet;
use crate::event::Event;
use crate::projection::Projection;
use crate::schema::{self, FieldType};
use cel::common::types::{CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString, CelUInt};
use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

type Boxed<'a> = Box<dyn Val + 'a>;

fn number<'a>(n: &Number, ty: FieldType) -> Boxed<'a> {
    if ty == FieldType::Float {
        return Box::new(CelDouble::from(n.as_f64().unwrap_or(f64::NAN)));
    }
    if let Some(i) = n.as_i64() {
        Box::new(CelInt::from(i))
    } else if let Some(u) = n.as_u64() {
        Box::new(CelUInt::from(u))
    } else {
        Box::new(CelDouble::from(n.as_f64().unwrap_or(f64::NAN)))
    }
}

fn field_type(ty: FieldType, name: &str) -> FieldType {
    ty.field(name).map_or(FieldType::Any, |f| f.ty)
}

fn element_type(ty: FieldType) -> FieldType {
    match ty {
        FieldType::List(t) => *t,
        FieldType::StringList => FieldType::String,
        _ => FieldType::Any,
    }
}

fn value<'a>(v: &'a Value, ty: FieldType, projection: Option<&'a Projection>) -> Boxed<'a> {
    match v {
        Value::Null => Box::new(CelNull),
        Value::Bool(b) => Box::new(CelBool::from(*b)),
        Value::Number(n) => number(n, ty),
        Value::String(s) => Box::new(CelString::from(s.as_str())),
        Value::Array(items) => {
            let element = element_type(ty);
            let items: Vec<Boxed<'a>> = items.iter().map(|i| value(i, element, None)).collect();
            Box::new(CelList::from(items))
        }
        Value::Object(map) => object(map, ty, projection),
    }
}

fn object<'a>(map: &'a Map<String, Value>, ty: FieldType, projection: Option<&'a Projection>) -> Boxed<'a> {
    let mut out: HashMap<CelMapKey<'a>, Boxed<'a>> = HashMap::new();
    match projection.filter(|p| !p.full) {
        Some(p) => {
            out.reserve(p.children.len());
            for (name, child) in &p.children {
                if let Some((key, v)) = map.get_key_value(name) {
                    out.insert(CelMapKey::from(key.as_str()), value(v, field_type(ty, name), Some(child)));
                }
            }
        }
        None => {
            out.reserve(map.len());
            for (key, v) in map {
                out.insert(CelMapKey::from(key.as_str()), value(v, field_type(ty, key), None));
            }
        }
    }
    Box::new(CelMap::from(out))
}

fn velocity<'a>(set: &'a CompiledRuleSet, event: &'a Event) -> Boxed<'a> {
    let mut out: HashMap<CelMapKey<'a>, Boxed<'a>> = HashMap::with_capacity(set.velocity_bindings.len());
    for (name, is_count) in &set.velocity_bindings {
        // A counter the server did not supply stays absent: the rule reading it is then
        // reported as unavailable rather than deciding on a made-up zero.
        let Some(v) = event.velocity.get(name) else {
            continue;
        };
        let whole = *is_count && v.fract() == 0.0 && v.abs() < 9.0e15;
        let val: Boxed<'a> = if whole {
            // Exact: |v| < 2^53 and integral.
            Box::new(CelInt::from(*v as i64))
        } else {
            Box::new(CelDouble::from(*v))
        };
        out.insert(CelMapKey::from(name.as_str()), val);
    }
    Box::new(CelMap::from(out))
}

fn lists<'a>(set: &'a CompiledRuleSet, event: &'a Event) -> Boxed<'a> {
    let mut out: HashMap<CelMapKey<'a>, Boxed<'a>> = HashMap::with_capacity(set.list_bindings.len());
    for (name, covered) in &set.list_bindings {
        let hit = covered.iter().any(|n| event.lists.get(n).copied().unwrap_or(false));
        out.insert(CelMapKey::from(name.as_str()), Box::new(CelBool::from(hit)));
    }
    Box::new(CelMap::from(out))
}

/// The event's variables, looked up by name before anything else in the context; a
/// resolver avoids the context's string-keyed map for the handful of fixed names.
pub(crate) struct Bindings<'a> {
    values: Vec<Option<Boxed<'a>>>,
}

impl VariableResolver for Bindings<'_> {
    fn resolve<'b>(&'b self, variable: &str) -> Option<CowVal<'b, 'b>> {
        let (index, _) = schema::variable(variable)?;
        let value = self.values.get(index)?.as_deref()?;
        Some(CowVal::Borrowed(value))
    }
}

/// Converts every variable the rule set reads, and returns them with the bit set of the
/// nullable ones that are absent in this event.
pub(crate) fn bind<'a>(set: &'a CompiledRuleSet, event: &'a Event) -> (Bindings<'a>, u32) {
    let mut absent = 0u32;
    let mut values = Vec::with_capacity(schema::variables().len());
    for (index, var) in schema::variables().iter().enumerate() {
        if set.needs.roots & (1 << index) == 0 {
            values.push(None);
            continue;
        }
        let projection = set.needs.projections.get(index).and_then(Option::as_ref);
        let val: Boxed<'a> = match var.name {
            "request" => object(&event.request, var.ty, projection),
            "custom" => object(&event.custom, var.ty, projection),
            "velocity" => velocity(set, event),
            "lists" => lists(set, event),
            "now" => match event.now {
                Some(now) => Box::new(CelInt::from(now)),
                None => {
                    absent |= 1 << index;
                    Box::new(CelNull)
                }
            },
            module => match event.module(module) {
                Some(v) => value(v, var.ty, projection),
                None => {
                    absent |= 1 << index;
                    Box::new(CelNull)
                }
            },
        };
        values.push(Some(val));
    }
    (Bindings { values }, absent)
}
