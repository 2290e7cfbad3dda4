// Launching Debian's Chromium for tests and the benchmark. No traffic may leave 127.0.0.1:
// the flags switch off Chromium's background services, and mDNS host-candidate obfuscation
// (which would announce names by multicast) is disabled so WebRTC gathering stays silent.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const EXECUTABLE = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Our --disable-features replaces Playwright's own list (the last switch wins), so it repeats
// the entries that keep Chromium quiet on the network.
const DISABLED_FEATURES = [
  'WebRtcHideLocalIpsWithMdns', 'MediaRouter', 'DialMediaRouteProvider', 'OptimizationHints',
  'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch', 'Translate', 'LensOverlay',
  'HttpsUpgrades', 'HttpsFirstBalancedModeAutoEnable', 'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose', 'PaintHolding', 'ThirdPartyStoragePartitioning',
  'CertificateTransparencyComponentUpdater', 'InterestFeedContentSuggestions', 'AutofillServerCommunication',
];

export const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--no-pings',
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
];

function need() {
  if (!existsSync(EXECUTABLE)) {
    throw new Error(`Chromium not found at ${EXECUTABLE}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  }
}

/** A throwaway browser (each context is a fresh incognito-like profile). */
export function launch(extraArgs = []) {
  need();
  return chromium.launch({ executablePath: EXECUTABLE, headless: true, args: ARGS.concat(extraArgs) });
}

/**
 * A persistent profile. Without `dir`, a fresh temp dir that close() deletes; with `dir`, that
 * profile is reused and kept (the caller deletes it).
 */
export async function launchPersistent(contextOptions = {}, dir = null) {
  need();
  const own = !dir;
  const userDataDir = dir || mkdtempSync(join(tmpdir(), 'sightline-profile-'));
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: EXECUTABLE,
    headless: true,
    args: ARGS,
    ...contextOptions,
  });
  const close = ctx.close.bind(ctx);
  ctx.close = async () => {
    await close();
    if (own) rmSync(userDataDir, { recursive: true, force: true });
  };
  return ctx;
}

export const tempProfileDir = () => mkdtempSync(join(tmpdir(), 'sightline-profile-'));
