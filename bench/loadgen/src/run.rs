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
    /// Also write each measured request as a line `sent_ms latency_ms` (sent: from the start of
    /// the measurement; failed requests are left out), to see whether slow ones come together.
    /// A Fraud API answer's `calculation_time_breakdown` follows on the line, as JSON, to see
    /// which stage a slow request spent its time in.
    #[arg(long)]
    trace: Option<String>,
}

const MAX_IN_FLIGHT: usize = 256;

struct Shared {
    client: reqwest::Client,
    url: String,
    key: String,
    bodies: Vec<String>,
    keep_breakdown: bool,
}

/// How one request went: whether it succeeded, and with `--trace` the server's own timings.
struct Sent {
    ok: bool,
    breakdown: Option<String>,
}

impl Shared {
    async fn send(&self, n: usize) -> Sent {
        let request = if self.bodies.is_empty() {
            self.client.get(&self.url)
        } else {
            self.client
                .post(&self.url)
                .header("content-type", "application/json")
                .body(self.bodies[n % self.bodies.len()].clone())
        };
        let Ok(response) = request.bearer_auth(&self.key).send().await else {
            return Sent { ok: false, breakdown: None };
        };
        let success = response.status().is_success();
        let Ok(body) = response.bytes().await else {
            return Sent { ok: false, breakdown: None };
        };
        let breakdown = self
            .keep_breakdown
            .then(|| serde_json::from_slice::<serde_json::Value>(&body).ok())
            .flatten()
            .map(|answer| answer["data"]["calculation_time_breakdown"].clone())
            .filter(|timings| !timings.is_null())
            .map(|timings| timings.to_string());
        Sent { ok: success, breakdown }
    }
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    /// When each of `latencies_us` was sent (µs from the start of the measurement).
    sent_us: Vec<u64>,
    /// With `--trace`, each one's server timings.
    breakdowns: Vec<Option<String>>,
    /// Open loop: how late each request left the generator, from its schedule.
    lag_us: Vec<u64>,
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
        keep_breakdown: args.trace.is_some(),
    });
    let tally = Arc::new(Mutex::new(Tally::default()));
    let start = Instant::now();
    let measure_from = start + Duration::from_secs(args.warmup_secs);
    let end = measure_from + Duration::from_secs(args.duration_secs);
    let offset = rand::thread_rng().gen_range(0..1000);
    match args.rate {
        Some(rate) => {
            // tokio's timers tick in whole milliseconds and wake late by up to one, which
            // would add ~0.5 ms to every latency measured from the schedule. A thread of its
            // own paces the requests with the OS clock instead (tens of µs late).
            let interval = Duration::from_secs_f64(1.0 / f64::from(rate.max(1)));
            let (ticks, mut due) = tokio::sync::mpsc::unbounded_channel::<(usize, Instant)>();
            let pacer = std::thread::spawn(move || {
                let mut n = 0usize;
                loop {
                    let scheduled = start + interval.mul_f64(n as f64);
                    if scheduled >= end {
                        break;
                    }
                    let now = Instant::now();
                    if scheduled > now {
                        std::thread::sleep(scheduled - now);
                    }
                    if ticks.send((n, scheduled)).is_err() {
                        break;
                    }
                    n += 1;
                }
            });
            let mut tasks = tokio::task::JoinSet::new();
            while let Some((n, scheduled)) = due.recv().await {
                while tasks.try_join_next().is_some() {}
                if scheduled >= measure_from {
                    tally.lock().await.lag_us.push(micros(scheduled.elapsed()));
                }
                // A server that cannot keep up would otherwise be sent an unbounded number of
                // connections; past the cap, a request counts as failed (the rate was not held).
                if tasks.len() >= MAX_IN_FLIGHT {
                    if scheduled >= measure_from {
                        tally.lock().await.errors += 1;
                    }
                    continue;
                }
                let (shared, tally) = (Arc::clone(&shared), Arc::clone(&tally));
                tasks.spawn(async move {
                    let outcome = shared.send(n + offset).await;
                    record(&tally, scheduled, measure_from, outcome).await;
                });
            }
            pacer.join().map_err(|_| "the pacing thread panicked")?;
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
                        let outcome = shared.send(n).await;
                        record(&tally, sent, measure_from, outcome).await;
                        n += 1;
                    }
                });
            }
            while tasks.join_next().await.is_some() {}
        }
    }
    let mut tally = tally.lock().await;
    let Tally { latencies_us, sent_us, breakdowns, lag_us, errors } = &mut *tally;
    if let Some(path) = &args.trace {
        let lines: String = sent_us
            .iter()
            .zip(latencies_us.iter())
            .zip(breakdowns.iter())
            .map(|((sent, latency), breakdown)| {
                let (sent, latency) = (*sent as f64 / 1000.0, *latency as f64 / 1000.0);
                match breakdown {
                    Some(timings) => format!("{sent:.3} {latency:.3} {timings}\n"),
                    None => format!("{sent:.3} {latency:.3}\n"),
                }
            })
            .collect();
        std::fs::write(path, lines)?;
    }
    let count = latencies_us.len();
    let latency = Quantiles::of(latencies_us);
    let lag = Quantiles::of(lag_us);
    let mut result = serde_json::json!({
        "label": args.label,
        "mode": match args.rate { Some(r) => format!("open loop {r} req/s"), None => format!("closed loop {} connections", args.connections) },
        "requests": count,
        "errors": *errors,
        "requests_per_s": (count as f64 / args.duration_secs as f64).round(),
        "p50_ms": latency.at(0.50),
        "p90_ms": latency.at(0.90),
        "p99_ms": latency.at(0.99),
        "max_ms": latency.at(1.0),
    });
    // The generator's own lateness is already inside the latencies above (they run from the
    // schedule); shown apart so that a figure can be told from the machine's contention.
    if args.rate.is_some() {
        result["send_lag_p50_ms"] = lag.at(0.50).into();
        result["send_lag_p99_ms"] = lag.at(0.99).into();
    }
    println!("{result}");
    Ok(())
}

/// Quantiles of a sample of microsecond figures, in milliseconds.
struct Quantiles<'a>(&'a [u64]);

impl<'a> Quantiles<'a> {
    fn of(sample: &'a mut [u64]) -> Quantiles<'a> {
        sample.sort_unstable();
        Quantiles(sample)
    }

    fn at(&self, q: f64) -> f64 {
        let count = self.0.len();
        if count == 0 {
            return f64::NAN;
        }
        let index = ((count as f64 * q).ceil() as usize).clamp(1, count) - 1;
        self.0[index] as f64 / 1000.0
    }
}

fn micros(elapsed: Duration) -> u64 {
    u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX)
}

async fn record(tally: &Mutex<Tally>, started: Instant, measure_from: Instant, sent: Sent) {
    if started < measure_from {
        return;
    }
    let elapsed = started.elapsed();
    let mut tally = tally.lock().await;
    if sent.ok {
        tally.latencies_us.push(micros(elapsed));
        tally.sent_us.push(micros(started - measure_from));
        tally.breakdowns.push(sent.breakdown);
    } else {
        tally.errors += 1;
    }
}
