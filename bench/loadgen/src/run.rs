//! The load generator.

use rand::Rng;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

#[derive(clap::Args)]
pub struct RunArgs {
    /// Full URL on loopback.
    #[arg(long)]
    url: String,
    /// API key, sent as a bearer token.
    #[arg(long)]
    key: String,
    /// File of JSON request bodies, one per line, sent round-robin as POSTs (GET without).
    #[arg(long)]
    bodies: Option<String>,
    /// Requests per second (open loop). Without it, closed loop over `connections`.
    #[arg(long)]
    rate: Option<u32>,
    #[arg(long, default_value_t = 16)]
    connections: usize,
    #[arg(long, default_value_t = 10)]
    duration_secs: u64,
    /// Seconds of load before measuring starts.
    #[arg(long, default_value_t = 2)]
    warmup_secs: u64,
    /// A label for the printed result line.
    #[arg(long, default_value = "run")]
    label: String,
}

const MAX_IN_FLIGHT: usize = 256;

struct Shared {
    client: reqwest::Client,
    url: String,
    key: String,
    bodies: Vec<String>,
}

impl Shared {
    async fn send(&self, n: usize) -> bool {
        let request = if self.bodies.is_empty() {
            self.client.get(&self.url)
        } else {
            self.client
                .post(&self.url)
                .header("content-type", "application/json")
                .body(self.bodies[n % self.bodies.len()].clone())
        };
        match request.bearer_auth(&self.key).send().await {
            Ok(response) => {
                let ok = response.status().is_success();
                response.bytes().await.is_ok() && ok
            }
            Err(_) => false,
        }
    }
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    errors: u64,
}

pub async fn run(args: RunArgs) -> Result<(), Box<dyn std::error::Error>> {
    let bodies = match &args.bodies {
        Some(path) => {
            std::fs::read_to_string(path)?.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()
        }
        None => Vec::new(),
    };
    let shared = Arc::new(Shared {
        client: reqwest::Client::builder().pool_max_idle_per_host(4096).build()?,
        url: args.url.clone(),
        key: args.key.clone(),
        bodies,
    });
    let tally = Arc::new(Mutex::new(Tally::default()));
    let start = Instant::now();
    let measure_from = start + Duration::from_secs(args.warmup_secs);
    let end = measure_from + Duration::from_secs(args.duration_secs);
    let offset = rand::thread_rng().gen_range(0..1000);
    match args.rate {
        Some(rate) => {
            let interval = Duration::from_secs_f64(1.0 / f64::from(rate.max(1)));
            let mut tasks = tokio::task::JoinSet::new();
            let mut n = 0usize;
            loop {
                let scheduled = start + interval.mul_f64(n as f64);
                if scheduled >= end {
                    break;
                }
                tokio::time::sleep_until(scheduled.into()).await;
                while tasks.try_join_next().is_some() {}
                // A server that cannot keep up would otherwise be sent an unbounded number of
                // connections; past the cap, a request counts as failed (the rate was not held).
                if tasks.len() >= MAX_IN_FLIGHT {
                    if scheduled >= measure_from {
                        tally.lock().await.errors += 1;
                    }
                    n += 1;
                    continue;
                }
                let (shared, tally) = (Arc::clone(&shared), Arc::clone(&tally));
                tasks.spawn(async move {
                    let ok = shared.send(n + offset).await;
                    record(&tally, scheduled, measure_from, ok).await;
                });
                n += 1;
            }
            while tasks.join_next().await.is_some() {}
        }
        None => {
            let mut tasks = tokio::task::JoinSet::new();
            for worker in 0..args.connections {
                let (shared, tally) = (Arc::clone(&shared), Arc::clone(&tally));
                tasks.spawn(async move {
                    let mut n = worker * 1_000_003 + offset;
                    while Instant::now() < end {
                        let sent = Instant::now();
                        let ok = shared.send(n).await;
                        record(&tally, sent, measure_from, ok).await;
                        n += 1;
                    }
                });
            }
            while tasks.join_next().await.is_some() {}
        }
    }
    let mut tally = tally.lock().await;
    tally.latencies_us.sort_unstable();
    let count = tally.latencies_us.len();
    let at = |q: f64| -> f64 {
        if count == 0 {
            return f64::NAN;
        }
        let index = ((count as f64 * q).ceil() as usize).clamp(1, count) - 1;
        tally.latencies_us[index] as f64 / 1000.0
    };
    let result = serde_json::json!({
        "label": args.label,
        "mode": match args.rate { Some(r) => format!("open loop {r} req/s"), None => format!("closed loop {} connections", args.connections) },
        "requests": count,
        "errors": tally.errors,
        "requests_per_s": (count as f64 / args.duration_secs as f64).round(),
        "p50_ms": at(0.50),
        "p90_ms": at(0.90),
        "p99_ms": at(0.99),
        "max_ms": at(1.0),
    });
    println!("{result}");
    Ok(())
}

async fn record(tally: &Mutex<Tally>, started: Instant, measure_from: Instant, ok: bool) {
    if started < measure_from {
        return;
    }
    let elapsed = started.elapsed();
    let mut tally = tally.lock().await;
    if ok {
        tally.latencies_us.push(u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX));
    } else {
        tally.errors += 1;
    }
}
