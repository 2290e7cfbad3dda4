//! One behavioural contract, run against SQLite and against a real PostgreSQL. Each check is
//! an async function over `&dyn Store`; the macro at the bottom instantiates it per backend.

use sightline_core::tenant::hash_api_key;
use sightline_core::{Id, NewApiKey, ResourceKind, Store, Tenant, TenantMode};
use sightline_store::{PgStore, SqliteStore};

async fn ping_and_backend(store: &dyn Store) {
    store.ping().await.unwrap();
    assert!(["sqlite", "postgres"].contains(&store.backend()));
}

async fn tenants_round_trip(store: &dyn Store) {
    assert!(store.tenants().await.unwrap().is_empty());
    let a = Tenant::new("alpha", TenantMode::Test).unwrap();
    let b = Tenant::new("beta", TenantMode::Live).unwrap();
    store.insert_tenant(&a).await.unwrap();
    store.insert_tenant(&b).await.unwrap();
    assert_eq!(store.tenant(&a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(store.tenant_by_name("beta").await.unwrap(), Some(b.clone()));
    assert_eq!(store.tenant(&Id::new(ResourceKind::Tenant)).await.unwrap(), None);
    let names: Vec<_> = store.tenants().await.unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"alpha".to_owned()) && names.contains(&"beta".to_owned()));
}

async fn duplicate_tenant_name_is_a_conflict(store: &dyn Store) {
    store.insert_tenant(&Tenant::new("same", TenantMode::Test).unwrap()).await.unwrap();
    let err = store.insert_tenant(&Tenant::new("same", TenantMode::Test).unwrap()).await.unwrap_err();
    assert_eq!(err.status(), 409);
    assert_eq!(store.tenants().await.unwrap().len(), 1);
}

async fn api_keys_authenticate_until_revoked(store: &dyn Store) {
    let tenant = Tenant::new("keys", TenantMode::Test).unwrap();
    store.insert_tenant(&tenant).await.unwrap();
    let key = NewApiKey::generate(&tenant, "first");
    store.insert_api_key(&key.key, &key.secret_hash).await.unwrap();

    let auth = store.authenticate(&hash_api_key(&key.secret)).await.unwrap().unwrap();
    assert_eq!(auth.tenant, tenant);
    assert_eq!(auth.key_id, key.key.id);
    assert!(store.authenticate(&hash_api_key("sl_test_wrong")).await.unwrap().is_none());

    let listed = store.api_keys(&tenant.id).await.unwrap();
    assert_eq!(listed, vec![key.key.clone()]);

    assert!(store.revoke_api_key(&tenant.id, &key.key.id).await.unwrap());
    assert!(!store.revoke_api_key(&tenant.id, &key.key.id).await.unwrap(), "second revoke is a no-op");
    assert!(store.authenticate(&hash_api_key(&key.secret)).await.unwrap().is_none());
    assert!(store.api_keys(&tenant.id).await.unwrap()[0].revoked_at.is_some());
}

async fn keys_are_scoped_to_their_tenant(store: &dyn Store) {
    let a = Tenant::new("a", TenantMode::Test).unwrap();
    let b = Tenant::new("b", TenantMode::Test).unwrap();
    store.insert_tenant(&a).await.unwrap();
    store.insert_tenant(&b).await.unwrap();
    let key_a = NewApiKey::generate(&a, "a");
    store.insert_api_key(&key_a.key, &key_a.secret_hash).await.unwrap();
    assert!(store.api_keys(&b.id).await.unwrap().is_empty());
    assert!(!store.revoke_api_key(&b.id, &key_a.key.id).await.unwrap());
    assert!(store.authenticate(&key_a.secret_hash).await.unwrap().is_some());
}

async fn sqlite_store() -> (SqliteStore, tempfile::TempDir) {
    let (url, dir) = sightline_testkit::temp_sqlite();
    let store = SqliteStore::open(&url).await.unwrap();
    store.migrate().await.unwrap();
    store.migrate().await.unwrap(); // idempotent
    (store, dir)
}

async fn pg_store() -> PgStore {
    let url = sightline_testkit::fresh_pg_database().await;
    let store = PgStore::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    store
}

macro_rules! conformance {
    ($($check:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $check() {
                    let (store, _dir) = super::sqlite_store().await;
                    super::$check(&store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $check() {
                    let store = super::pg_store().await;
                    super::$check(&store).await;
                }
            )*
        }
    };
}

conformance!(
    ping_and_backend,
    tenants_round_trip,
    duplicate_tenant_name_is_a_conflict,
    api_keys_authenticate_until_revoked,
    keys_are_scoped_to_their_tenant,
);
