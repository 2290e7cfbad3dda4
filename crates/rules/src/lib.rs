//! Fraud decision rules for Sightline.
//!
//! Rules are CEL expressions over one event (request attributes, custom fields, module
//! outputs, device analysis, velocity counters, list matches). A [`RuleSet`] is compiled
//! once per version into a [`CompiledRuleSet`]: every expression is parsed and checked
//! against the event [`schema`], so an unknown field is a compile error with a position,
//! and the set reports which velocity counters and list lookups it needs. Evaluating an
//! [`Event`] gives a SEON-style [`Decision`]: a fraud score capped to 0–100, a state from
//! forced operations or thresholds, and the applied rules.
//!
//! The crate is pure: no I/O and no clock. The caller passes the time, the counters and
//! the list contents. See `docs/rules.md` for the event model and semantics.
//!
//! ```
//! use sightline_rules::{CompiledRuleSet, Event, State, default_pack};
//!
//! let rules = CompiledRuleSet::compile(&default_pack()).expect("the default pack compiles");
//! let event = Event::from_json(&serde_json::json!({
//!     "request": {"email": "ann@example.com", "transaction_amount": 25.0},
//!     "device": {"flags": ["automation"], "is_new_for_user": false},
//!     "lists": {"deny_email": true}
//! }));
//! let decision = rules.evaluate(&event);
//! assert_eq!(decision.state, State::Decline);
//! ```

mod backtest;
mod bind;
mod check;
mod cidr;
mod compile;
mod decision;
mod default_pack;
mod evaluate;
mod event;
mod functions;
mod limits;
mod lists;
pub mod normalize;
mod position;
mod projection;
mod rewrite;
mod rule;
pub mod schema;
mod velocity;

pub use backtest::{BacktestReport, Flip, FlipRecord, StateCounts, compare, delta_bucket};
pub use cidr::{Cidr, CidrError};
pub use compile::{CompileError, CompiledRuleSet, MAX_EXPRESSION_BYTES, validate_expression};
pub use decision::{AppliedRule, Decision, RuleError};
pub use default_pack::{ALLOW_LIST_CREDIT, DEFAULT_PACK_VERSION, default_pack, default_pack_markdown};
pub use event::Event;
pub use limits::{MAX_DEPTH, MAX_NESTING, MAX_OPERATORS};
pub use lists::{ListEntry, ListError, ListKind, ListMatches, ListName, ListSet, Polarity, Subjects};
pub use position::Position;
pub use rule::{Operation, Rule, RuleSet, State, Thresholds};
pub use velocity::{KeyKind, Measure, VelocityNameError, VelocitySpec, Window};
