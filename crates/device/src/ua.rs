//! A deliberately small User-Agent reader: browser family and version, OS
//! family and version, device class, engine. It only needs to be right for
//! the browsers that matter for fraud decisions; anything else is "Other",
//! which simply weakens the checks that depend on it.

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserAgent {
    /// "Chrome", "Edge", "Firefox", "Safari", "Opera", "Samsung Internet",
    /// "Headless Chrome", "Other".
    pub browser: &'static str,
    pub browser_version: Option<String>,
    pub browser_major: Option<u32>,
    /// "Windows", "macOS", "iOS", "Android", "Linux", "Chrome OS", "Other".
    pub os: &'static str,
    pub os_version: Option<String>,
    /// "desktop", "mobile", "tablet".
    pub device_type: &'static str,
    /// "Blink", "WebKit", "Gecko", "Other": what the browser must be if the
    /// UA is honest (every iOS browser is WebKit).
    pub engine: &'static str,
    pub headless: bool,
}

pub fn parse(ua: &str) -> UserAgent {
    let (os, os_version) = os_of(ua);
    let (browser, browser_version) = browser_of(ua);
    let browser_major = browser_version.as_deref().and_then(|v| v.split('.').next()).and_then(|m| m.parse().ok());
    let device_type = if ua.contains("iPad") || (os == "Android" && !ua.contains("Mobile")) {
        "tablet"
    } else if ua.contains("Mobile") || ua.contains("iPhone") || ua.contains("iPod") {
        "mobile"
    } else {
        "desktop"
    };
    let engine = if os == "iOS" {
        "WebKit"
    } else {
        match browser {
            "Firefox" => "Gecko",
            "Safari" => "WebKit",
            "Chrome" | "Edge" | "Opera" | "Samsung Internet" | "Headless Chrome" => "Blink",
            _ => "Other",
        }
    };
    UserAgent {
        browser,
        browser_version,
        browser_major,
        os,
        os_version,
        device_type,
        engine,
        headless: ua.contains("HeadlessChrome") || ua.contains("PhantomJS") || ua.contains("SlimerJS"),
    }
}

fn token_version(ua: &str, token: &str) -> Option<String> {
    let start = ua.find(token)? + token.len();
    let v: String = ua[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    (!v.is_empty()).then_some(v)
}

fn browser_of(ua: &str) -> (&'static str, Option<String>) {
    // Order matters: Edge, Opera and Samsung also say "Chrome/", and every
    // Chromium says "Safari/".
    const ORDERED: [(&str, &str); 11] = [
        ("HeadlessChrome/", "Headless Chrome"),
        ("Edg/", "Edge"),
        ("EdgA/", "Edge"),
        ("EdgiOS/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ];
    for (token, name) in ORDERED {
        if ua.contains(token) {
            if name == "Safari" && !ua.contains("Safari/") {
                continue;
            }
            return (name, token_version(ua, token));
        }
    }
    ("Other", None)
}

fn os_of(ua: &str) -> (&'static str, Option<String>) {
    if ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod") {
        let v = token_version_underscored(ua, "OS ");
        return ("iOS", v);
    }
    if ua.contains("Android") {
        return ("Android", token_version(ua, "Android "));
    }
    if ua.contains("Windows") {
        let nt = token_version(ua, "Windows NT ");
        let v = match nt.as_deref() {
            Some("10.0") => Some("10".to_owned()),
            Some("6.3") => Some("8.1".to_owned()),
            Some("6.2") => Some("8".to_owned()),
            Some("6.1") => Some("7".to_owned()),
            other => other.map(str::to_owned),
        };
        return ("Windows", v);
    }
    if ua.contains("CrOS") {
        return ("Chrome OS", None);
    }
    if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        return ("macOS", token_version_underscored(ua, "Mac OS X "));
    }
    if ua.contains("Linux") || ua.contains("X11") {
        return ("Linux", None);
    }
    ("Other", None)
}

/// Apple writes versions as `17_2_1`.
fn token_version_underscored(ua: &str, token: &str) -> Option<String> {
    let start = ua.find(token)? + token.len();
    let v: String = ua[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '_' || *c == '.')
        .map(|c| if c == '_' { '.' } else { c })
        .collect();
    (!v.is_empty()).then_some(v)
}

/// Whether the navigator.platform string is one this OS family produces.
pub fn platform_matches_os(platform: &str, os: &str) -> Option<bool> {
    let p = platform.to_ascii_lowercase();
    if p.is_empty() {
        return None;
    }
    Some(match os {
        "Windows" => p.starts_with("win"),
        // iPadOS in desktop mode reports MacIntel, so macOS platforms are
        // accepted for iOS and vice versa.
        "macOS" => p.starts_with("mac") || p == "ipad",
        "iOS" => p.starts_with("iphone") || p.starts_with("ipad") || p.starts_with("ipod") || p.starts_with("mac"),
        "Android" => p.contains("linux") || p.contains("android") || p.starts_with("arm"),
        "Linux" | "Chrome OS" => p.contains("linux") || p.contains("x11") || p.contains("cros"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_browsers() {
        let chrome = parse(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        );
        assert_eq!(
            (chrome.browser, chrome.browser_major, chrome.os, chrome.device_type),
            ("Chrome", Some(120), "Windows", "desktop")
        );
        assert_eq!(chrome.os_version.as_deref(), Some("10"));
        let safari = parse(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
        );
        assert_eq!(
            (safari.browser, safari.os, safari.device_type, safari.engine),
            ("Safari", "iOS", "mobile", "WebKit")
        );
        assert_eq!(safari.os_version.as_deref(), Some("17.2.1"));
        let edge = parse(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 Edg/121.0.2277.83",
        );
        assert_eq!((edge.browser, edge.browser_major, edge.os), ("Edge", Some(121), "macOS"));
        let ff = parse("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0");
        assert_eq!((ff.browser, ff.engine, ff.os), ("Firefox", "Gecko", "Linux"));
        let android = parse(
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
        );
        assert_eq!((android.os, android.device_type), ("Android", "mobile"));
        let headless = parse(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/119.0.0.0 Safari/537.36",
        );
        assert!(headless.headless);
        assert_eq!(parse("curl/8").browser, "Other");
    }

    #[test]
    fn platform_consistency() {
        assert_eq!(platform_matches_os("Win32", "Windows"), Some(true));
        assert_eq!(platform_matches_os("MacIntel", "Windows"), Some(false));
        assert_eq!(platform_matches_os("MacIntel", "iOS"), Some(true));
        assert_eq!(platform_matches_os("", "iOS"), None);
    }
}
