//! Fraud decisions: one event through device intelligence, enrichment, allow/deny lists and
//! velocity into the tenant's rules, stored with its inputs (personal data hashed) in the
//! same commit as its velocity row and identity-graph updates. Dialects translate their
//! request into a [`FraudEvent`] and the [`FraudOutcome`] back; nothing here knows a dialect.

mod backtest;
mod decide;
mod device;
mod enrichment;
mod event;
mod lists;
mod outcome;
mod pii;
mod rule_sets;
mod velocity;

pub use backtest::{Backtest, backtest};
pub use decide::{Decider, decide};
pub use enrichment::{Enricher, Enrichment, ModuleReport, ModuleStatus, NoEnrichment};
pub use event::{FraudEvent, Module, ModuleSwitches};
pub use outcome::{DeviceSection, FraudOutcome};
pub use rule_sets::{RuleCache, current_rule_set};
