//! Virtual machines and emulators seen from a browser: the GPU string is
//! the one thing a VM rarely hides.

use super::{Ctx, Findings};

const VM_GPUS: [&str; 9] =
    ["vmware", "virtualbox", "svga3d", "parallels", "hyper-v", "qemu", "virgl", "virtio", "red hat"];
const SOFTWARE_GPUS: [&str; 5] = ["swiftshader", "llvmpipe", "softpipe", "basic render", "mesa offscreen"];
const ANDROID_EMULATOR_MODELS: [&str; 5] =
    ["sdk_gphone", "android sdk built for", "emulator", "google_sdk", "genymotion"];

pub(super) fn detect(ctx: &Ctx, f: &mut Findings) {
    if !ctx.web() {
        return;
    }
    let renderer = ctx.s.str("webgl", "unmasked_renderer").or_else(|| ctx.s.str("webgl", "renderer"));
    let r = renderer.unwrap_or("").to_ascii_lowercase();
    if let Some(vm) = VM_GPUS.iter().find(|v| r.contains(*v)) {
        f.raise("virtual_machine", "R412", format!("renderer names {vm}: {}", renderer.unwrap_or("")));
    }
    let raw_ua = ctx.s.scalar_str("user_agent").unwrap_or("").to_ascii_lowercase();
    let model = ctx.s.str("client_hints", "model").unwrap_or("").to_ascii_lowercase();
    if ctx.ua.as_ref().is_some_and(|u| u.os == "Android") {
        if let Some(m) = ANDROID_EMULATOR_MODELS.iter().find(|m| raw_ua.contains(*m) || model.contains(*m)) {
            f.raise("emulator", "R413", format!("Android model string contains \"{m}\""));
        } else if r.contains("android emulator") || (r.contains("swiftshader") && raw_ua.contains("android")) {
            f.raise("emulator", "R413", format!("Android with emulator GPU {}", renderer.unwrap_or("")));
        }
    }
    if !r.is_empty() && !VM_GPUS.iter().chain(SOFTWARE_GPUS.iter()).any(|v| r.contains(v)) && !f.has_flag("emulator") {
        f.note("I421", format!("renderer: {}", renderer.unwrap_or("")));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sightline_payload::Platform;

    use crate::detect::testing::{CHROME_WIN, findings, payload};
    use crate::input::AnalysisInput;

    #[test]
    fn vm_gpu() {
        let p = payload(
            Platform::Web,
            json!({"user_agent": CHROME_WIN, "webgl": {"unmasked_renderer": "ANGLE (VMware, Inc., VMware SVGA 3D (0x00000405) Direct3D11 vs_5_0 ps_5_0, D3D11)"}}),
        );
        let f = findings(&AnalysisInput::new(&p, p.collected_at));
        assert!(f.has_flag("virtual_machine") && !f.has_code("I421"));
        let p = payload(
            Platform::Web,
            json!({"user_agent": CHROME_WIN, "webgl": {"unmasked_renderer": "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)"}}),
        );
        let f = findings(&AnalysisInput::new(&p, p.collected_at));
        assert!(!f.has_flag("virtual_machine") && f.has_code("I421"));
    }

    #[test]
    fn android_emulator_in_browser() {
        let ua = "Mozilla/5.0 (Linux; Android 14; sdk_gphone64_x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
        let p = payload(Platform::Web, json!({"user_agent": ua}));
        assert!(findings(&AnalysisInput::new(&p, p.collected_at)).has_flag("emulator"));
        let ua = "Mozilla/5.0 (Linux; Android 14; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
        let p = payload(Platform::Web, json!({"user_agent": ua, "client_hints": {"model": "SM-S911B"}}));
        assert!(!findings(&AnalysisInput::new(&p, p.collected_at)).has_flag("emulator"));
    }
}
