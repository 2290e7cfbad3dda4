//! The event schema: every name a rule may read, with its type. Compilation checks each
//! member access against it so that a typo (`device.flgs`) is a compile error instead of a
//! rule that silently never matches. Object fields are kept sorted by name so lookups can
//! binary-search them on the evaluation path.

use std::fmt;

/// The static type of a field, as far as rules are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Bool,
    /// Whole number (CEL `int`).
    Int,
    /// Number that may carry a fraction (CEL `double`); integers sent for it are widened.
    Float,
    String,
    /// A date kept as the string the sender sent (no clock or time-zone logic here).
    Date,
    /// List of strings, e.g. `device.flags`.
    StringList,
    /// List whose elements have the given type, e.g. `request.items`.
    List(&'static FieldType),
    /// Object with a closed set of fields.
    Object(&'static [Field]),
    /// Free-form object: any key, any value (custom fields, raw device details).
    Map,
    /// `velocity.<counter>`: names follow the velocity naming grammar.
    Velocity,
    /// `lists.<list>`: names are list names such as `deny_email`.
    Lists,
    /// Anything; not checked.
    Any,
}

/// The comparison classes the cheap type check reasons about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Bool,
    Number,
    String,
    List,
    Map,
}

impl FieldType {
    pub(crate) fn class(self) -> Option<Class> {
        match self {
            FieldType::Bool => Some(Class::Bool),
            FieldType::Int | FieldType::Float => Some(Class::Number),
            FieldType::String | FieldType::Date => Some(Class::String),
            FieldType::StringList | FieldType::List(_) => Some(Class::List),
            FieldType::Object(_) | FieldType::Map | FieldType::Velocity | FieldType::Lists => Some(Class::Map),
            FieldType::Any => None,
        }
    }

    /// The element type when iterated by a comprehension (map keys for objects).
    pub(crate) fn element(self) -> FieldType {
        match self {
            FieldType::StringList => FieldType::String,
            FieldType::List(t) => *t,
            FieldType::Object(_) | FieldType::Map | FieldType::Velocity | FieldType::Lists => FieldType::String,
            _ => FieldType::Any,
        }
    }

    /// The field `name` of an object type, if it is declared.
    pub fn field(self, name: &str) -> Option<&'static Field> {
        match self {
            FieldType::Object(fields) => fields.binary_search_by(|f| f.name.cmp(name)).ok().and_then(|i| fields.get(i)),
            _ => None,
        }
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::Bool => f.write_str("bool"),
            FieldType::Int => f.write_str("int"),
            FieldType::Float => f.write_str("double"),
            FieldType::String => f.write_str("string"),
            FieldType::Date => f.write_str("date string"),
            FieldType::StringList => f.write_str("list of strings"),
            FieldType::List(t) => write!(f, "list of {t}"),
            FieldType::Object(_) => f.write_str("object"),
            FieldType::Map => f.write_str("map"),
            FieldType::Velocity => f.write_str("velocity counters"),
            FieldType::Lists => f.write_str("list matches"),
            FieldType::Any => f.write_str("any"),
        }
    }
}

/// One named field of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    pub doc: &'static str,
}

const fn f(name: &'static str, ty: FieldType, doc: &'static str) -> Field {
    Field { name, ty, doc }
}

use FieldType as T;

const ITEM_FIELDS: &[Field] = &[
    f("item_category", T::String, ""),
    f("item_custom_fields", T::Map, ""),
    f("item_id", T::String, ""),
    f("item_name", T::String, ""),
    f("item_price", T::Float, ""),
    f("item_quantity", T::Int, ""),
    f("item_store", T::String, ""),
    f("item_store_country", T::String, ""),
    f("item_url", T::String, ""),
];
const ITEM: FieldType = FieldType::Object(ITEM_FIELDS);

/// Every SEON Fraud API request attribute except `config` and `custom_fields` (the latter
/// is the `custom` variable).
const REQUEST_FIELDS: &[Field] = &[
    f("action_type", T::String, "What the event is: login, account_register, payment, withdrawal, …"),
    f("affiliate_id", T::String, ""),
    f("affiliate_name", T::String, ""),
    f("avs_result", T::String, "Address verification result from the payment processor"),
    f("billing_city", T::String, ""),
    f("billing_country", T::String, "ISO 3166-1 alpha-2, upper case"),
    f("billing_phone", T::String, ""),
    f("billing_region", T::String, ""),
    f("billing_street", T::String, ""),
    f("billing_street2", T::String, ""),
    f("billing_zip", T::String, ""),
    f("bonus_campaign_id", T::String, ""),
    f("brand_id", T::String, ""),
    f("card_bin", T::String, "First 6–8 digits of the card number"),
    f("card_expire", T::Date, "Card expiry date as sent (YYYY-MM)"),
    f("card_fullname", T::String, ""),
    f("card_hash", T::String, "The sender's stable hash of the card number"),
    f("card_last", T::String, "Last 4 digits"),
    f("cvv_result", T::Bool, ""),
    f("details_url", T::String, ""),
    f("device_id", T::String, "The sender's device identifier"),
    f("discount_code", T::String, ""),
    f("email", T::String, ""),
    f("email_domain", T::String, ""),
    f("gift", T::Bool, ""),
    f("gift_message", T::Any, "The reference types it boolean; senders also put the message text here"),
    f("ip", T::String, ""),
    f("items", T::List(&ITEM), "Basket items"),
    f("merchant_category", T::String, ""),
    f("merchant_country", T::String, ""),
    f("merchant_created_at", T::Int, "Unix seconds"),
    f("merchant_id", T::String, ""),
    f("order_memo", T::String, ""),
    f("password_hash", T::String, ""),
    f("payment_id", T::String, ""),
    f("payment_mode", T::String, ""),
    f("payment_provider", T::String, ""),
    f("phone_number", T::String, "E.164, as sent"),
    f("receiver_bank_account", T::String, ""),
    f("receiver_fullname", T::String, ""),
    f("regulation", T::String, ""),
    f("sca_method", T::String, ""),
    f("session", T::String, "The opaque device payload (encrypted); rules have no use for it"),
    f("session_id", T::String, ""),
    f("shipping_city", T::String, ""),
    f("shipping_country", T::String, "ISO 3166-1 alpha-2, upper case"),
    f("shipping_fullname", T::String, ""),
    f("shipping_method", T::String, ""),
    f("shipping_phone", T::String, ""),
    f("shipping_region", T::String, ""),
    f("shipping_street", T::String, ""),
    f("shipping_street2", T::String, ""),
    f("shipping_zip", T::String, ""),
    f("status_3d", T::String, ""),
    f("transaction_amount", T::Float, ""),
    f("transaction_currency", T::String, "ISO 4217"),
    f("transaction_id", T::String, ""),
    f("transaction_type", T::String, ""),
    f("user_account_status", T::String, ""),
    f("user_balance", T::Float, ""),
    f("user_bank_account", T::String, ""),
    f("user_bank_name", T::String, ""),
    f("user_category", T::String, ""),
    f("user_city", T::String, ""),
    f("user_country", T::String, "ISO 3166-1 alpha-2, upper case"),
    f("user_created", T::Int, "Account creation time, Unix seconds"),
    f("user_dob", T::Date, "Date of birth as sent (YYYY-MM-DD)"),
    f("user_firstname", T::String, ""),
    f("user_fullname", T::String, ""),
    f("user_id", T::String, ""),
    f("user_lastname", T::String, ""),
    f("user_middlename", T::String, ""),
    f("user_name", T::String, ""),
    f("user_photoid_number", T::String, ""),
    f("user_pob", T::String, ""),
    f("user_region", T::String, ""),
    f("user_street", T::String, ""),
    f("user_street2", T::String, ""),
    f("user_verification_level", T::String, ""),
    f("user_zip", T::String, ""),
];

const IP_FIELDS: &[Field] = &[
    f("address", T::String, "The address the module looked up"),
    f("asn", T::Int, "Autonomous system number"),
    f("city", T::String, ""),
    f("country", T::String, "ISO 3166-1 alpha-2, upper case"),
    f("is_datacenter", T::Bool, "Hosting or data-centre range"),
    f("is_proxy", T::Bool, "Known open or commercial proxy"),
    f("is_tor", T::Bool, "Tor exit node"),
    f("is_vpn", T::Bool, "Known VPN endpoint"),
    f("isp", T::String, ""),
    f("region", T::String, ""),
    f("spam_listed", T::Bool, "On a public spam or abuse list"),
    f("timezone_mismatch", T::Bool, "The device's time zone is not one of the IP country's (travel, VPN or proxy)"),
    f("type", T::String, "residential, mobile, business, hosting, …"),
    f(
        "webrtc_mismatch",
        T::Bool,
        "WebRTC revealed another public address than the request's (a VPN or proxy hides it)",
    ),
];

const EMAIL_FIELDS: &[Field] = &[
    f("address", T::String, "Normalised (lower-case) address"),
    f("breach_count", T::Int, "Known data breaches the address appears in"),
    f("deliverable", T::Bool, "The mailbox accepts mail"),
    f("disposable", T::Bool, "Throw-away mailbox provider"),
    f("domain", T::String, "Lower-case domain"),
    f("domain_age_days", T::Int, "Days since the domain was registered"),
    f("free", T::Bool, "Free webmail provider"),
    f("registered_accounts", T::Int, "Online services the address is registered with"),
    f("typo_of", T::String, "The popular domain this one imitates (gmial.com → gmail.com); absent or empty when none"),
];

const PHONE_FIELDS: &[Field] = &[
    f("carrier", T::String, ""),
    f("country", T::String, "ISO 3166-1 alpha-2, upper case"),
    f("disposable", T::Bool, "Temporary or virtual number service"),
    f("number", T::String, "E.164"),
    f("registered_accounts", T::Int, "Online services the number is registered with"),
    f("type", T::String, "mobile, landline, voip, toll_free, premium, unknown"),
    f("valid", T::Bool, "The number is well-formed and allocated"),
];

const CARD_FIELDS: &[Field] = &[
    f("bank", T::String, "Issuing bank"),
    f("bin", T::String, ""),
    f("brand", T::String, "visa, mastercard, amex, …"),
    f("country", T::String, "Issuing country, ISO 3166-1 alpha-2, upper case"),
    f("level", T::String, "classic, gold, business, …"),
    f("prepaid", T::Bool, "Prepaid card"),
    f("type", T::String, "credit, debit or charge"),
    f("valid", T::Bool, "The BIN is allocated"),
];

const AML_FIELDS: &[Field] = &[
    f("adverse_media", T::Bool, "Adverse media mentions"),
    f("crimelist_match", T::Bool, "Match on a crime list"),
    f("pep", T::Bool, "Politically exposed person"),
    f("result_count", T::Int, "Number of screening hits"),
    f("sanctions_match", T::Bool, "Match on a sanctions list"),
    f("watchlist_match", T::Bool, "Match on a watch list"),
];

const DEVICE_FIELDS: &[Field] = &[
    f("details", T::Map, "The raw device details (SEON `device_details` shape); not checked"),
    f("first_seen", T::Date, "When this device was first seen, RFC 3339"),
    f("flags", T::StringList, "Findings of the device analysis, see the flag vocabulary"),
    f("hash", T::String, "Stable device fingerprint hash"),
    f("id", T::String, "Sightline's device id"),
    f("identity_correlation", T::Int, "0–100: how strongly the device is tied to this identity"),
    f("is_new_for_user", T::Bool, "First time this user is seen on this device"),
    f("last_seen", T::Date, "When this device was seen before this event, RFC 3339"),
    f("platform", T::String, "web, ios or android"),
    f("risk", T::Int, "0–100 device risk from the analysis"),
];

/// The top-level variables of an event, in documentation order.
const VARIABLES: &[Variable] = &[
    Variable::always("request", T::Object(REQUEST_FIELDS), "The SEON request attributes"),
    Variable::always("custom", T::Map, "`custom_fields` of the request: scalars, any key"),
    Variable::module("ip", T::Object(IP_FIELDS), "IP module output"),
    Variable::module("email", T::Object(EMAIL_FIELDS), "Email module output"),
    Variable::module("phone", T::Object(PHONE_FIELDS), "Phone module output"),
    Variable::module("card", T::Object(CARD_FIELDS), "BIN module output"),
    Variable::module("aml", T::Object(AML_FIELDS), "AML screening output"),
    Variable::module("device", T::Object(DEVICE_FIELDS), "Device analysis"),
    Variable::always("velocity", T::Velocity, "Counters computed by the caller, see velocity names"),
    Variable::always("lists", T::Lists, "Allow/deny list matches, see list names"),
    Variable::module("now", T::Int, "Evaluation time in Unix seconds, passed by the caller"),
];

/// A top-level variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variable {
    pub name: &'static str,
    pub ty: FieldType,
    /// May be null or absent (a module that is switched off, or no time given); rules
    /// that need it then do not match instead of failing.
    pub nullable: bool,
    pub doc: &'static str,
}

impl Variable {
    const fn always(name: &'static str, ty: FieldType, doc: &'static str) -> Self {
        Variable { name, ty, nullable: false, doc }
    }

    const fn module(name: &'static str, ty: FieldType, doc: &'static str) -> Self {
        Variable { name, ty, nullable: true, doc }
    }
}

/// All top-level variables.
pub fn variables() -> &'static [Variable] {
    VARIABLES
}

/// The top-level variable `name` and its position in [`variables`].
pub fn variable(name: &str) -> Option<(usize, &'static Variable)> {
    // A match compiles to a length switch and at most one comparison; this runs for every
    // variable reference during evaluation.
    let index = match name {
        "request" => 0,
        "custom" => 1,
        "ip" => 2,
        "email" => 3,
        "phone" => 4,
        "card" => 5,
        "aml" => 6,
        "device" => 7,
        "velocity" => 8,
        "lists" => 9,
        "now" => 10,
        _ => return None,
    };
    VARIABLES.get(index).map(|v| (index, v))
}

fn field_table(out: &mut String, prefix: &str, fields: &[Field]) {
    out.push_str("\n| field | type | notes |\n|---|---|---|\n");
    for field in fields {
        out.push_str(&format!("| `{prefix}.{}` | {} | {} |\n", field.name, field.ty, field.doc));
    }
    for field in fields {
        if let FieldType::List(FieldType::Object(inner)) = field.ty {
            out.push_str(&format!("\nElements of `{prefix}.{}`:\n", field.name));
            field_table(out, &format!("{prefix}.{}[]", field.name), inner);
        }
    }
}

/// The schema as Markdown, for `docs/rules.md`.
pub fn markdown() -> String {
    let mut out = String::new();
    for var in VARIABLES {
        let absent = if var.nullable { " May be null." } else { "" };
        out.push_str(&format!("\n### `{}` ({})\n\n{}.{absent}\n", var.name, var.ty, var.doc));
        if let FieldType::Object(fields) = var.ty {
            field_table(&mut out, var.name, fields);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects() -> Vec<(&'static str, &'static [Field])> {
        let mut out = vec![("request.items", ITEM_FIELDS)];
        for v in VARIABLES {
            if let FieldType::Object(fields) = v.ty {
                out.push((v.name, fields));
            }
        }
        out
    }

    #[test]
    fn fields_are_sorted_and_unique_for_binary_search() {
        for (name, fields) in objects() {
            for pair in fields.windows(2) {
                assert!(pair[0].name < pair[1].name, "{name}: {} !< {}", pair[0].name, pair[1].name);
            }
        }
    }

    #[test]
    fn lookups() {
        let (_, device) = variable("device").unwrap();
        assert_eq!(device.ty.field("flags").unwrap().ty, FieldType::StringList);
        assert!(device.ty.field("flgs").is_none());
        let (_, request) = variable("request").unwrap();
        assert_eq!(request.ty.field("transaction_amount").unwrap().ty, FieldType::Float);
        assert_eq!(request.ty.field("items").unwrap().ty.element().field("item_price").unwrap().ty, FieldType::Float);
        assert!(variable("nope").is_none());
        for (i, v) in VARIABLES.iter().enumerate() {
            assert_eq!(variable(v.name).map(|(j, _)| j), Some(i), "{}", v.name);
        }
    }
}
