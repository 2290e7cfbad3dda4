//! A streaming walk over an XML list that hands each record element (`sanctionEntity`,
//! `INDIVIDUAL`, `sdnEntry`) to the caller as a small tree. Records are a few kilobytes, so
//! only one is ever held in memory however large the file.

use super::ImportError;
use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// One element of a record, with namespace prefixes stripped from names.
#[derive(Debug, Default, Clone)]
pub(crate) struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).and_then(super::text::clean)
    }

    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child called `name`, if non-empty.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(|c| super::text::clean(&c.text))
    }

    /// Texts of `list/item` pairs, as in `<programList><program>X</program></programList>`.
    pub fn list_texts<'a>(&'a self, list: &'a str, item: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.children(list).flat_map(move |l| l.children(item)).filter_map(|n| super::text::clean(&n.text))
    }
}

/// Streams `reader` and calls `on_record` for every element named in `record_names`.
pub(crate) fn for_each_record(
    reader: impl BufRead,
    record_names: &[&str],
    mut on_record: impl FnMut(Node),
) -> Result<(), ImportError> {
    let mut reader = Reader::from_reader(reader);
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    // The open elements of the record being collected; empty outside records.
    let mut stack: Vec<Node> = Vec::new();
    let error = |reader: &Reader<_>, message: String| ImportError::Xml { position: reader.buffer_position(), message };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| error(&reader, e.to_string()))?;
        match event {
            Event::Start(start) => {
                let name = local_name(&start);
                if !stack.is_empty() || record_names.contains(&name.as_str()) {
                    let node = node_from(&start, name).map_err(|e| error(&reader, e))?;
                    stack.push(node);
                }
            }
            Event::Empty(start) => {
                let name = local_name(&start);
                let is_record = record_names.contains(&name.as_str());
                if !stack.is_empty() || is_record {
                    let node = node_from(&start, name).map_err(|e| error(&reader, e))?;
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => on_record(node),
                    }
                }
            }
            Event::End(_) => {
                if let Some(node) = stack.pop() {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => on_record(node),
                    }
                }
            }
            Event::Text(text) => {
                if let Some(node) = stack.last_mut() {
                    let text = text.xml10_content().map_err(|e| error(&reader, e.to_string()))?;
                    node.text.push_str(&text);
                }
            }
            Event::CData(data) => {
                if let Some(node) = stack.last_mut() {
                    let text = data.decode().map_err(|e| error(&reader, e.to_string()))?;
                    node.text.push_str(&text);
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(node) = stack.last_mut() {
                    if let Some(ch) = reference.resolve_char_ref().map_err(|e| error(&reader, e.to_string()))? {
                        node.text.push(ch);
                    } else {
                        let name = reference.decode().map_err(|e| error(&reader, e.to_string()))?;
                        let resolved = resolve_predefined_entity(&name)
                            .ok_or_else(|| error(&reader, format!("unknown entity &{name};")))?;
                        node.text.push_str(resolved);
                    }
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        return Err(error(&reader, "file ends inside a record (truncated download?)".to_owned()));
    }
    Ok(())
}

fn local_name(start: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).into_owned()
}

fn node_from(start: &BytesStart<'_>, name: String) -> Result<Node, String> {
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
        let value = attr.unescape_value().map_err(|e| e.to_string())?.into_owned();
        attrs.push((key, value));
    }
    Ok(Node { name, attrs, text: String::new(), children: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(xml: &str) -> Result<Vec<Node>, ImportError> {
        let mut out = Vec::new();
        for_each_record(xml.as_bytes(), &["rec"], |n| out.push(n))?;
        Ok(out)
    }

    #[test]
    fn collects_records_with_entities_and_namespaces() {
        let xml = r#"<?xml version="1.0"?><x:root xmlns:x="urn:x"><x:rec id="1"><x:name>A &amp; B &#233;</x:name>
            <x:empty v="q&lt;"/></x:rec><other/><x:rec id="2"/></x:root>"#;
        let recs = records(xml).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].attr("id"), Some("1"));
        assert_eq!(recs[0].child_text("name"), Some("A & B é"));
        assert_eq!(recs[0].child("empty").and_then(|n| n.attr("v")), Some("q<"));
        assert_eq!(recs[1].attr("id"), Some("2"));
    }

    #[test]
    fn malformed_xml_is_an_error_not_a_panic() {
        assert!(records("<root><rec><a></b></rec></root>").is_err());
        assert!(records("<root><rec><a>").is_err());
        assert!(records("<root><rec>&bogus;</rec></root>").is_err());
    }
}
