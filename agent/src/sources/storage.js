// Which client storages work. Blocked storage is common with privacy settings and some bots.
function works(fn) {
  try {
    return !!fn();
  } catch (e) {
    return false;
  }
}

function storageWorks(name) {
  return works(() => {
    const s = window[name];
    s.setItem('_sl_t', '1');
    s.removeItem('_sl_t');
    return true;
  });
}

export default {
  name: 'storage',
  collect: () => ({
    cookies: !!navigator.cookieEnabled,
    local_storage: storageWorks('localStorage'),
    session_storage: storageWorks('sessionStorage'),
    indexed_db: works(() => window.indexedDB),
    open_database: typeof window.openDatabase === 'function',
    cache_storage: works(() => window.caches),
  }),
};
