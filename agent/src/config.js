// Where the server's public key comes from, in order:
//  1. baked in: the server replaces the literal below (quotes included) with a JSON object
//     {"key_id":…, "public_key":"…", "endpoint":"…"} when it serves the agent;
//  2. init({agentConfig: {key_id, public_key}});
//  3. GET <endpoint>/agent/v1/config, endpoint = init({endpoint}) or the agent script's origin.
// The literal must appear exactly once in each bundle (build.mjs checks).
const BAKED = { c: "__SIGHTLINE_AGENT_CONFIG__" };

export function bakedConfig() {
  const c = BAKED.c;
  return c && typeof c === 'object' ? c : null;
}

function originOf(url) {
  try {
    const o = new URL(url).origin;
    return o && o !== 'null' ? o : null;
  } catch (e) {
    return null;
  }
}

/**
 * @param opts       init options (agentConfig, endpoint, tenant)
 * @param scriptUrl  URL the agent was loaded from, if known
 * @param timeoutMs  bound on the config fetch
 * @returns {Promise<{key_id: number, public_key: string}>}
 */
export async function resolveAgentConfig(opts, scriptUrl, timeoutMs) {
  const baked = bakedConfig();
  if (baked) return baked;
  if (opts.agentConfig) return opts.agentConfig;
  const endpoint = opts.endpoint || originOf(scriptUrl);
  if (!endpoint) {
    throw new Error(
      'Sightline: no public key: serve the agent from the Sightline server, or pass init({agentConfig}) or init({endpoint})',
    );
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(endpoint.replace(/\/+$/, '') + '/agent/v1/config', {
      credentials: 'omit',
      signal: abort.signal,
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return await res.json();
  } catch (e) {
    throw new Error(`Sightline: could not load agent config from ${endpoint}: ${e.message}`);
  } finally {
    clearTimeout(timer);
  }
}
