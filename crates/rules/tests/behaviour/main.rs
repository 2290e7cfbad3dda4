//! Behaviour of the public API: compiling, evaluating, the default pack, docs, properties.

mod compile;
mod default_pack;
mod docs;
mod evaluate;
mod props;
mod support;
