//! Envelope parsing: both seed strings from partner documentation, and one
//! test per parse error.

mod common;

use common::*;
use sightline_payload::{Envelope, Field, MAX_ENVELOPE_LEN, OpenError, ParseError, Platform, Shape, open};

const LEGACY_SEED: &str = "Web;179ac83968ab42f79e960c1753a4078fdcon;jVl14emA+OcyALb9F+CMFg==;NU7aFh0jdzM15wj8hQtqbA5LbzEFWDI1bUwZf/zbau0P2MIEUE+LsifBKvxjCYNUyz647bpSjnQ6Tu8IK22sxFlTGEFaHKBigzmP8Nc8FvVSWKzslmSWTFJM5AYc+EGTZLprlcdrLldsZLS5PpHfPMmvtqCXVTnGhYV7GvutI1w5/67yK7pCQDxDicKjqlMg1naMiwCuqP1U1lUtf+lTdmJ1T1lXMPARffTn4XAr66vUxN++sy7qytkdcOeCsaxZnLspUEvqu+2ILHF8pOJFG7gYC11rqWOyHG3Ns1E1dZ57ybrgGTKfctFOdx2IMXnz1/i/pDC5QokRr2BTIZZ/9Tj+xXzWpzNwHtRWWK5VEufyVRPyMXQdmry7UYKrouAzlLCYSMv7GcPwOZz+gDjCkrNia7/DGBBFLOvtlufDztPpvkH2jmN32/oJHl1Qu6zpxG3Lyl8RNdyukuNYfiPw0ECoXsXObwQc7Ja8R+V5S7QZeV1VV9aavlH1+Xl9v0OlOJ1XujO7izWESMIfzAuaL6ACYhdkmkC3kicjOWUjaY3OJYrrXxQ+MScnJOQ9neMRWij7YqNxP8F259zVjqqyaL6hN8EZU/pi+cZUVkfFvMYT5ugE9JXjkFfyy4UQeSmNRjDXRzu40LyweqUns8u3GOIFzfZ9eVOv+q7OV+RpVLOJLz1Za8RPIh3UKltCzOTmO8OpDz2aGoqNdL4zAaLl4EKRoarEiSG9K2/GoyHchi6xdHYA6DqQg5xQM4s50RUySGwWLxBB3ZlMpZpdZAVBrLSyl1SWqYTosdyURtiiX0So+kdik5XJ5Vsh0v75rNP5Yrv3t5/u94wx51zKlpDH8Uiap7kP0eibRmmN196kxMcOf8Q50JM1Yt8cJiawTWdGHzGRcNtEkpon5VLp/kwDU+4IPwlW976hKsom0PTB/EVxo5CWuL6kPiaEWUrWOL7BZ2jkuebHT2jBAJuFBaeac7IYnrAMoLgfY33Vs3EtVk8HrhFzJCiwR7WC+GHJTHLH1S8FfmHFTXJHecvq6tpMncaJFbo4jSfm9ozBAVAAN2mCn/yBbmX9tPmXdGEsTSpdp6vVWKEdHZ1rjCqmgDENxh75H5uT9DeZ0mAKwkP5Ai+bN3hT0y1XGE44b/aJ7PEObogYAioej/Z690zKx+fHxP50juTgt+UIQ+l/mpcYnbcYe4lkXrqGpwxFU8OrRzzfJX/s90VVlzrQVAPNW/mvYkt+MqSVwI1EP62faXlXnDqbmVFUmMGeoquP58cwqSBaNL/oi2Rg7GVvdvus+i2Qpm1SHtnPVUhTwWFigiWw/T2ZZeUs4nk+Q/xOFa/";

/// The other vendor's 5-field output, with a shortened blob of our own
/// (120 bytes, so it is long enough to carry a key id).
const FOREIGN_SEED: &str = "Web;6.10.1;dZrcfzCWYujirXGKSCrxQw==;AiZ+0bN8v6APD0IDEiWBy83lTD3W75xcXxc+gWIMFVX/M+pFvF95HO8XpoB4KTUMld8h56uzuo4cLt4cdllMfN0vXPVBszq4szA+w34+7MNB7CRTBNgIuuys5h+NBkas+/QkcuoJN+x8F2oSKJR3dQKJC7aw+biB;82d33212414e85aa5ee46b3d24515844dcon";

#[test]
fn legacy_seed_parses() {
    let env = Envelope::parse(LEGACY_SEED).expect("legacy seed parses");
    assert_eq!(env.shape(), Shape::Legacy);
    assert_eq!(env.platform(), Platform::Web);
    assert_eq!(env.sdk_version(), None);
    assert_eq!(env.session_id(), "179ac83968ab42f79e960c1753a4078fdcon");
    assert_eq!(env.salt().len(), 16);
    assert_eq!(env.sealed_bytes().len(), 1004);
    assert_eq!(env.key_id(), None);
}

#[test]
fn foreign_five_field_seed_parses_and_names_an_unknown_key() {
    let env = Envelope::parse(FOREIGN_SEED).expect("foreign seed parses");
    assert_eq!(env.shape(), Shape::Sealed);
    assert_eq!(env.platform(), Platform::Web);
    assert_eq!(env.sdk_version(), Some("6.10.1"));
    assert_eq!(env.session_id(), "82d33212414e85aa5ee46b3d24515844dcon");
    assert_eq!(env.salt().len(), 16);
    assert_eq!(env.sealed_bytes().len(), 120);
    assert_eq!(env.key_id(), Some(0x0226_7ed1));
    assert_eq!(env.ephemeral_public_key().map(<[u8]>::len), Some(65));
    assert_eq!(env.ciphertext_and_tag().map(<[u8]>::len), Some(120 - 69));

    let err = open(&ring(&[1, 2]), FOREIGN_SEED, &policy()).expect_err("foreign");
    assert_eq!(err, OpenError::UnknownKey { key_id: 0x0226_7ed1 });
}

#[test]
fn own_sealed_string_round_trips_through_display() {
    let s = sealed(3, Platform::Android);
    let env = Envelope::parse(&format!("  \n{s}\t ")).expect("trimmed");
    assert_eq!(env.to_string(), s);
    assert_eq!(env.key_id(), Some(3));
}

#[test]
fn legacy_blob_is_lenient() {
    let variants = [
        "Web;179ac83968ab42f79e960c1753a4078f;jVl14emA+OcyALb9F+CMFg==;NU7aFh0jdzM1",
        "Web;179AC83968AB42F79E960C1753A4078F;jVl14emA+OcyALb9F+CMFg;NU7aFh0jdzM15w",
        "iOS;179ac83968ab42f79e960c1753a4078fx;jVl14emA-OcyALb9F-CMFg==;NU7a_h0jdzM15wj",
    ];
    for v in variants {
        let env = Envelope::parse(v).unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(env.shape(), Shape::Legacy);
    }
}

fn err(s: &str) -> ParseError {
    Envelope::parse(s).expect_err(s)
}

#[test]
fn parse_errors_are_distinct_and_named() {
    let good = sealed(1, Platform::Web);

    assert_eq!(err(""), ParseError::Empty);
    assert_eq!(err(" \n "), ParseError::Empty);

    let huge = format!("{good}{}", " ".repeat(MAX_ENVELOPE_LEN));
    assert!(matches!(err(&huge), ParseError::TooLarge { .. }));

    assert_eq!(err("Web;1.0"), ParseError::FieldCount { found: 2 });
    assert_eq!(err(&format!("{good};x")), ParseError::FieldCount { found: 6 });
    assert_eq!(err(&";".repeat(1000)), ParseError::FieldCount { found: 1001 });

    for (index, field) in
        [(0, Field::Platform), (1, Field::SdkVersion), (2, Field::Salt), (3, Field::Sealed), (4, Field::SessionId)]
    {
        assert_eq!(err(&replace_field(&good, index, "")), ParseError::EmptyField { field });
    }
    assert_eq!(err("Web;;AAAA;AAAA"), ParseError::EmptyField { field: Field::SessionId });

    let unknown = err(&replace_field(&good, 0, "web"));
    assert_eq!(unknown.code(), "envelope_unknown_platform");
    assert!(unknown.to_string().contains("\"web\""), "{unknown}");
    let long = err(&replace_field(&good, 0, &"W".repeat(500)));
    assert!(long.to_string().len() < 120, "{long}");

    for sdk in ["1 0", "1;0", &"1".repeat(33), "1.0/2", "é"] {
        let e = err(&replace_field(&good, 1, sdk));
        assert!(matches!(e, ParseError::InvalidSdkVersion | ParseError::FieldCount { .. }), "{sdk}: {e:?}");
    }
    assert_eq!(err(&replace_field(&good, 1, "1.0/2")), ParseError::InvalidSdkVersion);

    assert_eq!(
        err(&replace_field(&good, 2, "AAAAAAAAAAAAAAAAAAAAAA")),
        ParseError::InvalidBase64 { field: Field::Salt }
    );
    assert_eq!(err(&replace_field(&good, 2, "AAAA")), ParseError::InvalidSaltLength { len: 3, expected: 16 });
    assert_eq!(err(&replace_field(&good, 3, "AA-_")), ParseError::InvalidBase64 { field: Field::Sealed });

    for session in ["a b", &"a".repeat(129), "ä", "a/b"] {
        assert_eq!(err(&replace_field(&good, 4, session)), ParseError::InvalidSessionId, "{session}");
    }
    assert!(Envelope::parse(&replace_field(&good, 4, &"a".repeat(128))).is_ok());

    for legacy_id in ["not-an-id", "179ac83968ab42f79e960c1753a4078", "179ac83968ab42f79e960c1753a4078fDCON"] {
        assert_eq!(err(&format!("Web;{legacy_id};AAAA;AAAA")), ParseError::InvalidLegacySessionId);
    }
    assert_eq!(
        err("Web;179ac83968ab42f79e960c1753a4078f;AAAA;A*AA"),
        ParseError::InvalidBase64 { field: Field::LegacyBlob }
    );
}

#[test]
fn every_parse_error_has_a_distinct_code() {
    let errors = [
        ParseError::Empty,
        ParseError::TooLarge { len: 0, max: 0 },
        ParseError::FieldCount { found: 0 },
        ParseError::EmptyField { field: Field::Salt },
        ParseError::UnknownPlatform { found: String::new() },
        ParseError::InvalidSdkVersion,
        ParseError::InvalidSessionId,
        ParseError::InvalidLegacySessionId,
        ParseError::InvalidBase64 { field: Field::Salt },
        ParseError::InvalidSaltLength { len: 0, expected: 16 },
    ];
    let mut codes: Vec<_> = errors.iter().map(ParseError::code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), errors.len());
    assert!(codes.iter().all(|c| c.starts_with("envelope_")));
}
