//! The names the shared SQL macros expect in scope where they expand.

pub(crate) use sightline_core::activity::DeviceActivity;
pub(crate) use sightline_core::agent_key::AgentKeyRecord;
pub(crate) use sightline_core::consent::{ConsentEvent, DeviceConsent};
pub(crate) use sightline_core::device::{DeviceLink, DeviceRecord, LinkKind};
pub(crate) use sightline_core::person::Person;
pub(crate) use sightline_core::question::QuestionSet;
pub(crate) use sightline_core::webhook::{
    AttemptOutcome, DeliveryAttempt, DeliveryStatus, DueDelivery, WebhookEvent, WebhookEventType, WebhookSubscription,
};
pub(crate) use sightline_core::{
    ApiKey, AuthContext, ChangeSet, Error, Id, ResourceKind, Result, Tenant, TenantSettings, Timestamp,
};
