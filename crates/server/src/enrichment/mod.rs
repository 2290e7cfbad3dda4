//! Enrichment in the running service: the offline data loaded once at start, and the adapter
//! through which the core's decisions consult it.

mod adapter;
mod sanctions;

pub use adapter::{OfflineEnricher, describe};
pub use sanctions::{load_index, sanctions_command};
