//! Which parts of an event a rule set reads. Evaluation converts only those parts into CEL
//! values, so a large `device.details` or request costs nothing when no rule looks at it.
//! It is sound because the checker records every way an expression can reach event data:
//! a static path is recorded down to where it stops, anything else takes the whole value.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Projection {
    /// The whole value is needed.
    pub full: bool,
    pub children: BTreeMap<String, Projection>,
}

impl Projection {
    /// Records that `path` (relative to this node) is read as a whole.
    pub(crate) fn insert(&mut self, path: &[&str]) {
        let mut node = self;
        for segment in path {
            if node.full {
                return;
            }
            node = node.children.entry((*segment).to_owned()).or_default();
        }
        node.full = true;
        node.children.clear();
    }

    pub(crate) fn merge(&mut self, other: &Projection) {
        if self.full {
            return;
        }
        if other.full {
            self.full = true;
            self.children.clear();
            return;
        }
        for (name, child) in &other.children {
            self.children.entry(name.clone()).or_default().merge(child);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_value_absorbs_its_parts() {
        let mut p = Projection::default();
        p.insert(&["details", "os"]);
        p.insert(&["flags"]);
        assert!(!p.full);
        assert!(p.children["details"].children["os"].full);
        p.insert(&["details"]);
        assert!(p.children["details"].full && p.children["details"].children.is_empty());
        p.insert(&["details", "browser"]);
        assert!(p.children["details"].children.is_empty());
        let mut q = Projection::default();
        q.insert(&[]);
        p.merge(&q);
        assert!(p.full && p.children.is_empty());
    }
}
