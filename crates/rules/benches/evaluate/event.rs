//! One realistic payment event: a full request, every module present, a web device with a
//! SEON-sized `device_details`, and a few mild signals so that some rules match.

use serde_json::{Value, json};

pub fn realistic_event() -> Value {
    json!({
        "request": request(),
        "custom": {"loyalty_tier": "gold", "campaign": "summer", "first_order": false},
        "ip": {
            "address": "81.182.10.20", "country": "HU", "city": "Budapest", "isp": "Magyar Telekom",
            "asn": 5483, "type": "residential", "is_datacenter": false, "is_tor": false,
            "is_vpn": true, "is_proxy": false, "spam_listed": false
        },
        "email": {
            "address": "anna.kovacs@gmail.com", "domain": "gmail.com", "disposable": false,
            "free": true, "deliverable": true, "typo_of": "", "domain_age_days": 10_500,
            "breach_count": 2, "registered_accounts": 9
        },
        "phone": {"number": "+36301234567", "valid": true, "type": "mobile", "country": "HU", "carrier": "Telekom", "disposable": false, "registered_accounts": 4},
        "card": {"bin": "535456", "country": "HU", "type": "debit", "prepaid": false, "brand": "mastercard", "bank": "OTP", "level": "classic", "valid": true},
        "aml": {"sanctions_match": false, "pep": false, "watchlist_match": false, "crimelist_match": false, "adverse_media": false, "result_count": 0},
        "device": {
            "id": "d-77", "hash": "h-77", "platform": "web", "flags": ["vpn", "private_mode"],
            "risk": 18, "identity_correlation": 85, "is_new_for_user": true,
            "first_seen": "2024-06-11T09:12:00Z", "last_seen": "2024-06-11T09:12:00Z",
            "details": device_details()
        },
        "velocity": {
            "card_tx_1h": 2, "device_cards_24h": 1, "user_amount_24h": 674.0,
            "ip_users_1h": 1, "device_users_24h": 1
        },
        "lists": {},
        "now": 1_718_097_600
    })
}

fn request() -> Value {
    json!({
        "action_type": "payment", "transaction_id": "tx-20240611-000123",
        "ip": "81.182.10.20", "email": "anna.kovacs@gmail.com", "email_domain": "gmail.com",
        "phone_number": "+36301234567", "user_id": "u-1001", "user_name": "annak",
        "user_fullname": "Anna Kovács", "user_firstname": "Anna", "user_lastname": "Kovács",
        "user_created": 1_699_900_000, "user_country": "HU", "user_city": "Budapest",
        "user_zip": "1051", "user_street": "Nádor utca 7", "user_dob": "1990-04-12",
        "user_category": "retail", "user_account_status": "active", "user_balance": 120.5,
        "session_id": "sess-8f1c", "device_id": "d-77", "payment_mode": "card",
        "payment_provider": "adyen", "card_fullname": "ANNA KOVACS", "card_bin": "535456",
        "card_hash": "f00dcafe", "card_expire": "2027-08", "card_last": "4242",
        "avs_result": "Y", "cvv_result": true, "status_3d": "authenticated",
        "transaction_type": "purchase", "transaction_amount": 649.0,
        "transaction_currency": "EUR", "shipping_country": "HU", "shipping_city": "Budapest",
        "shipping_zip": "1051", "shipping_street": "Nádor utca 7", "shipping_method": "courier",
        "billing_country": "HU", "billing_city": "Budapest", "billing_zip": "1051",
        "billing_street": "Nádor utca 7", "merchant_id": "m-5", "merchant_country": "HU",
        "items": [
            {"item_id": "sku-1", "item_name": "Headphones", "item_price": 599.0, "item_quantity": 1, "item_category": "audio"},
            {"item_id": "sku-2", "item_name": "Cable", "item_price": 25.0, "item_quantity": 2, "item_category": "audio"}
        ]
    })
}

fn device_details() -> Value {
    json!({
        "os": "Windows 10", "vpn": true, "type": "web", "proxy": false,
        "webgl": {"vendor": "Google Inc. (NVIDIA)", "renderer": "ANGLE (NVIDIA GeForce GTX 1660)", "hash": "9a1b2c3d"},
        "dns_ip": "81.182.0.1", "locale": "hu-HU", "source": "js", "adblock": true,
        "battery": {"charging": true, "level": 0.87}, "browser": "Chrome",
        "plugins": {"count": 5, "hash": "5f4dcc3b"}, "private": true, "platform": "Win32",
        "referrer": "https://shop.example/cart", "timezone": "Europe/Budapest",
        "device_ip": "81.182.10.20", "font_hash": "a7c3e1", "font_list": ["Arial", "Calibri", "Cambria", "Consolas", "Segoe UI", "Tahoma", "Verdana"],
        "has_focus": true, "languages": ["hu-HU", "hu", "en-US", "en"], "math_hash": "0b1f",
        "audio_hash": "c0ffee", "dns_ip_isp": "Magyar Telekom", "extensions": [], "font_count": 57,
        "font_noise": false, "session_id": "sess-8f1c", "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
        "webrtc_ips": ["192.168.1.23", "81.182.10.20"], "canvas_hash": "d41d8cd9", "cookie_hash": "e3b0c442",
        "device_hash": "h-77", "device_type": "desktop", "mouse_moved": true,
        "permissions": {"geolocation": "prompt", "notifications": "denied", "camera": "prompt"},
        "price_range": "mid", "screen_data": {"width": 1920, "height": 1080, "depth": 24, "ratio": 1.0},
        "browser_hash": "77aa", "do_not_track": false, "java_enabled": false, "webrtc_count": 2,
        "device_ip_isp": "Magyar Telekom", "device_memory": 8, "dns_ip_region": "Budapest",
        "flash_enabled": false, "media_devices": {"audioinput": 1, "audiooutput": 2, "videoinput": 1},
        "spoofing_hash": "1234", "touch_support": false, "cookie_enabled": true,
        "dns_ip_country": "HU", "mobile_details": [], "browser_version": "125.0",
        "device_location": {"latitude": 47.5, "longitude": 19.05, "accuracy": 1000},
        "drm_key_systems": ["com.widevine.alpha"], "mime_types_hash": "aa11",
        "timezone_offset": "+02:00", "user_agent_data": {"mobile": false, "platform": "Windows", "brands": ["Chromium", "Google Chrome"]},
        "window_location": "https://shop.example/checkout", "device_ip_region": "Budapest",
        "max_touch_points": 0, "suspicious_flags": [], "timezone_country": "HU",
        "webrtc_activated": true, "device_ip_country": "HU", "system_colors_hash": "bb22",
        "browser_version_age": 30, "hardware_concurrency": 8, "keyboard_layout_hash": "cc33",
        "keyboard_layout_name": "hu", "unpopular_user_agent": false, "unpopular_device_resolution": false
    })
}
