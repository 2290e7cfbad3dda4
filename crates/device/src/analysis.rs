//! The analysis pipeline: fingerprint → detectors → reason codes → scores →
//! `device_details`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::codes::{self, Category};
use crate::detect::{self, Ctx, Flag};
use crate::identity::Fingerprint;
use crate::input::AnalysisInput;
use crate::score::{self, Score};

/// One reason code present in an analysis, with the evidence behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCode {
    pub code: String,
    pub category: Category,
    pub title: String,
    /// 0 for informational codes.
    pub risk_weight: u8,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceAnalysis {
    /// SEON-compatible `device_details` for the payload's platform.
    pub device_details: Value,
    pub flags: Vec<Flag>,
    /// Every code present, in code order (informational `I` before `R`).
    pub reason_codes: Vec<ReasonCode>,
    pub device_risk: Score,
    pub identity_correlation: Score,
    pub fingerprint: Fingerprint,
}

impl DeviceAnalysis {
    pub fn has_flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f.name == name)
    }

    pub fn has_code(&self, code: &str) -> bool {
        self.reason_codes.iter().any(|c| c.code == code)
    }
}

/// Analyses one opened payload. Pure: no clock, no I/O; never panics on
/// any payload content.
pub fn analyse(input: &AnalysisInput) -> DeviceAnalysis {
    let ctx = Ctx::new(input);
    let findings = detect::run(&ctx);
    let device_details = crate::details::build(&ctx, &findings);
    let reason_codes: Vec<ReasonCode> = findings
        .codes
        .iter()
        .filter_map(|(code, evidence)| {
            let info = codes::info(code)?;
            Some(ReasonCode {
                code: info.code.to_owned(),
                category: info.category,
                title: info.title.to_owned(),
                risk_weight: info.risk_weight,
                evidence: evidence.clone(),
            })
        })
        .collect();
    let present = || findings.codes.keys().copied();
    DeviceAnalysis {
        device_details,
        flags: findings.flags.clone(),
        device_risk: score::device_risk(present()),
        identity_correlation: score::identity_correlation(present()),
        reason_codes,
        fingerprint: ctx.fp.clone(),
    }
}
