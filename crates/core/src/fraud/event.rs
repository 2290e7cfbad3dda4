//! What a dialect hands the core: the request attributes as the rules see them, the custom
//! fields, the device payload string and which modules run.

use crate::monitoring::RequestContext;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// A module of the decision, switchable per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    Ip,
    Email,
    Phone,
    Card,
    Aml,
    Device,
}

impl Module {
    pub const ALL: [Module; 6] = [Module::Ip, Module::Email, Module::Phone, Module::Card, Module::Aml, Module::Device];

    pub fn as_str(self) -> &'static str {
        match self {
            Module::Ip => "ip",
            Module::Email => "email",
            Module::Phone => "phone",
            Module::Card => "card",
            Module::Aml => "aml",
            Module::Device => "device",
        }
    }
}

/// Which modules run; all of them unless switched off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSwitches {
    off: BTreeSet<Module>,
}

impl Default for ModuleSwitches {
    fn default() -> Self {
        ModuleSwitches::all_on()
    }
}

impl ModuleSwitches {
    pub fn all_on() -> Self {
        ModuleSwitches { off: BTreeSet::new() }
    }

    pub fn set(&mut self, module: Module, on: bool) {
        if on {
            self.off.remove(&module);
        } else {
            self.off.insert(module);
        }
    }

    pub fn is_on(&self, module: Module) -> bool {
        !self.off.contains(&module)
    }
}

/// One event to decide on.
#[derive(Debug, Clone, Default)]
pub struct FraudEvent {
    /// Request attributes in the rules' `request` model (no `config`, `custom_fields` or
    /// `session`).
    pub request: Map<String, Value>,
    pub custom: Map<String, Value>,
    /// The agent's payload string, if the partner sent one.
    pub device_data: Option<String>,
    pub modules: ModuleSwitches,
    pub context: RequestContext,
}

impl FraudEvent {
    /// A non-empty string attribute of the request.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.request.get(name).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
    }

    pub fn amount(&self) -> Option<f64> {
        self.request.get("transaction_amount").and_then(Value::as_f64).filter(|a| a.is_finite())
    }
}
