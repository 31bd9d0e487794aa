'use strict';
// The tests every product shares: the webhook's signature, the configuration's rules, the 30-minute cap, Flinks'
// error codes, and the server's first line. The flows of the product are in its own test file.

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { test } = require('node:test');
const { loadConfig, parseDuration, isLoopback } = require('./config');
const { createApp } = require('./app');
const { PollCapError } = require('./flinks');
const { LoginStore } = require('./store');
const settings = require('./settings');
const kit = require('./testkit');

// A configuration for the Toolbox, with every product's variables.
function toolboxEnv() {
  return {
    FLINKS_API_URL: 'https://toolbox-api.private.fin.ag', FLINKS_IFRAME_URL: 'https://toolbox-iframe.private.fin.ag/v2/',
    FLINKS_EXPRESS_URL: 'https://toolbox-express.private.fin.ag/?customerId=c', FLINKS_CUSTOMER_ID: 'c',
    FLINKS_SECRET_KEY: 's', FLINKS_API_KEY: 'k', FLINKS_WEBHOOK_SECRET: kit.WEBHOOK_SECRET,
  };
}

function tempFile(defer, name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flinks-backend-test-'));
  defer(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, name);
}

test('webhook: signed deliveries are answered 200, forged ones 401, before any JSON is read', kit.withCleanup(async (t, defer) => {
  const received = [];
  const env = { ...toolboxEnv(), FLINKS_LOGIN_FILE: tempFile(defer, 'logins.json') };
  const app = createApp(loadConfig(env, kit.testSettings()), { log: () => {}, onWebhook: (kind) => received.push(kind) });
  const server = await new Promise((resolve) => {
    const s = http.createServer(app.handle).listen(0, '127.0.0.1', () => resolve(s));
  });
  defer(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));
  const url = `http://127.0.0.1:${server.address().port}/flinks/webhook`;
  const body = '{"ResponseType":"GetAccountsDetail","HttpStatusCode":200,"Accounts":[]}';
  const cases = [
    ['signed', { 'flinks-authenticity-key': kit.sign(body, kit.WEBHOOK_SECRET) }, body, 200],
    ['signed, the HMAC guide\'s header', { 'X-Flinks-Signature': kit.sign(body, kit.WEBHOOK_SECRET) }, body, 200],
    ['wrong secret', { 'flinks-authenticity-key': kit.sign(body, 'another') }, body, 401],
    ['body changed after signing', { 'flinks-authenticity-key': kit.sign(body, kit.WEBHOOK_SECRET) }, ` ${body}`, 401],
    ['signature cut short', { 'flinks-authenticity-key': kit.sign(body, kit.WEBHOOK_SECRET).slice(0, 20) }, body, 401],
    ['not Base64', { 'flinks-authenticity-key': '!!!!' }, body, 401],
    ['no signature', {}, body, 401],
    ['forged, and not even JSON', { 'flinks-authenticity-key': kit.sign('x', 'another') }, 'not json', 401],
  ];
  for (const [name, headers, sent, want] of cases) {
    const resp = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: sent });
    await resp.text();
    assert.equal(resp.status, want, `${name}: answered ${resp.status}, want ${want}`);
  }
  assert.deepEqual(received, ['GetAccountsDetail', 'GetAccountsDetail'], 'only the 2 signed deliveries are handled');
}));

test('config: from the environment only, 10 s polling against Flinks, production refuses test settings', () => {
  const env = toolboxEnv();
  const sandbox = { ...settings, environmentKind: 'sandbox' };
  assert.equal(loadConfig(env, sandbox).pollIntervalMs, 10000, 'the default interval is Flinks\' 10 s');
  assert.throws(() => loadConfig({ ...env, FLINKS_POLL_INTERVAL: '1s' }, sandbox), /only for flinks-onboard simulate/);
  const local = { ...env, FLINKS_API_URL: 'http://127.0.0.1:8470', FLINKS_POLL_INTERVAL: '250ms' };
  assert.equal(loadConfig(local, sandbox).pollIntervalMs, 250, 'a simulator on this computer may be polled faster');
  assert.throws(() => loadConfig({ ...env, FLINKS_POLL_INTERVAL: 'soon' }, sandbox), /not a positive duration/);
  assert.throws(() => loadConfig({ ...env, FLINKS_API_URL: 'http://toolbox-api.private.fin.ag' }, sandbox), /https/);
  const missing = { ...env };
  delete missing.FLINKS_SECRET_KEY;
  assert.throws(() => loadConfig(missing, sandbox), /FLINKS_SECRET_KEY/);

  const production = { ...settings, environmentKind: 'production', connectQuery: '' };
  const acme = { ...env, FLINKS_API_URL: 'https://acme-api.private.fin.ag', FLINKS_IFRAME_URL: 'https://acme-iframe.private.fin.ag/v2/',
    FLINKS_EXPRESS_URL: 'https://acme-express.private.fin.ag/?customerId=c' };
  assert.equal(loadConfig(acme, production).apiURL, 'https://acme-api.private.fin.ag');
  assert.throws(() => loadConfig(env, production), /not a production Flinks URL/, 'the Toolbox in production');
  assert.throws(() => loadConfig({ ...acme, FLINKS_API_URL: 'http://127.0.0.1:8470' }, production), /not a production Flinks URL/, 'a simulator in production');
  assert.throws(() => loadConfig(acme, { ...production, connectQuery: 'demo=true&language=fr' }), /demo=true/);

  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('1m30s'), 90000);
  assert.ok(Number.isNaN(parseDuration('10')), 'a duration needs its unit');
  assert.ok(isLoopback('http://localhost:1') && isLoopback('http://[::1]:1') && isLoopback('http://[::ffff:127.0.0.1]:1'));
  assert.ok(!isLoopback('https://127.example.com') && !isLoopback('http://[::ffff:10.0.0.1]:1'));
});

// seedLogin links loginId to a new customer as if Flinks had sent it back, and returns a browser that is that customer.
function seedLogin(b, loginId) {
  const customer = 'c0ffee'.padEnd(32, '0');
  new LoginStore(b.config.loginFile).put(customer, loginId);
  const browser = new kit.Browser();
  browser.cookies.set(new URL(b.url).host, new Map([['customer', { value: customer, path: '/', attributes: [] }]]));
  return browser;
}

test('the 30-minute cap: data that never becomes ready ends in 504 after 180 polls 10 s apart', kit.flow(async (t, defer, bin) => {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`, ['--faults', 'never-ready']);
  // The clock advances by Flinks' 10 s at each wait, so the test takes the time of the requests, not 30 minutes.
  let clock = Date.now();
  const waits = [];
  let polls = 0;
  await b.configure(sim, { FLINKS_POLL_INTERVAL: '' }, {
    fetch: (url, init) => {
      if (url.includes('/GetAccountsDetailAsync/') && ++polls > 200) throw new Error('still polling after 200 polls: the 30-minute cap never came');
      return fetch(url, init);
    },
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      if (waits.length > 200) throw new Error('still polling after 200 waits: the 30-minute cap never came');
      clock += ms;
    },
  });
  assert.equal(b.config.pollIntervalMs, 10000);
  const browser = seedLogin(b, sim.loginIds.greatday_nomfa);
  const answer = await browser.get(`${b.url}/api/accounts`);
  assert.equal(answer.status, 504, `/api/accounts answered ${answer.status}: ${answer.text}`);
  assert.equal(waits.length, 180, `${waits.length} polls before giving up, want 180 (30 minutes at 10 s)`);
  assert.ok(waits.every((ms) => ms === 10000), 'each wait is the poll interval');
  assert.equal(polls, 180);
  // The client itself says why, with its own error type.
  const requestId = await b.app.flinks.authorize(sim.loginIds.greatday_nomfa);
  waits.length = 0;
  polls = 0;
  await assert.rejects(b.app.flinks.accountsDetail(requestId), PollCapError);
}));

test('Flinks errors keep their code: a disabled login answers 502 with flinksCode DISABLED_LOGIN', kit.flow(async (t, defer, bin) => {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
  await b.configure(sim);
  const loginId = sim.loginIds.test_disabled_account;
  const answer = await seedLogin(b, loginId).get(`${b.url}/api/accounts`);
  assert.equal(answer.status, 502, `/api/accounts answered ${answer.status}: ${answer.text}`);
  const body = JSON.parse(answer.text);
  assert.equal(body.flinksCode, 'DISABLED_LOGIN');
  assert.equal(body.endpoint, 'Authorize');
  assert.ok(!answer.text.includes(loginId), 'the error sent the loginId to the browser');
  const nothing = await new kit.Browser().get(`${b.url}/api/accounts`);
  assert.equal(nothing.status, 404, 'a browser with nothing linked');
  const noMFA = await new kit.Browser().request('POST', `${b.url}/api/mfa`, { body: '{"answers":{}}' });
  assert.equal(noMFA.status, 409, 'answers when no question was asked');
  assert.deepEqual(JSON.parse(noMFA.text).prompts, []);
}));

// The server's first line of output (stdout; its log goes to stderr) says where it listens: the tests of other tools
// read the port from it. A project generated for production refuses the Toolbox's URLs instead.
test('node server.js says where it listens on its first line, or refuses test settings in production', kit.withCleanup(async (t, defer) => {
  const env = { ...process.env, ...toolboxEnv(), PORT: '0', FLINKS_POLL_INTERVAL: '', FLINKS_LOGIN_FILE: tempFile(defer, 'logins.json') };
  const child = spawn(process.execPath, [path.join(__dirname, 'server.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  defer(() => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill();
  }));
  const closed = new Promise((resolve) => child.once('close', resolve)); // its output read to the end
  let errors = '';
  child.stderr.on('data', (chunk) => { errors += chunk; });
  const first = await new Promise((resolve) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', resolve);
    lines.once('close', () => resolve(''));
  });
  if (settings.environmentKind === 'production') {
    await closed;
    assert.notEqual(child.exitCode, 0);
    assert.match(errors, /not a production Flinks URL/);
    return;
  }
  const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
  assert.ok(m, `the first line is ${JSON.stringify(first)}; stderr: ${errors}`);
  const resp = await fetch(`${m[1]}/api/accounts`);
  assert.equal(resp.status, 404, 'the server answers: nothing is linked yet');
  assert.match(resp.headers.get('set-cookie') || '', /^customer=[0-9a-f]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
  const behindHTTPS = await fetch(`${m[1]}/api/accounts`, { headers: { 'X-Forwarded-Proto': 'https' } });
  assert.match(behindHTTPS.headers.get('set-cookie') || '', /; Secure$/, 'behind an HTTPS front end the cookie is Secure');
}));
