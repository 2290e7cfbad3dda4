//! Static geography shared by the modules: country names and which countries use a time zone.

pub mod countries;
pub mod timezones;
