//! The domain of Sightline and the port it persists through.
//!
//! This crate owns the vocabulary every other crate speaks: tenants and their API keys,
//! resource ids, timestamps, the one error type all dialects translate, and the [`Store`]
//! trait that the storage crate implements for SQLite and PostgreSQL. It performs no I/O of
//! its own, so the rules written here can be tested without a database or a network.

pub mod activity;
pub mod agent_key;
pub mod caller_cache;
pub mod consent;
pub mod decision;
pub mod device;
pub mod device_analysis;
pub mod error;
pub mod fraud;
pub mod ids;
pub mod link_stats;
pub mod monitoring;
pub mod person;
pub mod question;
pub mod store;
pub mod tenant;
pub mod time;
pub mod velocity;
pub mod webhook;

pub use error::{Error, ErrorKind, Result};
pub use ids::{Id, ResourceKind};
pub use store::{ChangeSet, Store};
pub use tenant::{ApiKey, AuthContext, NewApiKey, Tenant, TenantMode, TenantSettings};
pub use time::Timestamp;
