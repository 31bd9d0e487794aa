'use strict';
// What the tests share: flinks-onboard simulate (the offline Flinks, found through $FLINKS_ONBOARD, else as
// flinks-onboard on the PATH), this project's server on a free port configured for it, a small browser with
// cookies, and a customer who goes through the simulator's Connect pages, which are plain forms.

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { loadConfig, parseDuration } = require('./config');
const { createApp } = require('./app');
const settings = require('./settings');

const WEBHOOK_SECRET = 'whsec-test-only';
const SKIP = 'flinks-onboard not found: set FLINKS_ONBOARD to its path or put it on the PATH to run the flow against its simulator';

// flinksOnboard is the path of flinks-onboard, or '' when there is none.
function flinksOnboard() {
  if (process.env.FLINKS_ONBOARD) return process.env.FLINKS_ONBOARD;
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, os.platform() === 'win32' ? 'flinks-onboard.exe' : 'flinks-onboard');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return '';
}

// withCleanup runs body(t, defer) and then, whatever happened, each function given to defer, last first.
function withCleanup(body) {
  return async (t) => {
    const cleanups = [];
    try {
      await body(t, (fn) => cleanups.push(fn));
    } finally {
      for (const fn of cleanups.reverse()) await fn();
    }
  };
}

// flow is a test that needs the simulator: skipped, saying why, without flinks-onboard.
function flow(body) {
  return withCleanup(async (t, defer) => {
    const bin = flinksOnboard();
    if (!bin) {
      t.skip(SKIP);
      return;
    }
    await body(t, defer, bin);
  });
}

// startSimulator starts simulate on a free port, delivering signed webhooks to webhookURL, and reads what it
// prints: its URL, customerId, keys, poll interval and test users.
function startSimulator(bin, defer, webhookURL, extra = []) {
  const child = spawn(bin, ['simulate', '--addr', '127.0.0.1:0', '--readiness', '1s', '--webhook-url', webhookURL,
    '--webhook-secret-env', 'FLINKS_WEBHOOK_SECRET', ...extra],
  { env: { ...process.env, FLINKS_WEBHOOK_SECRET: WEBHOOK_SECRET }, stdio: ['ignore', 'pipe', 'inherit'] });
  defer(() => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill();
  }));
  const sim = { loginIds: {}, printed: [] };
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    let ready = false;
    lines.on('line', (line) => {
      sim.printed.push(line);
      if (ready) return; // its delivery log, kept in sim.printed
      let m;
      if ((m = /^Flinks simulator listening on (\S+) \(customerId (\S+)\)/.exec(line))) [, sim.apiURL, sim.customerId] = m;
      else if ((m = /^Poll interval: wait (\S+) after/.exec(line))) sim.pollIntervalMs = parseDuration(m[1]);
      else if ((m = /FLINKS_SECRET_KEY=(\S+) FLINKS_API_KEY=(\S+)/.exec(line))) [, sim.secretKey, sim.apiKey] = m;
      else if ((m = /^ {2}(\S+)\s+([0-9a-f-]{36})$/.exec(line))) sim.loginIds[m[1]] = m[2];
      else if (line.startsWith('Security answers')) {
        ready = true;
        if (!sim.apiURL || !sim.secretKey || !(sim.pollIntervalMs > 0) || !sim.loginIds.greatday_nomfa) {
          reject(new Error(`could not read the simulator's address, keys, poll interval and test users:\n${sim.printed.join('\n')}`));
        } else {
          resolve(sim);
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!ready) reject(new Error(`flinks-onboard simulate exited (${code}) before it was ready:\n${sim.printed.join('\n')}`));
    });
  });
}

// testSettings are the generated settings made fit for the simulator: a sandbox (the simulator is on the loopback,
// which a production project refuses) with demo=true (the simulator lists its test bank only then).
function testSettings() {
  const query = new URLSearchParams(settings.connectQuery);
  query.set('demo', 'true');
  return { ...settings, environmentKind: 'sandbox', connectQuery: query.toString() };
}

// startRecordingProxy stands between this server and the simulator and notes when each API call arrives (calls:
// {endpoint, method, at, body}), so that a test sees the gaps between the GetAccountsDetailAsync calls as the
// simulator receives them (simulate logs no API call itself), and what each call sent (body: its parsed JSON once
// it has arrived, kept in memory only).
async function startRecordingProxy(defer, target) {
  const to = new URL(target);
  const calls = [];
  const server = http.createServer((req, res) => {
    const endpoint = new URL(req.url, to).pathname.split('/BankingServices/')[1] || '';
    const call = { endpoint: endpoint.split('/')[0], method: req.method, at: performance.now(), body: undefined };
    calls.push(call);
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      try {
        call.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        call.body = null;
      }
    });
    const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url,
      headers: { ...req.headers, host: to.host } }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (err) => {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`recording proxy: ${err.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(() => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  }));
  return { url: `http://127.0.0.1:${server.address().port}`, calls };
}

// startBackend listens on a free port at once (the simulator needs the webhook URL first); configure(sim, env, deps,
// query) then builds the app for the simulator the way the environment would (query: Connect parameters added to
// the generated ones, e.g. language=fr), its API calls going through a recording proxy (calls), its log kept (logs)
// and each verified webhook's ResponseType in webhooks. server is the http.Server, for a test that watches requests
// arrive.
async function startBackend(defer) {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(() => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  }));
  const b = { url: `http://127.0.0.1:${server.address().port}`, server, calls: [], logs: [], webhooks: [] };
  const waiters = [];
  b.configure = async (sim, env = {}, deps = {}, query = '') => {
    const proxy = await startRecordingProxy(defer, sim.apiURL);
    b.calls = proxy.calls;
    b.env = {
      FLINKS_API_URL: proxy.url, FLINKS_IFRAME_URL: `${sim.apiURL}/v2/`, FLINKS_CUSTOMER_ID: sim.customerId,
      FLINKS_SECRET_KEY: sim.secretKey, FLINKS_API_KEY: sim.apiKey, FLINKS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      FLINKS_LOGIN_FILE: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flinks-backend-test-')), 'logins.json'),
      FLINKS_POLL_INTERVAL: `${sim.pollIntervalMs}ms`,
      FLINKS_EXPRESS_URL: 'https://express.invalid/', // not simulated: the Express tests start a fake of their own
      ...env,
    };
    defer(() => fs.rmSync(path.dirname(b.env.FLINKS_LOGIN_FILE), { recursive: true, force: true }));
    const chosen = testSettings();
    for (const [name, value] of new URLSearchParams(query)) chosen.connectQuery += `&${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
    b.config = loadConfig(b.env, chosen);
    b.app = createApp(b.config, {
      log: (line) => b.logs.push(line),
      onWebhook: (kind) => {
        b.webhooks.push(kind);
        for (const w of waiters.splice(0)) w();
      },
      ...deps,
    });
    server.on('request', b.app.handle);
    return b;
  };
  // webhook waits for a verified webhook of the given ResponseType.
  b.webhook = async (kind, timeoutMs = 30000) => {
    const deadline = Date.now() + timeoutMs;
    while (!b.webhooks.includes(kind)) {
      if (Date.now() > deadline) throw new Error(`no signed ${kind} webhook reached the back end in ${timeoutMs} ms`);
      await new Promise((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 1000);
      });
    }
  };
  return b;
}

// Browser keeps cookies per host, as a browser does, and never follows redirects by itself. Every JSON answer it
// receives must carry Cache-Control: no-store (docs/backend.md of flinks-onboard): it may hold account data.
class Browser {
  constructor() {
    this.cookies = new Map(); // host → Map(name → {value, path, attributes})
  }

  async request(method, target, { body, headers = {}, follow = false } = {}) {
    const u = new URL(target);
    const jar = this.cookies.get(u.host) || new Map();
    const sent = [...jar.entries()].filter(([, c]) => u.pathname.startsWith(c.path)).map(([n, c]) => `${n}=${c.value}`);
    const h = { ...headers };
    if (sent.length > 0) h.Cookie = sent.join('; ');
    const resp = await fetch(u, { method, headers: h, body, redirect: 'manual' });
    const setCookies = typeof resp.headers.getSetCookie === 'function' ? resp.headers.getSetCookie()
      : (resp.headers.get('set-cookie') || '').split(/,(?=\s*[A-Za-z0-9_-]+=)/).filter(Boolean);
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const attributes = attrs.map((a) => a.toLowerCase());
      const p = (attrs.find((a) => /^path=/i.test(a)) || 'Path=/').slice(5);
      if (attributes.includes('max-age=0')) jar.delete(name);
      else jar.set(name, { value: pair.slice(eq + 1), path: p, attributes });
    }
    this.cookies.set(u.host, jar);
    const answer = { status: resp.status, headers: resp.headers, text: await resp.text(), url: u.toString() };
    if (/json/i.test(resp.headers.get('content-type') || '')) {
      assert.match(resp.headers.get('cache-control') || '', /no-store/, `${method} ${u.pathname} answered JSON without Cache-Control: no-store`);
    }
    answer.location = resp.headers.get('location') ? new URL(resp.headers.get('location'), u).toString() : '';
    if (follow && answer.status >= 300 && answer.status < 400 && answer.location) {
      return this.request('GET', answer.location, { follow });
    }
    return answer;
  }

  get(target, opts) {
    return this.request('GET', target, opts);
  }

  postJSON(target, value) {
    return this.request('POST', target, { body: JSON.stringify(value), headers: { 'Content-Type': 'application/json' } });
  }

  postForm(target, values, opts = {}) {
    return this.request('POST', target, { ...opts, body: new URLSearchParams(values).toString(),
      headers: { ...opts.headers, 'Content-Type': 'application/x-www-form-urlencoded' } });
  }

  cookie(host, name) {
    return (this.cookies.get(host) || new Map()).get(name);
  }
}

// The simulator's test answers, by a word of the question (docs: the test institution's Montreal, Canada, Triangle).
const TEST_ANSWERS = { city: 'Montreal', country: 'Canada', shape: 'Triangle' };

function answerTo(prompt) {
  const p = prompt.toLowerCase();
  const word = Object.keys(TEST_ANSWERS).find((w) => p.includes(w));
  assert.ok(word, `no test answer for the question ${JSON.stringify(prompt)}`);
  return TEST_ANSWERS[word];
}

function unescapeHTML(s) {
  return s.replace(/&(amp|lt|gt|quot|#39|#34);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#34': '"' })[e]);
}

// playForms plays the customer on the simulator's Connect pages, or its bank's OAuth pages, from page (the answer
// at url): consent, the test bank, the username with the test password, the security questions if any. It stops
// at the first answer that leaves the simulator's forms (a redirect, or the page's script navigating) and returns
// {answer, navigate, events, asked}.
async function playForms(browser, first, username) {
  let answer = first;
  const asked = [];
  for (let step = 0; step < 12; step++) {
    const page = answer.text;
    const script = /id="flinks-page">([^<]*)<\/script>/.exec(page);
    const events = /id="flinks-events">([^<]*)<\/script>/.exec(page);
    const navigate = script ? JSON.parse(script[1]).navigate : '';
    if (navigate || answer.location || answer.status !== 200) {
      return { answer, navigate: navigate || '', events: events ? JSON.parse(events[1]) : [], asked };
    }
    const session = /name="session" value="([^"]+)"/.exec(page);
    if (!session) {
      if (events && JSON.parse(events[1]).some((e) => e.step === 'REDIRECT')) {
        return { answer, navigate: '', events: JSON.parse(events[1]), asked };
      }
      assert.fail(`a page without a form:\n${page.slice(0, 600)}`);
    }
    const form = new URLSearchParams({ session: session[1] });
    if (page.includes('value="accept-consent"')) {
      form.set('action', 'accept-consent');
    } else if (page.includes('id="institution-FlinksCapital"')) {
      form.set('action', 'institution');
      form.set('institution', 'FlinksCapital');
    } else if (page.includes('id="password"')) {
      form.set('action', 'credentials');
      form.set('username', username);
      form.set('password', 'Everyday');
    } else if (/id="question(-\d+)?">/.test(page)) {
      form.set('action', 'answer');
      for (const [, q] of page.matchAll(/id="question(?:-\d+)?">([^<]*)</g)) {
        const prompt = unescapeHTML(q);
        asked.push(prompt);
        form.append('answer', answerTo(prompt));
      }
    } else {
      assert.fail(`a page this test does not know:\n${page.slice(0, 600)}`);
    }
    const action = /<form method="post" action="([^"]*)"/.exec(page);
    answer = await browser.postForm(new URL(action ? unescapeHTML(action[1]) : './', answer.url).toString(), form);
  }
  assert.fail('the simulator\'s pages never sent the browser back');
}

// fetchAccounts reads /api/accounts as the customer's browser and checks it (checkAccounts).
async function fetchAccounts(b, browser, loginId) {
  const before = b.calls.length;
  return checkAccounts(b, await browser.get(`${b.url}/api/accounts`), loginId, before);
}

// checkAccounts checks an accounts answer for what every product promises: the accounts, never the loginId, a
// 0600 login file, a loginId never logged in full, and GetAccountsDetailAsync called no sooner than the poll
// interval after each 202 (the calls since the index before).
function checkAccounts(b, answer, loginId, before) {
  assert.equal(answer.status, 200, `the accounts answered ${answer.status}: ${answer.text}`);
  const body = JSON.parse(answer.text);
  assert.ok(Array.isArray(body.accounts) && body.accounts.length > 0, `no accounts: ${answer.text.slice(0, 300)}`);
  assert.equal(body.institution, 'FlinksCapital');
  assert.ok(!answer.text.includes(loginId), 'the loginId was sent to the browser');
  const numbers = body.accounts.map((a) => a.AccountNumber);
  assert.ok(numbers.some((n) => typeof n === 'string'), `no AccountNumber in the accounts: ${answer.text.slice(0, 300)}`);
  for (const n of numbers) {
    assert.ok(n === null || n === undefined || /^••••(.{4})?$/u.test(n), `an AccountNumber is not masked to its last 4 characters: ${n}`);
  }
  assert.equal(fs.statSync(b.config.loginFile).mode & 0o777, 0o600, 'the login file must be readable by its owner only');
  checkPolling(b, b.calls.slice(before));
  for (const line of b.logs) assert.ok(!line.includes(loginId), `a log line holds the whole loginId: ${line}`);
  assert.ok(b.logs.some((line) => line.includes(`…${loginId.slice(-4)}`)), 'the log never names the login by its last 4 characters');
  return body;
}

// checkPolling: the simulator answers 202 for a second after /Authorize, so the back end polled, each time at least
// the configured interval after the call before (the 202 of GetAccountsDetail, then of each poll).
function checkPolling(b, calls) {
  const data = calls.filter((c) => c.endpoint === 'GetAccountsDetail' || c.endpoint === 'GetAccountsDetailAsync');
  assert.ok(data.length > 0 && data[0].endpoint === 'GetAccountsDetail', 'GetAccountsDetail must come first');
  const polls = data.filter((c) => c.endpoint === 'GetAccountsDetailAsync');
  assert.ok(polls.length > 0, 'the back end never polled GetAccountsDetailAsync; the simulator answers 202 for a second');
  for (let i = 1; i < data.length; i++) {
    const gap = data[i].at - data[i - 1].at;
    assert.ok(gap >= b.config.pollIntervalMs - 5, `GetAccountsDetailAsync called ${gap.toFixed(0)} ms after the call before; the interval is ${b.config.pollIntervalMs} ms`);
  }
}

// deleteLogin: DeleteCard through the back end, then nothing is linked here and the simulator no longer knows the
// loginId.
async function deleteLogin(b, browser, loginId) {
  const answer = await browser.request('POST', `${b.url}/api/delete`);
  assert.equal(answer.status, 200, `/api/delete answered ${answer.status}: ${answer.text}`);
  assert.deepEqual(JSON.parse(answer.text), { deleted: 'ok' });
  const after = await browser.get(`${b.url}/api/accounts`);
  assert.equal(after.status, 404, `after DeleteCard /api/accounts answered ${after.status}: ${after.text}`);
  await assert.rejects(b.app.flinks.authorize(loginId), (err) => err.flinksCode === 'INVALID_LOGIN',
    'the simulator still authorizes the deleted loginId');
}

// startAbsentFlinks stands for Flinks where a test never means to reach it: a server on the loopback answering every
// call 503, so that a call made by mistake fails at once without leaving this computer. It returns what configure
// takes in place of a simulator.
async function startAbsentFlinks(defer) {
  const server = http.createServer((req, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json' });
    res.end('{"FlinksCode":"UNAVAILABLE","Message":"no Flinks in this test"}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(() => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  }));
  return { apiURL: `http://127.0.0.1:${server.address().port}`, customerId: 'c', secretKey: 's', apiKey: 'k', pollIntervalMs: 10000 };
}

// A loginId of the right shape that no one linked: kept by mistake, /api/accounts would then ask Flinks about it
// instead of answering 404.
const STRANGER_LOGIN = '0badc0de-0000-4000-8000-000000000000';

// checkRedirectNonce checks GET /flinks/redirect/<nonce> (Connect, Express): issue(browser, headers) sends browser
// to the step that gives it a redirect URL and returns that URL. Each URL ends in a fresh random nonce of at least
// 128 bits, kept in an HttpOnly, SameSite=Lax cookie (Secure behind an HTTPS front end); a wrong or missing nonce,
// a browser without the cookie, and a nonce already used are refused with 403 and keep nothing.
async function checkRedirectNonce(b, issue) {
  const host = new URL(b.url).host;
  const nonceOf = (target) => {
    const u = new URL(target);
    assert.ok(u.pathname.startsWith('/flinks/redirect/'), `the redirect URL ${target} is not /flinks/redirect/<nonce>`);
    return u.pathname.slice('/flinks/redirect/'.length);
  };
  const nothingKept = async (browser, why) => {
    const answer = await browser.get(`${b.url}/api/accounts`);
    assert.equal(answer.status, 404, `${why}: a loginId was kept (/api/accounts answered ${answer.status})`);
  };

  const browser = new Browser();
  const first = await issue(browser);
  const target = await issue(browser);
  const nonce = nonceOf(target);
  assert.ok(/^[A-Za-z0-9_-]+$/.test(nonce) && Buffer.from(nonce, 'base64url').length >= 16, `the nonce ${nonce} is not URL-safe Base64 of at least 128 bits`);
  assert.notEqual(nonceOf(first), nonce, 'each redirect URL needs a fresh nonce');
  assert.equal(target, `${b.url}/flinks/redirect/${nonce}`);
  const cookie = browser.cookie(host, 'flinks_redirect');
  assert.ok(cookie && cookie.value === nonce, 'the nonce is kept in the flinks_redirect cookie');
  assert.ok(cookie.attributes.includes('httponly') && cookie.attributes.includes('samesite=lax') && !cookie.attributes.includes('secure'),
    `the flinks_redirect cookie is HttpOnly and SameSite=Lax: ${cookie.attributes}`);
  const behindHTTPS = new Browser();
  const secure = await issue(behindHTTPS, { 'X-Forwarded-Proto': 'https' });
  assert.ok(secure.startsWith(`https://${host}/flinks/redirect/`), `behind an HTTPS front end the redirect URL is https: ${secure}`);
  assert.ok(behindHTTPS.cookie(host, 'flinks_redirect').attributes.includes('secure'), 'behind an HTTPS front end the cookie is Secure');

  const withLogin = (u, loginId = STRANGER_LOGIN) => `${u}?loginId=${loginId}&institution=FlinksCapital`;
  const wrong = `${nonce.slice(0, -1)}${nonce.endsWith('A') ? 'B' : 'A'}`;
  const cases = [
    ['a wrong nonce', browser, withLogin(`${b.url}/flinks/redirect/${wrong}`)],
    ['the nonce of an earlier visit', browser, withLogin(first)],
    ['no nonce', browser, withLogin(`${b.url}/flinks/redirect/`)],
    ['another browser, without the cookie', new Browser(), withLogin(target)],
  ];
  for (const [why, who, u] of cases) {
    const answer = await who.get(u);
    assert.equal(answer.status, 403, `${why}: the redirect answered ${answer.status}`);
    await nothingKept(who, why);
  }
  // The cookie alone is not enough either: this server gave the nonce to this customer.
  const jar = browser.cookies.get(host);
  const other = new Browser();
  await issue(other);
  other.cookies.get(host).set('flinks_redirect', { ...jar.get('flinks_redirect') });
  assert.equal((await other.get(withLogin(target))).status, 403, 'another customer holding a copy of the cookie');
  await nothingKept(other, 'another customer holding a copy of the cookie');
  // Nor the nonce without its cookie, or with another value in it, from the right customer.
  const saved = jar.get('flinks_redirect');
  jar.delete('flinks_redirect');
  assert.equal((await browser.get(withLogin(target))).status, 403, 'the right customer without the cookie');
  await nothingKept(browser, 'the right customer without the cookie');
  jar.set('flinks_redirect', { ...saved, value: nonceOf(first) });
  assert.equal((await browser.get(withLogin(target))).status, 403, 'the right customer with an earlier nonce in the cookie');
  await nothingKept(browser, 'the right customer with an earlier nonce in the cookie');
  jar.set('flinks_redirect', saved);

  // Used once: a first use (here with a loginId that is not one) spends it, even when the cookie comes back.
  assert.equal((await browser.get(withLogin(target, 'not-a-loginId'))).status, 400, 'a redirect without a valid loginId');
  assert.equal(browser.cookie(host, 'flinks_redirect'), undefined, 'the cookie is cleared once the nonce is used');
  jar.set('flinks_redirect', saved);
  const again = await browser.get(withLogin(target));
  assert.equal(again.status, 403, `a nonce used a second time answered ${again.status}`);
  await nothingKept(browser, 'a nonce used a second time');
  assert.equal(b.calls.filter((c) => c.endpoint === 'Authorize').length, 0, 'a refused redirect must not reach Flinks');
}

function sign(body, secret) {
  return crypto.createHmac('sha256', secret).update(body).digest('base64');
}

module.exports = {
  WEBHOOK_SECRET, SKIP, flinksOnboard, withCleanup, flow, startSimulator, startRecordingProxy, startBackend, testSettings, Browser,
  answerTo, playForms, fetchAccounts, checkAccounts, checkPolling, deleteLogin, sign, STRANGER_LOGIN, checkRedirectNonce, startAbsentFlinks,
};
