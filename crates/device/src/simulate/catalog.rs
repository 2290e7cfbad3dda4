//! Hardware and locale catalogues for synthetic devices, with rough
//! real-world shares. They only need to be realistic in shape: common
//! configurations are common, identical models collide, GPUs and screens
//! follow the OS.

/// A desktop or laptop configuration.
#[derive(Debug, Clone, Copy)]
pub struct Desktop {
    pub os: &'static str,
    /// CSS-pixel screen at 100 % OS scaling.
    pub screen: (u32, u32),
    pub dpr: f64,
    pub cores: u32,
    /// navigator.deviceMemory (Chromium caps at 8).
    pub memory: f64,
    pub gpu_vendor: &'static str,
    pub gpu: &'static str,
    pub touch: bool,
    pub share: f64,
}

macro_rules! desktops {
    ($( $os:literal ($w:literal, $h:literal) $dpr:literal $cores:literal $mem:literal $vendor:literal $gpu:literal $touch:literal $share:literal ;)*) => {
        &[ $( Desktop { os: $os, screen: ($w, $h), dpr: $dpr, cores: $cores, memory: $mem, gpu_vendor: $vendor, gpu: $gpu, touch: $touch, share: $share } ),* ]
    };
}

pub static DESKTOPS: &[Desktop] = desktops! {
    "Windows" (1920, 1080) 1.0 8 8.0 "NVIDIA" "NVIDIA GeForce GTX 1650" false 4.0;
    "Windows" (1920, 1080) 1.0 12 8.0 "NVIDIA" "NVIDIA GeForce RTX 3060" false 3.5;
    "Windows" (2560, 1440) 1.0 16 8.0 "NVIDIA" "NVIDIA GeForce RTX 3070" false 1.5;
    "Windows" (1920, 1080) 1.0 16 8.0 "NVIDIA" "NVIDIA GeForce RTX 4060" false 1.5;
    "Windows" (1920, 1080) 1.0 6 8.0 "AMD" "AMD Radeon RX 580 Series" false 1.5;
    "Windows" (1920, 1080) 1.0 12 8.0 "AMD" "AMD Radeon(TM) Graphics" false 3.0;
    "Windows" (1536, 864) 1.25 8 8.0 "Intel" "Intel(R) UHD Graphics 620" false 6.0;
    "Windows" (1536, 864) 1.25 8 8.0 "Intel" "Intel(R) Iris(R) Xe Graphics" true 4.0;
    "Windows" (1366, 768) 1.0 4 4.0 "Intel" "Intel(R) UHD Graphics" false 4.0;
    "Windows" (1280, 720) 1.5 8 8.0 "Intel" "Intel(R) Iris(R) Xe Graphics" true 2.0;
    "Windows" (1920, 1080) 1.0 8 8.0 "Intel" "Intel(R) UHD Graphics 630" false 5.0;
    "Windows" (1920, 1080) 1.0 16 8.0 "Intel" "Intel(R) UHD Graphics 770" false 2.0;
    "Windows" (1440, 900) 1.0 4 8.0 "Intel" "Intel(R) HD Graphics 620" false 1.0;
    "macOS" (1440, 900) 2.0 8 8.0 "Apple" "Apple M1" false 4.0;
    "macOS" (1470, 956) 2.0 8 8.0 "Apple" "Apple M2" false 2.5;
    "macOS" (1512, 982) 2.0 10 8.0 "Apple" "Apple M1 Pro" false 1.5;
    "macOS" (1728, 1117) 2.0 12 8.0 "Apple" "Apple M2 Max" false 0.5;
    "macOS" (1512, 982) 2.0 11 8.0 "Apple" "Apple M3 Pro" false 1.0;
    "macOS" (2240, 1260) 2.0 8 8.0 "Apple" "Apple M1" false 0.7;
    "macOS" (1440, 900) 2.0 8 8.0 "Intel Inc." "Intel(R) Iris(TM) Plus Graphics 655" false 0.8;
    "macOS" (1536, 960) 2.0 12 8.0 "AMD" "AMD Radeon Pro 5300M" false 0.5;
    "Linux" (1920, 1080) 1.0 8 8.0 "Intel" "Mesa Intel(R) UHD Graphics 620 (KBL GT2)" false 0.6;
    "Linux" (2560, 1440) 1.0 16 8.0 "AMD" "AMD Radeon RX 6700 XT (navi22, LLVM 15.0.7, DRM 3.49, 6.1.0-13-amd64)" false 0.3;
};

/// A phone (web and native share it).
#[derive(Debug, Clone, Copy)]
pub struct Phone {
    pub os: &'static str,
    pub manufacturer: &'static str,
    /// Marketing name / client-hints model / iOS machine id.
    pub model: &'static str,
    pub machine: &'static str,
    /// CSS-pixel screen (portrait) and DPR.
    pub screen: (u32, u32),
    pub dpr: f64,
    pub cores: u32,
    pub memory_gib: u32,
    pub storage_gb: u32,
    pub gpu: &'static str,
    pub share: f64,
}

macro_rules! phones {
    ($( $os:literal $man:literal $model:literal $machine:literal ($w:literal, $h:literal) $dpr:literal $cores:literal $mem:literal $sto:literal $gpu:literal $share:literal ;)*) => {
        &[ $( Phone { os: $os, manufacturer: $man, model: $model, machine: $machine, screen: ($w, $h), dpr: $dpr, cores: $cores, memory_gib: $mem, storage_gb: $sto, gpu: $gpu, share: $share } ),* ]
    };
}

pub static PHONES: &[Phone] = phones! {
    "iOS" "Apple" "iPhone 13" "iPhone14,5" (390, 844) 3.0 6 4 128 "Apple GPU" 5.0;
    "iOS" "Apple" "iPhone 14" "iPhone14,7" (390, 844) 3.0 6 6 128 "Apple GPU" 4.0;
    "iOS" "Apple" "iPhone 14 Pro" "iPhone15,2" (393, 852) 3.0 6 6 256 "Apple GPU" 3.0;
    "iOS" "Apple" "iPhone 15" "iPhone15,4" (393, 852) 3.0 6 6 128 "Apple GPU" 4.0;
    "iOS" "Apple" "iPhone 15 Pro" "iPhone16,1" (393, 852) 3.0 6 8 256 "Apple GPU" 3.0;
    "iOS" "Apple" "iPhone 15 Pro Max" "iPhone16,2" (430, 932) 3.0 6 8 256 "Apple GPU" 2.0;
    "iOS" "Apple" "iPhone 11" "iPhone12,1" (414, 896) 2.0 6 4 64 "Apple GPU" 3.0;
    "iOS" "Apple" "iPhone SE (3rd generation)" "iPhone14,6" (375, 667) 2.0 6 4 64 "Apple GPU" 1.5;
    "iOS" "Apple" "iPhone 12 mini" "iPhone13,1" (375, 812) 3.0 6 4 128 "Apple GPU" 1.0;
    "Android" "samsung" "SM-S911B" "dm1q" (360, 780) 3.0 8 8 256 "Adreno (TM) 740" 2.5;
    "Android" "samsung" "SM-A546B" "a54x" (412, 915) 2.625 8 8 128 "Mali-G68 MC4" 3.0;
    "Android" "samsung" "SM-A145R" "a14" (412, 915) 1.75 8 4 64 "Mali-G52 MC2" 2.0;
    "Android" "Google" "Pixel 8" "shiba" (412, 915) 2.625 9 8 128 "Mali-G715" 1.2;
    "Android" "Google" "Pixel 7a" "lynx" (412, 892) 2.625 8 8 128 "Mali-G710" 1.0;
    "Android" "Xiaomi" "23021RAA2Y" "tapas" (393, 873) 2.75 8 6 128 "Adreno (TM) 610" 1.5;
    "Android" "OnePlus" "CPH2449" "OP5958L1" (412, 919) 3.5 8 16 256 "Adreno (TM) 740" 0.6;
    "Android" "motorola" "moto g54 5G" "cancunf" (360, 800) 3.0 8 8 256 "IMG BXM-8-256" 0.6;
};

/// Countries of the synthetic user base with time zones and language
/// preference lists (first = most common).
#[derive(Debug, Clone, Copy)]
pub struct Locale {
    pub country: &'static str,
    pub zones: &'static [&'static str],
    pub languages: &'static [&'static [&'static str]],
    pub keyboard: &'static str,
    pub share: f64,
}

pub static LOCALES: &[Locale] = &[
    Locale {
        country: "DE",
        zones: &["Europe/Berlin"],
        languages: &[
            &["de-DE", "de", "en-US", "en"],
            &["de-DE", "de"],
            &["de"],
            &["de-DE", "en-US"],
            &["en-US", "en", "de"],
            &["de-DE", "de", "en"],
            &["tr-TR", "tr", "de-DE", "de"],
        ],
        keyboard: "qwertz",
        share: 28.0,
    },
    Locale {
        country: "AT",
        zones: &["Europe/Vienna"],
        languages: &[&["de-AT", "de", "en-US", "en"], &["de-DE", "de"], &["de"]],
        keyboard: "qwertz",
        share: 4.0,
    },
    Locale {
        country: "FR",
        zones: &["Europe/Paris"],
        languages: &[&["fr-FR", "fr", "en-US", "en"], &["fr-FR", "fr"], &["fr"], &["fr-FR", "en-US"]],
        keyboard: "azerty",
        share: 10.0,
    },
    Locale {
        country: "ES",
        zones: &["Europe/Madrid"],
        languages: &[&["es-ES", "es", "en-US", "en"], &["es-ES", "es"], &["es"], &["ca-ES", "ca", "es"]],
        keyboard: "qwerty",
        share: 7.0,
    },
    Locale {
        country: "IT",
        zones: &["Europe/Rome"],
        languages: &[&["it-IT", "it", "en-US", "en"], &["it-IT", "it"], &["it"]],
        keyboard: "qwerty",
        share: 7.0,
    },
    Locale {
        country: "NL",
        zones: &["Europe/Amsterdam"],
        languages: &[&["nl-NL", "nl", "en-US", "en"], &["nl-NL", "nl"], &["en-US", "en", "nl"]],
        keyboard: "qwerty",
        share: 5.0,
    },
    Locale {
        country: "GB",
        zones: &["Europe/London"],
        languages: &[&["en-GB", "en"], &["en-GB", "en-US", "en"], &["en-US", "en"]],
        keyboard: "qwerty",
        share: 8.0,
    },
    Locale {
        country: "US",
        zones: &["America/New_York", "America/Chicago", "America/Los_Angeles", "America/Denver", "America/Phoenix"],
        languages: &[&["en-US", "en"], &["en-US"], &["en-US", "es-US", "es"]],
        keyboard: "qwerty",
        share: 14.0,
    },
    Locale {
        country: "PL",
        zones: &["Europe/Warsaw"],
        languages: &[&["pl-PL", "pl", "en-US", "en"], &["pl-PL", "pl"], &["pl"]],
        keyboard: "qwerty",
        share: 4.0,
    },
    Locale {
        country: "BR",
        zones: &["America/Sao_Paulo"],
        languages: &[&["pt-BR", "pt", "en-US", "en"], &["pt-BR", "pt"]],
        keyboard: "qwerty",
        share: 4.0,
    },
    Locale {
        country: "IN",
        zones: &["Asia/Kolkata"],
        languages: &[&["en-IN", "en", "hi"], &["en-US", "en"], &["en-GB", "en"]],
        keyboard: "qwerty",
        share: 3.0,
    },
    Locale {
        country: "JP",
        zones: &["Asia/Tokyo"],
        languages: &[&["ja-JP", "ja"], &["ja", "en-US", "en"]],
        keyboard: "qwerty",
        share: 2.0,
    },
    Locale {
        country: "AU",
        zones: &["Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Perth"],
        languages: &[&["en-AU", "en"], &["en-GB", "en"], &["en-US", "en"]],
        keyboard: "qwerty",
        share: 2.0,
    },
    Locale {
        country: "CH",
        zones: &["Europe/Zurich"],
        languages: &[&["de-CH", "de", "en-US", "en"], &["fr-CH", "fr", "en"], &["de-CH", "de", "fr"]],
        keyboard: "qwertz",
        share: 2.0,
    },
];

/// The 60 fonts the agent probes.
pub const FONTS: [&str; 60] = [
    "Arial",
    "Arial Black",
    "Arial Narrow",
    "Bahnschrift",
    "Calibri",
    "Cambria",
    "Cambria Math",
    "Candara",
    "Century Gothic",
    "Comic Sans MS",
    "Consolas",
    "Constantia",
    "Corbel",
    "Courier New",
    "Franklin Gothic Medium",
    "Garamond",
    "Georgia",
    "Impact",
    "Leelawadee UI",
    "Lucida Console",
    "Lucida Sans Unicode",
    "Malgun Gothic",
    "Microsoft Sans Serif",
    "Microsoft YaHei",
    "MS Gothic",
    "Nirmala UI",
    "Palatino Linotype",
    "Segoe Print",
    "Segoe UI",
    "Segoe UI Emoji",
    "SimSun",
    "Tahoma",
    "Times New Roman",
    "Trebuchet MS",
    "Verdana",
    "Yu Gothic",
    "Helvetica",
    "Helvetica Neue",
    "Lucida Grande",
    "Menlo",
    "Monaco",
    "Geneva",
    "Optima",
    "Futura",
    "Avenir",
    "Avenir Next",
    "Gill Sans",
    "Apple Color Emoji",
    "Hiragino Sans",
    "PingFang SC",
    "Roboto",
    "Noto Sans",
    "Noto Color Emoji",
    "DejaVu Sans",
    "Liberation Sans",
    "Liberation Mono",
    "Ubuntu",
    "Cantarell",
    "Fira Sans",
    "Source Code Pro",
];

pub const WINDOWS_FONTS: [&str; 33] = [
    "Arial",
    "Arial Black",
    "Bahnschrift",
    "Calibri",
    "Cambria",
    "Cambria Math",
    "Candara",
    "Comic Sans MS",
    "Consolas",
    "Constantia",
    "Corbel",
    "Courier New",
    "Franklin Gothic Medium",
    "Georgia",
    "Impact",
    "Leelawadee UI",
    "Lucida Console",
    "Lucida Sans Unicode",
    "Malgun Gothic",
    "Microsoft Sans Serif",
    "Microsoft YaHei",
    "MS Gothic",
    "Nirmala UI",
    "Palatino Linotype",
    "Segoe Print",
    "Segoe UI",
    "Segoe UI Emoji",
    "SimSun",
    "Tahoma",
    "Times New Roman",
    "Trebuchet MS",
    "Verdana",
    "Yu Gothic",
];

pub const MAC_FONTS: [&str; 27] = [
    "Arial",
    "Arial Black",
    "Arial Narrow",
    "Comic Sans MS",
    "Courier New",
    "Georgia",
    "Impact",
    "Microsoft Sans Serif",
    "Tahoma",
    "Times New Roman",
    "Trebuchet MS",
    "Verdana",
    "Helvetica",
    "Helvetica Neue",
    "Lucida Grande",
    "Menlo",
    "Monaco",
    "Geneva",
    "Optima",
    "Futura",
    "Avenir",
    "Avenir Next",
    "Gill Sans",
    "Apple Color Emoji",
    "Hiragino Sans",
    "PingFang SC",
    "Palatino Linotype",
];

pub const LINUX_FONTS: [&str; 7] =
    ["DejaVu Sans", "Liberation Sans", "Liberation Mono", "Noto Sans", "Noto Color Emoji", "Ubuntu", "Cantarell"];

/// Optional font packs: (fonts, probability on desktop).
pub static FONT_PACKS: &[(&[&str], f64)] = &[
    // Microsoft Office.
    (
        &[
            "Arial Narrow",
            "Garamond",
            "Century Gothic",
            "Calibri",
            "Cambria",
            "Candara",
            "Consolas",
            "Constantia",
            "Corbel",
            "Franklin Gothic Medium",
            "Segoe UI",
        ],
        0.45,
    ),
    // LibreOffice.
    (&["DejaVu Sans", "Liberation Sans", "Liberation Mono"], 0.12),
    // Google / Adobe fonts installed by design tools.
    (&["Roboto", "Noto Sans", "Source Code Pro"], 0.10),
    (&["Fira Sans", "Ubuntu"], 0.05),
    (&["Noto Color Emoji"], 0.05),
];
