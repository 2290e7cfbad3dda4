//! Enrichment in the running service: the offline data loaded once at start, and the adapter
//! through which the core's decisions consult it.

mod adapter;

pub use adapter::{OfflineEnricher, describe};
