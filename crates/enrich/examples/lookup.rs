//! Prints what the enrichment data says about each argument, as JSON: an IP address, an email
//! address, a phone number (starting with `+`) or a card BIN (digits only).
//!
//! ```sh
//! cargo run -p sightline-enrich --example lookup -- 8.8.8.8 jane@gmial.com +4915112345678 424242
//! ```
//!
//! The data directory is `$SIGHTLINE_DATA_DIR`, else `./data`.

use std::net::IpAddr;

use sightline_enrich::{CountryContext, EnrichConfig, Enrichment};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data_dir = std::env::var("SIGHTLINE_DATA_DIR").unwrap_or_else(|_| "data".to_string());
    let started = std::time::Instant::now();
    let enrichment = Enrichment::load(&EnrichConfig::with_data_dir(data_dir));
    eprintln!("loaded in {:?}", started.elapsed());
    println!("{}", serde_json::to_string_pretty(enrichment.statuses())?);
    let context = CountryContext::default();
    for argument in std::env::args().skip(1) {
        let answer = if let Ok(ip) = argument.parse::<IpAddr>() {
            serde_json::to_value(enrichment.ip(ip))?
        } else if argument.contains('@') {
            serde_json::to_value(enrichment.email(&argument))?
        } else if argument.starts_with('+') {
            serde_json::to_value(enrichment.phone(&argument, &context))?
        } else {
            serde_json::to_value(enrichment.card_bin(&argument, &context))?
        };
        println!("{}", serde_json::to_string_pretty(&answer)?);
    }
    Ok(())
}
