//! The SEON Fraud API request, attribute for attribute as the seed's table types them.
//! Unknown attributes are ignored, as SEON does, so a partner's existing payload passes as is;
//! a known attribute with the wrong type is a 400 naming it.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sightline_core::Error;
use sightline_core::fraud::{FraudEvent, Module, ModuleSwitches};
use sightline_core::monitoring::RequestContext;
use std::collections::BTreeMap;
use std::fmt;

/// A `custom_fields` value: SEON accepts scalars only.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Number(f64),
    Text(String),
    Null,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number, boolean or null (custom fields hold scalars only)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_owned()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// One entry of `items`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Item {
    pub item_id: Option<String>,
    pub item_quantity: Option<f64>,
    pub item_name: Option<String>,
    pub item_price: Option<f64>,
    pub item_store: Option<String>,
    pub item_store_country: Option<String>,
    pub item_category: Option<String>,
    pub item_url: Option<String>,
    pub item_custom_fields: Option<BTreeMap<String, Scalar>>,
}

/// One module's switch in `config`: SEON accepts `"ip_api": true` as well as
/// `"ip": {"include": "flags,history", "version": "v1"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModuleConfig {
    /// Comma-separated optional response parts, e.g. `flags,history,id`.
    pub include: Option<String>,
    pub version: Option<String>,
    /// Optional `*_details` fields to return.
    pub response_fields: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Config {
    pub ip_api: Option<bool>,
    pub email_api: Option<bool>,
    pub phone_api: Option<bool>,
    pub aml_api: Option<bool>,
    pub device_fingerprinting: Option<bool>,
    /// Sightline's own switch for the card BIN look-up (SEON runs it whenever `card_bin` is sent).
    pub bin_api: Option<bool>,
    pub ip: Option<ModuleConfig>,
    pub email: Option<ModuleConfig>,
    pub phone: Option<ModuleConfig>,
    pub aml: Option<ModuleConfig>,
    pub device: Option<ModuleConfig>,
    /// Optional top-level response fields, comma-separated.
    pub response_fields: Option<String>,
}

/// Everything SEON's table lists; each attribute is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({
    "config": {"ip_api": true, "email_api": true, "phone_api": true, "device_fingerprinting": true},
    "ip": "1.1.1.1", "action_type": "purchase", "transaction_id": "txn-1", "email": "example@example.com",
    "user_fullname": "Example Name", "user_id": "user-1", "user_created": 1446370717, "user_dob": "1990-08-02",
    "phone_number": "+4915112345678", "transaction_type": "purchase", "transaction_amount": 554.0,
    "transaction_currency": "EUR", "card_bin": "424242", "card_expire": "2030-11", "cvv_result": true,
    "items": [{"item_id": "sku-1", "item_quantity": 1, "item_name": "Shoes", "item_price": 554.0}],
    "custom_fields": {"is_intangible_item": true, "loyalty_tier": "gold"},
    "session": "Web;1.0.0;<salt>;<sealed>;<session id>"}))]
pub struct FraudRequest {
    pub config: Option<Config>,
    pub action_type: Option<String>,
    pub ip: Option<String>,
    pub transaction_id: Option<String>,
    pub affiliate_id: Option<String>,
    pub affiliate_name: Option<String>,
    pub order_memo: Option<String>,
    pub email: Option<String>,
    pub email_domain: Option<String>,
    pub payment_id: Option<String>,
    pub password_hash: Option<String>,
    pub user_fullname: Option<String>,
    pub user_name: Option<String>,
    pub user_firstname: Option<String>,
    pub user_middlename: Option<String>,
    pub user_lastname: Option<String>,
    pub user_pob: Option<String>,
    pub user_photoid_number: Option<String>,
    pub user_id: Option<String>,
    /// Unix seconds.
    pub user_created: Option<i64>,
    pub user_category: Option<String>,
    pub user_account_status: Option<String>,
    pub user_bank_account: Option<String>,
    pub user_bank_name: Option<String>,
    pub user_balance: Option<f64>,
    pub user_verification_level: Option<String>,
    /// `YYYY-MM-DD`.
    pub user_dob: Option<String>,
    pub user_country: Option<String>,
    pub user_city: Option<String>,
    pub user_region: Option<String>,
    pub user_zip: Option<String>,
    pub user_street: Option<String>,
    pub user_street2: Option<String>,
    pub session_id: Option<String>,
    /// The agent's `device_data` string.
    pub session: Option<String>,
    pub device_id: Option<String>,
    pub payment_mode: Option<String>,
    pub payment_provider: Option<String>,
    pub card_fullname: Option<String>,
    pub card_bin: Option<String>,
    pub card_hash: Option<String>,
    /// `YYYY-MM`.
    pub card_expire: Option<String>,
    pub card_last: Option<String>,
    pub avs_result: Option<String>,
    pub cvv_result: Option<bool>,
    pub status_3d: Option<String>,
    pub sca_method: Option<String>,
    pub phone_number: Option<String>,
    pub transaction_type: Option<String>,
    pub transaction_amount: Option<f64>,
    pub transaction_currency: Option<String>,
    pub items: Option<Vec<Item>>,
    pub shipping_country: Option<String>,
    pub shipping_city: Option<String>,
    pub shipping_region: Option<String>,
    pub shipping_zip: Option<String>,
    pub shipping_street: Option<String>,
    pub shipping_street2: Option<String>,
    pub shipping_phone: Option<String>,
    pub shipping_fullname: Option<String>,
    pub shipping_method: Option<String>,
    pub billing_country: Option<String>,
    pub billing_city: Option<String>,
    pub billing_region: Option<String>,
    pub billing_zip: Option<String>,
    pub billing_street: Option<String>,
    pub billing_street2: Option<String>,
    pub billing_phone: Option<String>,
    pub discount_code: Option<String>,
    pub gift: Option<bool>,
    pub gift_message: Option<bool>,
    pub merchant_category: Option<String>,
    pub merchant_id: Option<String>,
    /// Unix seconds.
    pub merchant_created_at: Option<i64>,
    pub merchant_country: Option<String>,
    pub receiver_fullname: Option<String>,
    pub receiver_bank_account: Option<String>,
    pub details_url: Option<String>,
    pub regulation: Option<String>,
    pub bonus_campaign_id: Option<String>,
    pub brand_id: Option<String>,
    pub custom_fields: Option<BTreeMap<String, Scalar>>,
}

impl FraudRequest {
    /// Checks what the types alone cannot: date formats, sizes, amounts.
    pub fn validate(&self) -> Result<(), Error> {
        let date = time::macros::format_description!("[year]-[month]-[day]");
        if let Some(dob) = &self.user_dob
            && time::Date::parse(dob, date).is_err()
        {
            return Err(Error::invalid_field("user_dob", "must be a date in YYYY-MM-DD format"));
        }
        if let Some(expire) = &self.card_expire {
            let valid = expire.len() == 7
                && expire.as_bytes()[4] == b'-'
                && expire[..4].bytes().all(|b| b.is_ascii_digit())
                && expire[5..].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m));
            if !valid {
                return Err(Error::invalid_field("card_expire", "must be a month in YYYY-MM format"));
            }
        }
        if let Some(amount) = self.transaction_amount
            && !amount.is_finite()
        {
            return Err(Error::invalid_field("transaction_amount", "must be a finite number"));
        }
        if let Some(bin) = &self.card_bin
            && (bin.len() < 6 || bin.len() > 8 || !bin.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(Error::invalid_field("card_bin", "must be the first 6 to 8 digits of the card number"));
        }
        if self.items.as_ref().is_some_and(|i| i.len() > 500) {
            return Err(Error::invalid_field("items", "at most 500 items"));
        }
        if self.custom_fields.as_ref().is_some_and(|c| c.len() > 200) {
            return Err(Error::invalid_field("custom_fields", "at most 200 custom fields"));
        }
        Ok(())
    }

    /// Which modules run: everything by default, a module off only when `config` says so.
    /// SEON has no switch for BIN look-ups; `bin_api` is Sightline's.
    pub fn module_enabled(&self, module: Module) -> bool {
        let Some(config) = &self.config else { return true };
        let flag = match module {
            Module::Ip => config.ip_api,
            Module::Email => config.email_api,
            Module::Phone => config.phone_api,
            Module::Aml => config.aml_api,
            Module::Device => config.device_fingerprinting,
            Module::Card => config.bin_api,
        };
        flag.unwrap_or(true)
    }

    /// The core's view of the request: attributes as the rules see them (absent ones left
    /// out), custom fields, the session string, the module switches, and the customer's IP.
    pub fn into_event(self) -> Result<FraudEvent, Error> {
        let mut modules = ModuleSwitches::all_on();
        for module in Module::ALL {
            modules.set(module, self.module_enabled(module));
        }
        let custom = match &self.custom_fields {
            Some(fields) => serde_json::to_value(fields).map_err(Error::internal)?,
            None => Value::Object(Map::new()),
        };
        let device_data = self.session.clone();
        let ip = self.ip.clone();
        let mut request = serde_json::to_value(&self).map_err(Error::internal)?;
        drop_nulls(&mut request);
        let Value::Object(mut request) = request else { return Err(Error::internal("request is not an object")) };
        for part in ["config", "custom_fields", "session"] {
            request.remove(part);
        }
        Ok(FraudEvent {
            request,
            custom: custom.as_object().cloned().unwrap_or_default(),
            device_data,
            modules,
            context: RequestContext { ip, user_agent: None },
        })
    }
}

/// Absent attributes are left out rather than null, so rules see them as absent.
fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            fields.retain(|_, v| !v.is_null());
            fields.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::json::parse;

    #[test]
    fn wrong_types_name_the_attribute() {
        let err = parse::<FraudRequest>(br#"{"transaction_amount": "lots"}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("transaction_amount"));
        let err = parse::<FraudRequest>(br#"{"custom_fields": {"nested": {"a": 1}}}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("custom_fields.nested"));
        let err = parse::<FraudRequest>(br#"{"items": [{"item_price": "x"}]}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("items[0].item_price"));
        let err = parse::<FraudRequest>(br#"{"cvv_result": "yes"}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("cvv_result"));
    }

    #[test]
    fn unknown_attributes_are_ignored_and_dates_checked() {
        let ok: FraudRequest =
            parse(br#"{"email": "a@b.c", "something_new": 1, "custom_fields": {"x": 1, "y": "z", "n": null}}"#)
                .unwrap();
        assert!(ok.validate().is_ok());
        let bad: FraudRequest = parse(br#"{"user_dob": "02/08/1990"}"#).unwrap();
        assert_eq!(bad.validate().unwrap_err().field.as_deref(), Some("user_dob"));
        let bad: FraudRequest = parse(br#"{"card_expire": "2030-13"}"#).unwrap();
        assert_eq!(bad.validate().unwrap_err().field.as_deref(), Some("card_expire"));
    }

    #[test]
    fn the_event_leaves_out_absent_attributes_and_the_session() {
        let r: FraudRequest = parse(
            br#"{"email": "a@b.c", "session": "Web;x", "config": {"aml_api": false},
                 "custom_fields": {"tier": "gold"}, "items": [{"item_id": "1"}]}"#,
        )
        .unwrap();
        let event = r.into_event().unwrap();
        assert_eq!(event.request.get("email").and_then(Value::as_str), Some("a@b.c"));
        assert!(!event.request.contains_key("session") && !event.request.contains_key("config"));
        assert!(!event.request.contains_key("ip"));
        assert_eq!(event.request["items"][0], serde_json::json!({"item_id": "1"}));
        assert_eq!(event.custom["tier"], "gold");
        assert_eq!(event.device_data.as_deref(), Some("Web;x"));
        assert!(!event.modules.is_on(Module::Aml) && event.modules.is_on(Module::Card));
    }

    #[test]
    fn modules_default_on() {
        let r: FraudRequest = parse(br#"{"config": {"email_api": false}}"#).unwrap();
        assert!(r.module_enabled(Module::Ip));
        assert!(!r.module_enabled(Module::Email));
    }
}
