//! Identity and linking: expected drift keeps the device, look-alikes of
//! other people stay apart.

use sightline_device::simulate::{Browser, MobileProfile, WebProfile};
use sightline_device::{KnownDevice, LinkConfig, LinkDecision, fingerprint, link, simulate};
use sightline_payload::Platform;

const NOW: i64 = 1_767_225_600_000;
const DAY: i64 = 86_400_000;

/// A desktop with a distinctive set-up (rare GPU driver, extra fonts).
fn desktop(seed: u64) -> WebProfile {
    let mut rng = sightline_device::simulate::rng(seed);
    let mut p = WebProfile::random_desktop(&mut rng, NOW);
    p.os = "Windows";
    p.os_version = "11".into();
    p.browser = Browser::Chrome;
    p.browser_major = 143;
    p.gpu_vendor = "NVIDIA".into();
    p.gpu = "NVIDIA GeForce RTX 3060".into();
    p.fonts.push("Fira Sans");
    p.fonts.push("Source Code Pro");
    p.fpid_source = "both";
    p
}

fn fp(p: &WebProfile, at: i64, seed: u64) -> sightline_device::Fingerprint {
    let mut rng = sightline_device::simulate::rng(seed);
    fingerprint(&p.render(&mut rng, at, "s", None))
}

fn known(p: &WebProfile, id: &str) -> KnownDevice {
    KnownDevice::from_fingerprint(id, &fp(p, NOW, 1), NOW)
}

#[test]
fn same_cookie_is_exact() {
    let p = desktop(1);
    let k = known(&p, "d1");
    let mut later = p.clone();
    later.browser_major += 3;
    let d = link(&fp(&later, NOW + 90 * DAY, 2), NOW + 90 * DAY, &[k], &LinkConfig::default());
    assert_eq!(d, LinkDecision::Exact { device_id: "d1".into(), matched_on: "cookie".into() });
}

#[test]
fn expected_drift_after_clearing_cookies_keeps_the_device() {
    let p = desktop(2);
    let others: Vec<KnownDevice> = (10..30).map(|s| known(&desktop(s), &format!("o{s}"))).collect();
    let mut all = others;
    all.push(known(&p, "me"));
    let mut drifted = p.clone();
    drifted.fpid = "f".repeat(32);
    drifted.fpid_source = "new";
    drifted.browser_major += 1; // browser update
    drifted.window = (1200, 800); // window resize
    drifted.timezone = "America/New_York"; // travelling
    drifted.languages.reverse(); // language order
    let d = link(&fp(&drifted, NOW + 20 * DAY, 3), NOW + 20 * DAY, &all, &LinkConfig::default());
    let LinkDecision::Linked { device_id, confidence, explanation } = d else { panic!("not linked: {d:?}") };
    assert_eq!(device_id, "me");
    assert!(confidence > 0.9);
    let changed: Vec<&str> = explanation.changed.iter().map(|c| c.attr.as_str()).collect();
    assert!(changed.contains(&"ua") && changed.contains(&"timezone"), "{changed:?}");
    assert!(explanation.evidence_bits >= explanation.required_bits);
    assert_eq!((explanation.idle_days, explanation.dormancy_bits), (20.0, 1.0));
}

#[test]
fn a_record_silent_for_months_needs_more_evidence() {
    let p = desktop(2);
    let me = known(&p, "me");
    let mut returning = p.clone();
    returning.fpid = "f".repeat(32);
    returning.fpid_source = "new";
    returning.browser_major += 1;
    let soon = NOW + 10 * DAY;
    assert!(
        link(&fp(&returning, soon, 3), soon, std::slice::from_ref(&me), &LinkConfig::default()).device_id().is_some()
    );
    // Half a year later the same look is likelier another machine's first visit.
    let late = NOW + 200 * DAY;
    assert_eq!(
        link(&fp(&returning, late, 3), late, std::slice::from_ref(&me), &LinkConfig::default()),
        LinkDecision::New
    );
    // Off, idleness costs nothing.
    let off = LinkConfig { dormancy_half_life_days: 0.0, ..LinkConfig::default() };
    assert!(link(&fp(&returning, late, 3), late, std::slice::from_ref(&me), &off).device_id().is_some());
}

#[test]
fn identical_hardware_of_two_people_stays_apart() {
    let alice = desktop(3);
    let mut bob = alice.clone();
    bob.fpid = "b".repeat(32);
    bob.fpid_source = "both";
    bob.timezone = "Europe/Paris";
    bob.languages = vec!["fr-FR".into(), "fr".into()];
    bob.fonts.retain(|f| *f != "Fira Sans");
    let k = known(&alice, "alice");
    assert_eq!(
        link(&fp(&bob, NOW + DAY, 4), NOW + DAY, std::slice::from_ref(&k), &LinkConfig::default()),
        LinkDecision::New
    );
    // Even all-identical attributes do not merge against a persisted id of another browser.
    let mut twin = alice.clone();
    twin.fpid = "c".repeat(32);
    twin.fpid_source = "both";
    assert_eq!(
        link(&fp(&twin, NOW + DAY, 5), NOW + DAY, std::slice::from_ref(&k), &LinkConfig::default()),
        LinkDecision::New
    );
    // Nor do they pull a browser away from its own persisted id.
    let twin_known = KnownDevice::from_fingerprint("twin", &fp(&twin, NOW, 8), NOW);
    assert_eq!(
        link(&fp(&twin, NOW + DAY, 5), NOW + DAY, &[k, twin_known], &LinkConfig::default()),
        LinkDecision::Exact { device_id: "twin".into(), matched_on: "cookie".into() }
    );
}

/// Links `p` as a store would: exact or linked payloads are absorbed into
/// their record, new ones found a record of their own.
fn visit(records: &mut Vec<KnownDevice>, p: &WebProfile, at: i64) -> LinkDecision {
    let f = fp(p, at, at as u64);
    let d = link(&f, at, records, &LinkConfig::default());
    match d.device_id().and_then(|id| records.iter_mut().find(|r| r.device_id == id)) {
        Some(r) => r.absorb(&f, at),
        None => {
            let id = format!("r{}", records.len());
            records.push(KnownDevice::from_fingerprint(id, &f, at));
        }
    }
    d
}

/// A bot that starts every visit from a fresh browser profile brings a new id each time: its
/// record keeps the newest ids only, and a recent one still links exactly.
#[test]
fn a_record_keeps_only_the_newest_persistent_ids() {
    let bot = desktop(9);
    let mut records = vec![known(&bot, "bot")];
    let mut ids = Vec::new();
    for visit_no in 0..200_i64 {
        let mut fresh = bot.clone();
        fresh.fpid = format!("{visit_no:032x}");
        fresh.fpid_source = "new";
        let at = NOW + visit_no * 60_000;
        assert_eq!(visit(&mut records, &fresh, at).device_id(), Some("bot"), "visit {visit_no}");
        ids.push(fresh);
    }
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].cookie_hashes.len(), sightline_device::KEPT_IDS);
    let serialised = serde_json::to_string(&records[0]).unwrap();
    assert!(serialised.len() < 16_000, "the record stays small: {} bytes", serialised.len());
    // The last visit's id, back with its storage intact: an exact match.
    let mut returning = ids[199].clone();
    returning.fpid_source = "both";
    assert_eq!(visit(&mut records, &returning, NOW + 300 * 60_000), cookie("bot"));
}

fn cookie(id: &str) -> LinkDecision {
    LinkDecision::Exact { device_id: id.into(), matched_on: "cookie".into() }
}

/// Alice's laptop on record, and an identical laptop whose first visit (with a fresh id,
/// indistinguishable) merged into her record; the twin's id is persisted from then on.
fn merged_twin(seed: u64) -> (WebProfile, Vec<KnownDevice>, WebProfile) {
    let alice = desktop(seed);
    let mut records = vec![known(&alice, "alice")];
    let mut twin = alice.clone();
    twin.fpid = "b".repeat(32);
    twin.fpid_source = "new";
    assert_eq!(visit(&mut records, &twin, NOW + DAY).device_id(), Some("alice"));
    twin.fpid_source = "both";
    (alice, records, twin)
}

#[test]
fn a_twin_merged_by_its_fingerprint_is_split_off_when_both_stay_alive() {
    let (alice, mut records, twin) = merged_twin(17);
    // Alice's founding id comes back: the twin's id was no replacement …
    assert_eq!(visit(&mut records, &alice, NOW + 2 * DAY), cookie("alice"));
    // … and the twin's comes back too: it was no private window either.
    assert_eq!(visit(&mut records, &twin, NOW + 3 * DAY), LinkDecision::New);
    assert_eq!(visit(&mut records, &twin, NOW + 4 * DAY), cookie("r1"));
    assert_eq!(visit(&mut records, &alice, NOW + 5 * DAY), cookie("alice"));
    assert_eq!(visit(&mut records, &twin, NOW + 6 * DAY), cookie("r1"));
}

#[test]
fn a_merged_twin_on_an_older_browser_is_split_off() {
    let (alice, mut records, twin) = merged_twin(18);
    // Alice clears her storage after an update: no id interleaves with the twin's …
    let mut updated = alice.clone();
    updated.browser_major += 1;
    updated.fpid = "c".repeat(32);
    updated.fpid_source = "new";
    assert_eq!(visit(&mut records, &updated, NOW + 2 * DAY).device_id(), Some("alice"));
    // … but browsers do not downgrade: the record's newer browser was another device's.
    assert_eq!(visit(&mut records, &twin, NOW + 3 * DAY), LinkDecision::New);
}

#[test]
fn one_browser_clearing_storage_and_opening_private_windows_stays_one_device() {
    let mut me = desktop(19);
    let mut records = vec![known(&me, "me")];
    let mut private = me.clone();
    private.fpid = "c".repeat(32);
    private.fpid_source = "new";
    assert_eq!(visit(&mut records, &private, NOW + DAY).device_id(), Some("me"));
    assert_eq!(visit(&mut records, &me, NOW + 2 * DAY), cookie("me"));
    // Cleared storage: a new id that stays.
    me.fpid = "d".repeat(32);
    me.fpid_source = "new";
    assert_eq!(visit(&mut records, &me, NOW + 3 * DAY).device_id(), Some("me"));
    me.fpid_source = "both";
    assert_eq!(visit(&mut records, &me, NOW + 4 * DAY), cookie("me"));
    private.fpid = "e".repeat(32);
    assert_eq!(visit(&mut records, &private, NOW + 5 * DAY).device_id(), Some("me"));
    me.browser_major += 1;
    assert_eq!(visit(&mut records, &me, NOW + 6 * DAY), cookie("me"));
    assert_eq!(records.len(), 1);
}

#[test]
fn common_phones_never_link_without_their_id() {
    let mut rng = sightline_device::simulate::rng(6);
    let mut phone = WebProfile::random_phone(&mut rng, NOW);
    phone.os = "iOS";
    phone.browser = Browser::Safari;
    phone.fpid_source = "both";
    let k = known(&phone, "iphone");
    let mut other = phone.clone();
    other.fpid = "d".repeat(32);
    other.fpid_source = "new";
    assert_eq!(link(&fp(&other, NOW + DAY, 7), NOW + DAY, &[k], &LinkConfig::default()), LinkDecision::New);
}

#[test]
fn another_browser_on_the_same_machine_keeps_the_hardware_hash() {
    let chrome = desktop(8);
    let mut firefox = chrome.clone();
    firefox.browser = Browser::Firefox;
    firefox.browser_major = 146;
    firefox.fpid = "e".repeat(32);
    firefox.fpid_source = "new";
    let a = fp(&chrome, NOW, 9);
    let b = fp(&firefox, NOW, 10);
    assert_eq!(a.device_hash, b.device_hash);
    assert_ne!(a.browser_hash, b.browser_hash);
    assert_eq!(link(&b, NOW, &[known(&chrome, "chrome")], &LinkConfig::default()), LinkDecision::New);
}

#[test]
fn app_reinstall_links_by_android_id() {
    let mut rng = sightline_device::simulate::rng(11);
    let phone = MobileProfile::random(&mut rng, Platform::Android, NOW);
    let first = fingerprint(&phone.render(&mut rng, NOW, "s", None));
    let mut reinstalled = phone.clone();
    reinstalled.app_guid = "new-install".into();
    reinstalled.app_guid_source = "new";
    let second = fingerprint(&reinstalled.render(&mut rng, NOW + DAY, "s", None));
    let k = KnownDevice::from_fingerprint("a1", &first, NOW);
    assert_eq!(
        link(&second, NOW + DAY, &[k], &LinkConfig::default()),
        LinkDecision::Exact { device_id: "a1".into(), matched_on: "id".into() }
    );
}

#[test]
fn a_single_drift_keeps_a_retrieval_key() {
    let p = desktop(12);
    let base = fp(&p, NOW, 13).candidate_keys();
    type Drift = fn(&mut WebProfile);
    let drifts: [Drift; 5] = [
        |p| p.screen = (2560, 1440),
        |p| p.timezone = "Asia/Tokyo",
        |p| p.render_epoch += 1,
        |p| p.fonts.push("Ubuntu"),
        |p| p.browser_major += 1,
    ];
    for (i, drift) in drifts.iter().enumerate() {
        let mut q = p.clone();
        q.fpid = "9".repeat(32);
        drift(&mut q);
        let keys = fp(&q, NOW, 14).candidate_keys();
        assert!(keys.iter().any(|k| !k.starts_with("id:") && base.contains(k)), "drift {i} lost every key");
    }
}

#[test]
fn simulated_update_links_exactly_by_cookie() {
    let sims = simulate::simulate(Platform::Web, simulate::Scenario::BrowserUpdate, 3, NOW).unwrap_or_default();
    let a = fingerprint(&sims[0].payload);
    let b = fingerprint(&sims[1].payload);
    let d = link(&b, NOW, &[KnownDevice::from_fingerprint("x", &a, NOW)], &LinkConfig::default());
    assert!(matches!(d, LinkDecision::Exact { .. }), "{d:?}");
}
