// The real `sightline` binary for browser end-to-end tests: one server process per test file
// on a fresh SQLite file, listening on 127.0.0.1 only, plus its CLI on the same database.
// Build it first at the repository root: `cargo build -p sightline-server` (or point
// SIGHTLINE_BIN at another build).
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = process.env.SIGHTLINE_BIN || join(REPO_ROOT, 'target', 'debug', 'sightline');

// A developer's SIGHTLINE_* variables (database, listen address, config file) must not leak
// into the test server.
function cleanEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('SIGHTLINE_')) delete env[name];
  return env;
}

function needBinary() {
  if (!existsSync(BIN)) {
    throw new Error(
      `sightline binary not found at ${BIN}. Build it first at the repository root with ` +
        '`cargo build -p sightline-server`, or set SIGHTLINE_BIN to a built binary.',
    );
  }
}

/**
 * Starts `sightline serve` on 127.0.0.1:0 against a fresh SQLite database.
 * @returns {{origin, databaseUrl, cli(args), api(key), stop()}}
 */
export async function startSightline() {
  needBinary();
  const dir = mkdtempSync(join(tmpdir(), 'sightline-e2e-'));
  const databaseUrl = `sqlite://${join(dir, 'sightline.db')}`;
  const env = cleanEnv();
  // cwd = the temp dir, so that no ./sightline.toml of the developer is picked up.
  const child = spawn(BIN, ['--database-url', databaseUrl, '--log-level', 'warn', 'serve', '--listen', '127.0.0.1:0'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20000)));
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));

  const origin = await new Promise((resolveOrigin, reject) => {
    const timer = setTimeout(() => reject(new Error(`sightline did not start within 60 s\n${stdout}\n${stderr}`)), 60_000);
    // Kept draining after start so that the server never blocks on a full pipe.
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolveOrigin(m[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`sightline exited (code ${code}, signal ${signal}) before listening\n${stdout}\n${stderr}`));
    });
  });

  async function cli(args) {
    const { stdout: out } = await run(BIN, ['--database-url', databaseUrl, '--output', 'json', ...args], {
      cwd: dir,
      env,
    });
    return JSON.parse(out);
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  }

  return { origin, databaseUrl, cli, api: (key) => apiClient(origin, key), stop, stderr: () => stderr };
}

/** A Solaris-dialect client: every call resolves to {status, body}. */
export function apiClient(origin, key) {
  async function call(method, path, body) {
    const res = await fetch(origin + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = text;
    }
    return { status: res.status, body: json };
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    patch: (path, body) => call('PATCH', path, body),
  };
}

/** A tenant created through the CLI, as a partner's operator would. */
export async function createTenant(server, name, mode) {
  const out = await server.cli(['tenants', 'create', '--name', name, '--mode', mode]);
  return { id: out.tenant.id, key: out.api_key, api: server.api(out.api_key) };
}

/** An API key for the `demo` tenant, to read what the demo stored through the public API. */
export async function demoKey(server) {
  const out = await server.cli(['keys', 'create', '--tenant', 'demo', '--label', 'e2e']);
  return server.api(out.api_key);
}

// ---- driving the demo page

/** Types like a person: each key held ~30 ms, ~50 ms between keys. */
export async function typeLikeAPerson(page, selector, text) {
  await page.click(selector);
  for (const ch of text) {
    await page.keyboard.press(ch, { delay: 30 });
    await page.waitForTimeout(50);
  }
}

export async function openDemo(page, origin) {
  await page.goto(`${origin}/demo`);
  await page.waitForFunction(() => ['consent', 'ready'].includes(document.body.dataset.state));
}

/** Accept (or reject) the consent modal in `branch`. */
export async function answerConsent(page, { branch = 'DE', accept = true } = {}) {
  await page.selectOption('#branch', branch);
  await page.click(accept ? '#accept' : '#reject');
}

export async function fillSignup(page) {
  await typeLikeAPerson(page, '#name', 'Erika Muster');
  await typeLikeAPerson(page, '#email', 'erika@example.com');
  await typeLikeAPerson(page, '#phone', '+4915112345678');
  await typeLikeAPerson(page, '#password', 'Correct-Horse-7');
}

/** Submits the form and waits for the page to show the analysis of the new activity. */
export async function submitSignup(page) {
  const before = Number(await page.evaluate(() => document.body.dataset.submissions || 0));
  await page.click('#submit');
  await page.waitForFunction(
    (n) =>
      Number(document.body.dataset.submissions || 0) > n || !!document.querySelector('#notice.notice-error:not([hidden])'),
    before,
    { timeout: 30_000 },
  );
  const error = await page.evaluate(() => document.querySelector('#notice.notice-error:not([hidden])')?.textContent || null);
  if (error) throw new Error(`the demo page shows an error: ${error}`);
  return page.evaluate(() => ({
    activityId: document.body.dataset.activityId,
    activity: JSON.parse(document.querySelector('#raw-json').textContent),
    vetting: document.querySelector('#vetting-status').textContent,
  }));
}
