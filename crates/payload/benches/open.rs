//! Cost of opening one realistic (~4 KB) sealed payload: the per-request
//! crypto + JSON work the server pays.

use criterion::{Criterion, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::json;
use sightline_payload::{AgentKeyPair, DevicePayload, KeyRing, OpenPolicy, Platform, open, seal};

const NOW_MS: i64 = 1_700_000_000_000;

fn realistic_payload(rng: &mut StdRng) -> DevicePayload {
    let mut payload = DevicePayload::new(rng, Platform::Web, "1.4.2", "sess_bench:0001", NOW_MS - 1500)
        .with_signal(
            "user_agent",
            json!("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"),
            0.1,
            None,
        )
        .with_signal("screen", json!({"width": 2560, "height": 1440, "avail_width": 2560, "avail_height": 1415, "color_depth": 30, "pixel_ratio": 2}), 0.2, None)
        .with_signal("timezone", json!({"name": "Europe/Berlin", "offset": -60}), 0.3, None)
        .with_signal("languages", json!(["de-DE", "de", "en-US", "en"]), 0.05, None)
        .with_signal("canvas", json!({"hash": "a3f9c2e1b04d77e8f1aa09c3d5e6b7c8", "winding": true}), 12.7, None)
        .with_signal("webgl", json!({"vendor": "Google Inc. (Apple)", "renderer": "ANGLE (Apple, ANGLE Metal Renderer: Apple M2 Pro, Unspecified Version)", "extensions": ["ANGLE_instanced_arrays", "EXT_blend_minmax", "EXT_color_buffer_half_float", "EXT_float_blend", "EXT_frag_depth", "EXT_shader_texture_lod", "EXT_texture_compression_bptc", "EXT_texture_filter_anisotropic", "OES_element_index_uint", "OES_standard_derivatives", "OES_texture_float", "OES_vertex_array_object", "WEBGL_color_buffer_float", "WEBGL_compressed_texture_s3tc", "WEBGL_debug_renderer_info", "WEBGL_depth_texture", "WEBGL_draw_buffers", "WEBGL_lose_context", "WEBGL_multi_draw"]}), 25.3, None)
        .with_signal("audio", json!({"sum": 124.04347527516074}), 31.9, None)
        .with_signal("fonts", json!(["Arial", "Arial Black", "Courier New", "Georgia", "Helvetica Neue", "Menlo", "Monaco", "Palatino", "Times New Roman", "Trebuchet MS", "Verdana"]), 48.2, None)
        .with_signal("hardware", json!({"cores": 12, "memory": 8, "touch_points": 0}), 0.1, None)
        .with_signal("battery", serde_json::Value::Null, 0.4, Some("NotAllowedError"))
        .with_signal("plugins", json!(["PDF Viewer", "Chrome PDF Viewer", "Chromium PDF Viewer", "Microsoft Edge PDF Viewer", "WebKit built-in PDF"]), 0.2, None)
        .with_context(json!({"url": "https://shop.example.com/checkout/payment?step=2", "referrer": "https://shop.example.com/cart", "event": "checkout"}));
    let moves: Vec<_> = (0..140).map(|i| json!([i * 16, 300 + i % 7, 200 - i % 5])).collect();
    payload = payload.with_behavior(json!({"mouse_moves": moves, "keystrokes": 14, "paste_events": 0, "focus_changes": 2, "time_on_page_ms": 48213}));
    payload
}

fn bench_open(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1);
    let key = AgentKeyPair::generate(7, &mut rng);
    let payload = realistic_payload(&mut rng);
    let plaintext = payload.to_json_bytes();
    let params = key.seal_params(Platform::Web, "1.4.2", "sess_bench:0001");
    let Ok(device_data) = seal(&params, &plaintext, &mut rng) else {
        panic!("sealing the bench payload failed");
    };
    println!("plaintext {} bytes, device_data {} bytes", plaintext.len(), device_data.len());
    let ring: KeyRing = [key].into_iter().collect();
    let policy = OpenPolicy::new(NOW_MS);

    c.bench_function("open_4kb", |b| b.iter(|| open(&ring, std::hint::black_box(&device_data), &policy)));
}

criterion_group!(benches, bench_open);
criterion_main!(benches);
