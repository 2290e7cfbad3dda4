//! Prints the linking attribute table embedded in `docs/device-intelligence.md`.
fn main() {
    print!("{}", sightline_device::render_attribute_table());
}
