//! Static geography: country reference points, IANA time zones and the
//! languages expected in each country. Used to compare what the device says
//! (time zone, languages, GPS) with where its IP address is.
//!
//! Reference points are rough population centres, not geometric centroids:
//! they only feed the impossible-travel check, where a few hundred km of
//! error does not matter next to a 1000 km/h threshold.

/// One IANA zone: its country (`None` for UTC aliases) and its standard and
/// daylight offsets in minutes east of UTC (equal when the zone has no DST).
#[derive(Debug, Clone, Copy)]
pub struct Zone {
    pub name: &'static str,
    pub country: Option<&'static str>,
    pub std_offset: i32,
    pub dst_offset: i32,
}

#[derive(Debug, Clone, Copy)]
pub struct Country {
    pub code: &'static str,
    pub lat: f64,
    pub lon: f64,
    /// Primary language subtags expected there (English is accepted
    /// everywhere by the callers, so it is listed only where it is native).
    pub languages: &'static [&'static str],
}

macro_rules! zones {
    ($( $name:literal $cc:tt $std:literal $dst:literal ;)*) => {
        &[ $( Zone { name: $name, country: zones!(@cc $cc), std_offset: $std, dst_offset: $dst } ),* ]
    };
    (@cc None) => { None };
    (@cc $cc:literal) => { Some($cc) };
}

pub static ZONES: &[Zone] = zones! {
    "UTC" None 0 0; "Etc/UTC" None 0 0; "Etc/GMT" None 0 0; "GMT" None 0 0; "Etc/Universal" None 0 0;
    "Europe/London" "GB" 0 60; "Europe/Dublin" "IE" 0 60; "Europe/Lisbon" "PT" 0 60; "Atlantic/Madeira" "PT" 0 60;
    "Atlantic/Azores" "PT" -60 0; "Atlantic/Canary" "ES" 0 60; "Atlantic/Reykjavik" "IS" 0 0;
    "Europe/Berlin" "DE" 60 120; "Europe/Busingen" "DE" 60 120; "Europe/Paris" "FR" 60 120; "Europe/Madrid" "ES" 60 120;
    "Africa/Ceuta" "ES" 60 120; "Europe/Rome" "IT" 60 120; "Europe/Amsterdam" "NL" 60 120; "Europe/Brussels" "BE" 60 120;
    "Europe/Luxembourg" "LU" 60 120; "Europe/Vienna" "AT" 60 120; "Europe/Zurich" "CH" 60 120; "Europe/Stockholm" "SE" 60 120;
    "Europe/Oslo" "NO" 60 120; "Europe/Copenhagen" "DK" 60 120; "Europe/Warsaw" "PL" 60 120; "Europe/Prague" "CZ" 60 120;
    "Europe/Bratislava" "SK" 60 120; "Europe/Budapest" "HU" 60 120; "Europe/Ljubljana" "SI" 60 120; "Europe/Zagreb" "HR" 60 120;
    "Europe/Belgrade" "RS" 60 120; "Europe/Sarajevo" "BA" 60 120; "Europe/Skopje" "MK" 60 120; "Europe/Podgorica" "ME" 60 120;
    "Europe/Tirane" "AL" 60 120; "Europe/Malta" "MT" 60 120; "Europe/Monaco" "MC" 60 120; "Europe/Andorra" "AD" 60 120;
    "Europe/Vaduz" "LI" 60 120; "Europe/San_Marino" "SM" 60 120; "Europe/Vatican" "VA" 60 120; "Europe/Gibraltar" "GI" 60 120;
    "Europe/Athens" "GR" 120 180; "Europe/Bucharest" "RO" 120 180; "Europe/Sofia" "BG" 120 180; "Europe/Helsinki" "FI" 120 180;
    "Europe/Mariehamn" "AX" 120 180; "Europe/Tallinn" "EE" 120 180; "Europe/Riga" "LV" 120 180; "Europe/Vilnius" "LT" 120 180;
    "Europe/Kiev" "UA" 120 180; "Europe/Kyiv" "UA" 120 180; "Europe/Chisinau" "MD" 120 180; "Asia/Nicosia" "CY" 120 180;
    "Europe/Nicosia" "CY" 120 180; "Asia/Beirut" "LB" 120 180; "Asia/Jerusalem" "IL" 120 180; "Asia/Tel_Aviv" "IL" 120 180;
    "Europe/Istanbul" "TR" 180 180; "Europe/Moscow" "RU" 180 180; "Europe/Minsk" "BY" 180 180; "Europe/Kaliningrad" "RU" 120 120;
    "Europe/Samara" "RU" 240 240; "Asia/Yekaterinburg" "RU" 300 300; "Asia/Novosibirsk" "RU" 420 420; "Asia/Krasnoyarsk" "RU" 420 420;
    "Asia/Irkutsk" "RU" 480 480; "Asia/Vladivostok" "RU" 600 600;
    "Africa/Cairo" "EG" 120 180; "Africa/Johannesburg" "ZA" 120 120; "Africa/Lagos" "NG" 60 60; "Africa/Nairobi" "KE" 180 180;
    "Africa/Casablanca" "MA" 0 60; "Africa/Algiers" "DZ" 60 60; "Africa/Tunis" "TN" 60 60; "Africa/Accra" "GH" 0 0;
    "Africa/Abidjan" "CI" 0 0; "Africa/Dakar" "SN" 0 0; "Africa/Addis_Ababa" "ET" 180 180; "Africa/Kampala" "UG" 180 180;
    "Africa/Dar_es_Salaam" "TZ" 180 180; "Africa/Kinshasa" "CD" 60 60; "Africa/Luanda" "AO" 60 60; "Africa/Harare" "ZW" 120 120;
    "Africa/Lusaka" "ZM" 120 120; "Africa/Maputo" "MZ" 120 120; "Africa/Tripoli" "LY" 120 120; "Africa/Khartoum" "SD" 120 120;
    "Asia/Dubai" "AE" 240 240; "Asia/Muscat" "OM" 240 240; "Asia/Qatar" "QA" 180 180; "Asia/Riyadh" "SA" 180 180;
    "Asia/Kuwait" "KW" 180 180; "Asia/Bahrain" "BH" 180 180; "Asia/Baghdad" "IQ" 180 180; "Asia/Tehran" "IR" 210 210;
    "Asia/Amman" "JO" 180 180; "Asia/Damascus" "SY" 180 180; "Asia/Karachi" "PK" 300 300; "Asia/Kolkata" "IN" 330 330;
    "Asia/Calcutta" "IN" 330 330; "Asia/Kathmandu" "NP" 345 345; "Asia/Dhaka" "BD" 360 360; "Asia/Colombo" "LK" 330 330;
    "Asia/Yangon" "MM" 390 390; "Asia/Bangkok" "TH" 420 420; "Asia/Ho_Chi_Minh" "VN" 420 420; "Asia/Saigon" "VN" 420 420;
    "Asia/Jakarta" "ID" 420 420; "Asia/Makassar" "ID" 480 480; "Asia/Jayapura" "ID" 540 540; "Asia/Kuala_Lumpur" "MY" 480 480;
    "Asia/Singapore" "SG" 480 480; "Asia/Manila" "PH" 480 480; "Asia/Shanghai" "CN" 480 480; "Asia/Hong_Kong" "HK" 480 480;
    "Asia/Macau" "MO" 480 480; "Asia/Taipei" "TW" 480 480; "Asia/Seoul" "KR" 540 540; "Asia/Tokyo" "JP" 540 540;
    "Asia/Almaty" "KZ" 300 300; "Asia/Tashkent" "UZ" 300 300; "Asia/Baku" "AZ" 240 240; "Asia/Tbilisi" "GE" 240 240;
    "Asia/Yerevan" "AM" 240 240; "Asia/Kabul" "AF" 270 270; "Asia/Ulaanbaatar" "MN" 480 480;
    "Australia/Sydney" "AU" 600 660; "Australia/Melbourne" "AU" 600 660; "Australia/Brisbane" "AU" 600 600;
    "Australia/Adelaide" "AU" 570 630; "Australia/Perth" "AU" 480 480; "Australia/Darwin" "AU" 570 570;
    "Australia/Hobart" "AU" 600 660; "Pacific/Auckland" "NZ" 720 780; "Pacific/Fiji" "FJ" 720 720; "Pacific/Guam" "GU" 600 600;
    "Pacific/Honolulu" "US" -600 -600;
    "America/New_York" "US" -300 -240; "America/Detroit" "US" -300 -240; "America/Indiana/Indianapolis" "US" -300 -240;
    "America/Kentucky/Louisville" "US" -300 -240; "America/Chicago" "US" -360 -300; "America/Denver" "US" -420 -360;
    "America/Boise" "US" -420 -360; "America/Phoenix" "US" -420 -420; "America/Los_Angeles" "US" -480 -420;
    "America/Anchorage" "US" -540 -480; "America/Toronto" "CA" -300 -240; "America/Montreal" "CA" -300 -240;
    "America/Vancouver" "CA" -480 -420; "America/Edmonton" "CA" -420 -360; "America/Winnipeg" "CA" -360 -300;
    "America/Halifax" "CA" -240 -180; "America/St_Johns" "CA" -210 -150; "America/Regina" "CA" -360 -360;
    "America/Mexico_City" "MX" -360 -360; "America/Monterrey" "MX" -360 -360; "America/Cancun" "MX" -300 -300;
    "America/Tijuana" "MX" -480 -420; "America/Bogota" "CO" -300 -300; "America/Lima" "PE" -300 -300;
    "America/Guayaquil" "EC" -300 -300; "America/Caracas" "VE" -240 -240; "America/Santiago" "CL" -240 -180;
    "America/Argentina/Buenos_Aires" "AR" -180 -180; "America/Buenos_Aires" "AR" -180 -180; "America/Sao_Paulo" "BR" -180 -180;
    "America/Manaus" "BR" -240 -240; "America/Fortaleza" "BR" -180 -180; "America/Recife" "BR" -180 -180;
    "America/Bahia" "BR" -180 -180; "America/Montevideo" "UY" -180 -180; "America/Asuncion" "PY" -240 -180;
    "America/La_Paz" "BO" -240 -240; "America/Panama" "PA" -300 -300; "America/Costa_Rica" "CR" -360 -360;
    "America/Guatemala" "GT" -360 -360; "America/El_Salvador" "SV" -360 -360; "America/Tegucigalpa" "HN" -360 -360;
    "America/Managua" "NI" -360 -360; "America/Havana" "CU" -300 -240; "America/Santo_Domingo" "DO" -240 -240;
    "America/Puerto_Rico" "PR" -240 -240; "America/Jamaica" "JM" -300 -300;
};

macro_rules! countries {
    ($( $cc:literal $lat:literal $lon:literal [$($lang:literal),*] ;)*) => {
        &[ $( Country { code: $cc, lat: $lat, lon: $lon, languages: &[$($lang),*] } ),* ]
    };
}

pub static COUNTRIES: &[Country] = countries! {
    "DE" 51.0 10.0 ["de"]; "AT" 47.8 14.5 ["de"]; "CH" 47.0 8.2 ["de", "fr", "it", "rm"]; "FR" 47.0 2.5 ["fr"];
    "BE" 50.7 4.6 ["nl", "fr", "de"]; "NL" 52.2 5.3 ["nl"]; "LU" 49.7 6.1 ["lb", "fr", "de"];
    "ES" 40.3 -3.7 ["es", "ca", "eu", "gl"]; "PT" 39.6 -8.4 ["pt"]; "IT" 42.8 12.6 ["it"]; "GB" 52.6 -1.5 ["en", "cy", "gd"];
    "IE" 53.3 -7.7 ["en", "ga"]; "IS" 64.1 -21.9 ["is"]; "US" 38.0 -96.0 ["en", "es"]; "CA" 45.5 -78.0 ["en", "fr"];
    "MX" 20.5 -100.0 ["es"]; "BR" -19.0 -46.0 ["pt"]; "AR" -34.6 -61.0 ["es"]; "CL" -33.5 -70.7 ["es"];
    "CO" 5.0 -74.3 ["es"]; "PE" -10.0 -76.0 ["es"]; "VE" 9.0 -66.5 ["es"]; "EC" -1.5 -78.5 ["es"]; "UY" -34.5 -56.0 ["es"];
    "PY" -25.3 -57.6 ["es", "gn"]; "BO" -16.5 -66.0 ["es"]; "CR" 9.9 -84.1 ["es"]; "PA" 9.0 -79.5 ["es"];
    "GT" 14.6 -90.5 ["es"]; "SV" 13.7 -89.2 ["es"]; "HN" 14.5 -87.0 ["es"]; "NI" 12.5 -85.5 ["es"]; "CU" 22.0 -79.5 ["es"];
    "DO" 18.7 -70.2 ["es"]; "PR" 18.2 -66.5 ["es", "en"]; "JM" 18.1 -77.3 ["en"];
    "PL" 52.0 19.5 ["pl"]; "CZ" 49.8 15.5 ["cs"]; "SK" 48.7 19.5 ["sk"]; "HU" 47.2 19.4 ["hu"]; "RO" 45.5 25.0 ["ro"];
    "BG" 42.7 25.3 ["bg"]; "GR" 38.5 23.0 ["el"]; "CY" 35.1 33.2 ["el", "tr"]; "HR" 45.3 16.0 ["hr"]; "SI" 46.1 14.8 ["sl"];
    "RS" 44.2 20.8 ["sr"]; "BA" 44.0 17.8 ["bs", "hr", "sr"]; "ME" 42.7 19.3 ["sr", "cnr"]; "MK" 41.6 21.7 ["mk", "sq"];
    "AL" 41.2 20.0 ["sq"]; "MT" 35.9 14.4 ["mt", "en"]; "MC" 43.7 7.4 ["fr"]; "AD" 42.5 1.5 ["ca", "es"]; "LI" 47.1 9.5 ["de"];
    "SM" 43.9 12.4 ["it"]; "VA" 41.9 12.5 ["it"]; "GI" 36.1 -5.3 ["en", "es"]; "AX" 60.1 19.9 ["sv"];
    "SE" 59.5 16.0 ["sv"]; "NO" 60.5 9.5 ["nb", "nn", "no"]; "DK" 56.0 10.0 ["da"]; "FI" 61.5 25.0 ["fi", "sv"];
    "EE" 58.7 25.0 ["et", "ru"]; "LV" 56.9 24.6 ["lv", "ru"]; "LT" 55.2 24.0 ["lt", "ru"]; "UA" 49.0 31.5 ["uk", "ru"];
    "BY" 53.7 27.9 ["be", "ru"]; "MD" 47.2 28.5 ["ro", "ru"]; "RU" 55.7 40.0 ["ru"]; "TR" 39.5 32.0 ["tr"];
    "IL" 31.8 34.9 ["he", "ar"]; "LB" 33.9 35.7 ["ar", "fr"]; "JO" 31.9 36.0 ["ar"]; "SY" 34.8 38.0 ["ar"];
    "IQ" 33.3 44.0 ["ar", "ku"]; "SA" 24.0 45.0 ["ar"]; "AE" 24.8 55.0 ["ar"]; "QA" 25.3 51.3 ["ar"]; "KW" 29.3 47.8 ["ar"];
    "BH" 26.1 50.6 ["ar"]; "OM" 23.0 57.5 ["ar"]; "EG" 29.5 31.2 ["ar"]; "MA" 33.0 -6.8 ["ar", "fr", "zgh"];
    "DZ" 35.5 3.5 ["ar", "fr"]; "TN" 36.0 10.0 ["ar", "fr"]; "LY" 32.0 14.0 ["ar"]; "SD" 15.5 32.5 ["ar"];
    "NG" 8.0 6.0 ["en", "ha", "yo", "ig"]; "GH" 6.5 -1.0 ["en"]; "KE" -0.8 37.0 ["en", "sw"]; "TZ" -6.5 36.5 ["sw", "en"];
    "UG" 0.8 32.5 ["en", "sw"]; "ET" 9.0 38.7 ["am"]; "ZA" -27.0 27.0 ["en", "af", "zu", "xh"]; "ZW" -18.5 30.5 ["en"];
    "ZM" -14.0 28.0 ["en"]; "MZ" -20.0 34.0 ["pt"]; "AO" -10.0 14.5 ["pt"]; "CD" -4.3 20.0 ["fr"]; "CI" 6.8 -5.3 ["fr"];
    "SN" 14.7 -16.0 ["fr"]; "IR" 34.0 51.5 ["fa"]; "PK" 30.0 71.0 ["ur", "en"];
    "IN" 22.0 78.0 ["hi", "en", "bn", "te", "mr", "ta", "gu", "kn", "ml", "pa"]; "BD" 23.7 90.3 ["bn"];
    "LK" 7.5 80.7 ["si", "ta"]; "NP" 27.7 85.3 ["ne"]; "AF" 34.5 69.2 ["ps", "fa"]; "CN" 31.0 113.0 ["zh"];
    "HK" 22.3 114.2 ["zh", "en"]; "MO" 22.2 113.5 ["zh", "pt"]; "TW" 24.0 121.0 ["zh"]; "JP" 35.5 137.0 ["ja"];
    "KR" 36.8 127.5 ["ko"]; "MN" 47.9 106.9 ["mn"]; "TH" 14.5 100.8 ["th"]; "VN" 16.0 106.5 ["vi"]; "ID" -6.5 108.0 ["id"];
    "MY" 3.5 102.0 ["ms", "en", "zh"]; "SG" 1.35 103.8 ["en", "zh", "ms", "ta"]; "PH" 13.0 122.0 ["fil", "tl", "en"];
    "MM" 19.0 96.0 ["my"]; "KZ" 48.0 68.0 ["kk", "ru"]; "UZ" 41.0 66.0 ["uz", "ru"]; "AZ" 40.4 49.0 ["az"];
    "GE" 42.0 43.5 ["ka"]; "AM" 40.2 44.5 ["hy"]; "AU" -33.0 147.0 ["en"]; "NZ" -39.0 175.0 ["en", "mi"];
    "FJ" -17.8 178.0 ["en", "fj"]; "GU" 13.4 144.8 ["en"];
};

pub fn zone(name: &str) -> Option<&'static Zone> {
    ZONES.iter().find(|z| z.name.eq_ignore_ascii_case(name))
}

pub fn country(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

/// The country of a time zone, when the zone is tied to one.
pub fn zone_country(name: &str) -> Option<&'static str> {
    zone(name)?.country
}

/// Whether any zone of the country can show this offset at some time of
/// year; `None` when the country has no zone in the table.
pub fn country_has_offset(code: &str, offset: i32, tolerance: i32) -> Option<bool> {
    let mut known = false;
    for z in ZONES.iter().filter(|z| z.country.is_some_and(|c| c.eq_ignore_ascii_case(code))) {
        known = true;
        if (z.std_offset - offset).abs() <= tolerance || (z.dst_offset - offset).abs() <= tolerance {
            return Some(true);
        }
    }
    known.then_some(false)
}

/// Great-circle distance in km.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const R: f64 = 6371.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * a.sqrt().atan2((1.0 - a).max(0.0).sqrt())
}

/// Primary subtag of a BCP 47 tag, lowercased: "de-AT" → "de".
pub fn primary_language(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// "+01:00" style rendering of minutes east of UTC.
pub fn format_offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_consistent() {
        for z in ZONES {
            if let Some(cc) = z.country {
                assert!(country(cc).is_some(), "zone {} names unknown country {cc}", z.name);
            }
        }
        let mut codes: Vec<_> = COUNTRIES.iter().map(|c| c.code).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(n, codes.len(), "duplicate country");
    }

    #[test]
    fn lookups() {
        assert_eq!(zone_country("Europe/Berlin"), Some("DE"));
        assert_eq!(zone_country("UTC"), None);
        assert_eq!(country_has_offset("US", -300, 0), Some(true));
        assert_eq!(country_has_offset("DE", -300, 30), Some(false));
        assert_eq!(country_has_offset("XX", 0, 0), None);
        let d = haversine_km(52.52, 13.40, 48.86, 2.35);
        assert!((d - 878.0).abs() < 10.0, "{d}");
        assert_eq!(primary_language("de-AT"), "de");
        assert_eq!(format_offset(-210), "-03:30");
        assert!(format_offset(i32::MIN).starts_with('-'));
    }
}
