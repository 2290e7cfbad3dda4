//! Writes small MaxMind DB files (format 2.0) for fixtures: a binary search tree with 32-bit
//! records, the data section, and the metadata map. No crate on crates.io writes the format
//! and is maintained, and fixtures need only a handful of networks, so a simple in-memory
//! trie is enough.

use std::net::IpAddr;

/// A value in the data section.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    F64(f64),
    F32(f32),
    U16(u16),
    U32(u32),
    U64(u64),
    Bool(bool),
    Map(Vec<(String, Value)>),
    Array(Vec<Value>),
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Str(text.to_string())
    }
}

impl Value {
    pub fn map<const N: usize>(entries: [(&str, Value); N]) -> Value {
        Value::Map(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
}

#[derive(Debug, Clone)]
enum Node {
    Empty,
    /// Offset of the record in the data section.
    Data(u32),
    Branch(Box<Node>, Box<Node>),
}

pub struct MmdbWriter {
    database_type: String,
    ip_version: u16,
    root: Node,
    data: Vec<u8>,
}

impl MmdbWriter {
    /// `ip_version` 6 trees hold IPv4 networks under `::/96`, as MaxMind's own files do.
    pub fn new(database_type: &str, ip_version: u16) -> MmdbWriter {
        MmdbWriter { database_type: database_type.to_string(), ip_version, root: Node::Empty, data: Vec::new() }
    }

    /// Maps `network` (CIDR or single address) to `value`. Later, more specific networks carve
    /// their part out of earlier, wider ones.
    pub fn insert(&mut self, network: &str, value: &Value) -> Result<(), String> {
        let (address, prefix) = match network.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u32>().map_err(|_| format!("bad prefix in {network}"))?)),
            None => (network, None),
        };
        let address: IpAddr = address.parse().map_err(|_| format!("bad address in {network}"))?;
        let (key, width, prefix) = match (address, self.ip_version) {
            (IpAddr::V4(v4), 4) => (u128::from(u32::from(v4)), 32, prefix.unwrap_or(32)),
            (IpAddr::V4(v4), _) => (u128::from(u32::from(v4)), 128, 96 + prefix.unwrap_or(32)),
            (IpAddr::V6(v6), 6) => (u128::from(v6), 128, prefix.unwrap_or(128)),
            (IpAddr::V6(_), _) => return Err(format!("{network}: IPv6 network in an IPv4 tree")),
        };
        if prefix > width {
            return Err(format!("{network}: prefix too long"));
        }
        let offset = u32::try_from(self.data.len()).map_err(|_| "data section too large".to_string())?;
        encode(value, &mut self.data);
        insert(&mut self.root, key, width, 0, prefix, offset);
        Ok(())
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        // A tree needs at least one node; a leaf root is split so both halves keep its value.
        let root = match &self.root {
            Node::Branch(..) => self.root.clone(),
            leaf => Node::Branch(Box::new(leaf.clone()), Box::new(leaf.clone())),
        };
        enum Record {
            Node(u32),
            Empty,
            Data(u32),
        }
        // Nodes are numbered breadth-first; a child's number is known when it is queued.
        let mut queue: Vec<&Node> = vec![&root];
        let mut records: Vec<[Record; 2]> = Vec::new();
        let mut index = 0;
        while index < queue.len() {
            if let Node::Branch(left, right) = queue[index] {
                let mut pair = [Record::Empty, Record::Empty];
                for (slot, child) in pair.iter_mut().zip([left, right]) {
                    *slot = match child.as_ref() {
                        Node::Empty => Record::Empty,
                        Node::Data(offset) => Record::Data(*offset),
                        branch @ Node::Branch(..) => {
                            queue.push(branch);
                            Record::Node((queue.len() - 1) as u32)
                        }
                    };
                }
                records.push(pair);
            }
            index += 1;
        }
        let node_count = records.len() as u32;
        let mut out = Vec::new();
        for pair in &records {
            for record in pair {
                let value = match record {
                    Record::Node(n) => *n,
                    Record::Empty => node_count,
                    Record::Data(offset) => node_count + 16 + offset,
                };
                out.extend(value.to_be_bytes());
            }
        }
        out.extend([0u8; 16]);
        out.extend(&self.data);
        out.extend(b"\xAB\xCD\xEFMaxMind.com");
        let metadata = Value::map([
            ("binary_format_major_version", Value::U16(2)),
            ("binary_format_minor_version", Value::U16(0)),
            ("build_epoch", Value::U64(1_767_225_600)),
            ("database_type", Value::from(self.database_type.as_str())),
            ("description", Value::map([("en", Value::from("Sightline test fixture"))])),
            ("ip_version", Value::U16(self.ip_version)),
            ("languages", Value::Array(vec![Value::from("en")])),
            ("node_count", Value::U32(node_count)),
            ("record_size", Value::U16(32)),
        ]);
        encode(&metadata, &mut out);
        out
    }
}

fn insert(node: &mut Node, key: u128, width: u32, depth: u32, prefix: u32, offset: u32) {
    if depth == prefix {
        *node = Node::Data(offset);
        return;
    }
    if !matches!(node, Node::Branch(..)) {
        let inherited = std::mem::replace(node, Node::Empty);
        *node = Node::Branch(Box::new(inherited.clone()), Box::new(inherited));
    }
    if let Node::Branch(left, right) = node {
        let bit = (key >> (width - 1 - depth)) & 1;
        let child = if bit == 0 { left } else { right };
        insert(child, key, width, depth + 1, prefix, offset);
    }
}

/// Writes a control byte (type in the top three bits, or 0 plus an extended-type byte for
/// types above 7) and the size, with the format's 29/30/31 escapes for large sizes.
fn control(out: &mut Vec<u8>, kind: u8, size: usize) {
    let (bits, extra): (u8, Vec<u8>) = match size {
        0..29 => (size as u8, vec![]),
        29..285 => (29, vec![(size - 29) as u8]),
        285..65_821 => (30, ((size - 285) as u16).to_be_bytes().to_vec()),
        _ => (31, ((size - 65_821) as u32).to_be_bytes()[1..].to_vec()),
    };
    if kind <= 7 {
        out.push((kind << 5) | bits);
    } else {
        out.push(bits);
        out.push(kind - 7);
    }
    out.extend(extra);
}

fn unsigned(out: &mut Vec<u8>, kind: u8, value: u64) {
    let bytes = value.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    control(out, kind, 8 - skip);
    out.extend(&bytes[skip..]);
}

fn encode(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Str(text) => {
            control(out, 2, text.len());
            out.extend(text.as_bytes());
        }
        Value::F64(number) => {
            control(out, 3, 8);
            out.extend(number.to_be_bytes());
        }
        Value::U16(number) => unsigned(out, 5, u64::from(*number)),
        Value::U32(number) => unsigned(out, 6, u64::from(*number)),
        Value::Map(entries) => {
            control(out, 7, entries.len());
            for (key, value) in entries {
                encode(&Value::Str(key.clone()), out);
                encode(value, out);
            }
        }
        Value::U64(number) => unsigned(out, 9, *number),
        Value::Array(items) => {
            control(out, 11, items.len());
            for item in items {
                encode(item, out);
            }
        }
        Value::Bool(flag) => control(out, 14, usize::from(*flag)),
        Value::F32(number) => {
            control(out, 15, 4);
            out.extend(number.to_be_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Record {
        name: String,
        count: Option<u32>,
        big: Option<u64>,
        flag: Option<bool>,
        tags: Option<Vec<String>>,
    }

    fn read(bytes: Vec<u8>, ip: &str) -> Option<Record> {
        let reader = maxminddb::Reader::from_source(bytes).unwrap();
        reader.lookup(ip.parse().unwrap()).unwrap().decode().unwrap()
    }

    #[test]
    fn round_trips_through_the_maxminddb_reader() {
        let mut writer = MmdbWriter::new("test", 6);
        let long = "x".repeat(300);
        writer
            .insert(
                "10.0.0.0/8",
                &Value::map([
                    ("name", Value::from(long.as_str())),
                    ("count", Value::U32(70_000)),
                    ("big", Value::U64(1 << 40)),
                    ("flag", Value::Bool(true)),
                    ("tags", Value::Array(vec![Value::from("a"), Value::from("b")])),
                ]),
            )
            .unwrap();
        writer.insert("10.1.0.0/16", &Value::map([("name", Value::from("inner"))])).unwrap();
        writer.insert("2a00::/12", &Value::map([("name", Value::from("six"))])).unwrap();
        let bytes = writer.to_bytes();
        let outer = read(bytes.clone(), "10.200.0.1").unwrap();
        assert_eq!(outer.name, long);
        assert_eq!((outer.count, outer.big, outer.flag), (Some(70_000), Some(1 << 40), Some(true)));
        assert_eq!(outer.tags, Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(read(bytes.clone(), "10.1.2.3").unwrap().name, "inner");
        assert_eq!(read(bytes.clone(), "2a01::1").unwrap().name, "six");
        assert_eq!(read(bytes.clone(), "11.0.0.1"), None);
        assert_eq!(read(bytes, "2c00::1"), None);
    }

    #[test]
    fn ipv4_trees_and_bad_input() {
        let mut writer = MmdbWriter::new("test", 4);
        writer.insert("1.2.3.4", &Value::map([("name", Value::from("one"))])).unwrap();
        assert!(writer.insert("::1", &Value::Bool(true)).is_err());
        assert!(writer.insert("1.2.3.0/40", &Value::Bool(true)).is_err());
        let bytes = writer.to_bytes();
        assert_eq!(read(bytes.clone(), "1.2.3.4").unwrap().name, "one");
        assert_eq!(read(bytes, "1.2.3.5"), None);
        assert!(maxminddb::Reader::from_source(MmdbWriter::new("empty", 6).to_bytes()).is_ok());
    }
}
