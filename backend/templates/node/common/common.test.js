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
const { Flinks, FlinksError, NeedsMFA, PollCapError } = require('./flinks');
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
  // An Express link holding demo=true is a link to the test bank, whatever the settings say.
  const express = { ...production, product: 'express' };
  assert.equal(loadConfig(acme, express).expressURL, acme.FLINKS_EXPRESS_URL);
  for (const link of ['https://acme-express.private.fin.ag/?customerId=c&demo=true', 'https://acme-express.private.fin.ag/?demo=TRUE&customerId=c']) {
    assert.throws(() => loadConfig({ ...acme, FLINKS_EXPRESS_URL: link }, express), /FLINKS_EXPRESS_URL has demo=true/, link);
  }
  assert.equal(loadConfig({ ...acme, FLINKS_EXPRESS_URL: 'https://acme-express.private.fin.ag/?customerId=c&demo=false' }, express).product, 'express');

  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('1m30s'), 90000);
  assert.ok(Number.isNaN(parseDuration('10')), 'a duration needs its unit');
  assert.ok(isLoopback('http://localhost:1') && isLoopback('http://[::1]:1') && isLoopback('http://[::ffff:127.0.0.1]:1'));
  assert.ok(!isLoopback('https://127.example.com') && !isLoopback('http://[::ffff:10.0.0.1]:1'));
});

// seedLogin links loginId to a new customer as if Flinks had sent it back, and returns a browser that is that customer.
function seedLogin(b, loginId, customer = 'c0ffee'.padEnd(32, '0')) {
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
}));

test('POST /api/mfa with no question waiting answers 409 with "prompts": [] before reading the body', kit.withCleanup(async (t, defer) => {
  const b = await kit.startBackend(defer);
  await b.configure(await kit.startAbsentFlinks(defer));
  // Not JSON, and not sent as JSON: read first, it would have been refused with 415.
  const noMFA = await new kit.Browser().request('POST', `${b.url}/api/mfa`, { body: 'not json', headers: { 'Content-Type': 'text/plain' } });
  assert.equal(noMFA.status, 409, `answers when no question was asked: ${noMFA.status} ${noMFA.text}`);
  assert.deepEqual(JSON.parse(noMFA.text).prompts, []);
}));

test('the page POSTs refuse another origin with 403 (X-Forwarded-Proto counted), pass without Origin; the webhook takes none', kit.withCleanup(async (t, defer) => {
  const b = await kit.startBackend(defer);
  await b.configure(await kit.startAbsentFlinks(defer));
  const browser = seedLogin(b, kit.STRANGER_LOGIN);
  const own = b.url;
  const ownHTTPS = b.url.replace('http:', 'https:');
  const cases = [
    ['/api/mfa', { Origin: 'https://evil.example' }, 403],
    ['/api/mfa', { Origin: 'null' }, 403],
    ['/api/mfa', { Origin: own }, 409],
    ['/api/mfa', {}, 409],
    ['/api/delete', { Origin: 'https://evil.example' }, 403],
    ['/api/delete', { Origin: `http://localhost:${new URL(own).port}` }, 403],
    ['/api/delete', { Origin: ownHTTPS }, 403],
    ['/api/delete', { Origin: own, 'X-Forwarded-Proto': 'https' }, 403],
  ];
  for (const [route, headers, want] of cases) {
    const answer = await browser.request('POST', `${b.url}${route}`, { headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
    assert.equal(answer.status, want, `POST ${route} ${JSON.stringify(headers)}: answered ${answer.status} ${answer.text}`);
  }
  assert.equal(b.calls.length, 0, 'a refused POST must not reach Flinks');
  // From this origin behind an HTTPS front end (or without Origin), /api/delete goes on to DeleteCard, which the
  // absent Flinks answers 503: 502 here.
  for (const headers of [{ Origin: ownHTTPS, 'X-Forwarded-Proto': 'https' }, {}]) {
    const answer = await browser.request('POST', `${b.url}/api/delete`, { headers });
    assert.equal(answer.status, 502, `POST /api/delete ${JSON.stringify(headers)}: answered ${answer.status} ${answer.text}`);
  }
  const body = '{"ResponseType":"GetAccountsDetail"}';
  const webhook = await fetch(`${b.url}/flinks/webhook`, { method: 'POST', body,
    headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json', 'flinks-authenticity-key': kit.sign(body, kit.WEBHOOK_SECRET) } });
  assert.equal(webhook.status, 200, 'the webhook is Flinks\', from no page: no Origin check');
}));

// keepFor links loginId to browser's customer through the app's keep, which every product's way back from Flinks
// calls (the redirect URL, the REDIRECT event, the OAuth callback); browser gets a customer cookie first if needed.
function keepFor(b, browser, loginId, newCustomer = 'c0ffee'.padEnd(32, '1')) {
  const host = new URL(b.url).host;
  if (!browser.cookie(host, 'customer')) browser.cookies.set(host, new Map([['customer', { value: newCustomer, path: '/', attributes: [] }]]));
  const customer = browser.cookie(host, 'customer').value;
  const res = { customer, headersSent: false };
  assert.ok(b.app.keep({ headers: { cookie: `customer=${customer}` }, socket: {} }, res, loginId), 'keep refused the loginId');
  return browser;
}

// askGreatday links Greatday to a new customer and runs the live /Authorize as the server does (Custom OAuth's
// callback); the bank's questions are then waiting for that customer. It returns the browser and the NeedsMFA.
async function askGreatday(b, sim) {
  const browser = keepFor(b, new kit.Browser(), sim.loginIds.Greatday);
  const asked = await b.app.flinks.authorize(sim.loginIds.Greatday, { live: true }).then(() => null, (err) => err);
  assert.ok(asked instanceof NeedsMFA, `the live /Authorize of Greatday asked no question: ${asked}`);
  b.app.pendingMFA.set(browser.cookie(new URL(b.url).host, 'customer').value, asked);
  return { browser, asked };
}

// answersSent counts the /Authorize calls carrying SecurityResponses the recording proxy has seen.
const answersSent = (b) => b.calls.filter((c) => c.endpoint === 'Authorize' && c.body && c.body.SecurityResponses).length;

test('security questions: shown without the RequestId; answers leaving one unanswered or matching none → 400, nothing sent, kept; then answered',
  kit.flow(async (t, defer, bin) => {
    const b = await kit.startBackend(defer);
    const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
    await b.configure(sim);
    const { browser, asked } = await askGreatday(b, sim);
    const waiting = await browser.get(`${b.url}/api/accounts`);
    assert.equal(waiting.status, 409, `/api/accounts answered ${waiting.status}: ${waiting.text}`);
    const { prompts } = JSON.parse(waiting.text);
    assert.deepEqual(prompts, asked.prompts);
    assert.ok(asked.pending.requestId && !waiting.text.includes(asked.pending.requestId), 'the RequestId went to the browser');
    const right = Object.fromEntries(prompts.map((p) => [p.prompt, [kit.answerTo(p.prompt)]]));
    const [firstPrompt, ...others] = prompts.map((p) => p.prompt);
    const othersOnly = Object.fromEntries(others.map((p) => [p, right[p]]));
    const notAsked = 'What was the name of your first pet?';
    const refused = [
      ['no answer at all', {}],
      ['a question left out', othersOnly],
      ['an empty answer', { ...right, [firstPrompt]: [''] }],
      ['an answer to a question not asked, in place of one asked', { ...othersOnly, [notAsked]: ['Rex'] }],
      ['an answer to a question not asked, besides all those asked', { ...right, [notAsked]: ['Rex'] }],
    ];
    for (const [why, answers] of refused) {
      const answer = await browser.postJSON(`${b.url}/api/mfa`, { answers });
      assert.equal(answer.status, 400, `${why}: /api/mfa answered ${answer.status}: ${answer.text}`);
    }
    const notJSON = await browser.request('POST', `${b.url}/api/mfa`, { body: JSON.stringify({ answers: right }), headers: { 'Content-Type': 'text/plain' } });
    assert.equal(notJSON.status, 415, `answers sent as text/plain: ${notJSON.status}`);
    assert.equal(answersSent(b), 0, 'refused answers reached Flinks');
    const still = await browser.get(`${b.url}/api/accounts`);
    assert.equal(still.status, 409, 'the questions are kept after refused answers');
    assert.deepEqual(JSON.parse(still.text).prompts, prompts);

    const before = b.calls.length;
    let answer = await browser.postJSON(`${b.url}/api/mfa`, { answers: right });
    for (let round = 0; answer.status === 409 && round < 3; round++) {
      const next = JSON.parse(answer.text).prompts;
      answer = await browser.postJSON(`${b.url}/api/mfa`, { answers: Object.fromEntries(next.map((p) => [p.prompt, [kit.answerTo(p.prompt)]])) });
    }
    kit.checkAccounts(b, answer, sim.loginIds.Greatday, before);
  }));

// Two answers sent at once (two tabs, a double click): the questions are taken and removed in one step, so only one
// reaches Flinks; the other finds nothing waiting. Both requests reach the server's handler before either body is
// sent, so that a server taking the questions before reading the body would send both.
test('security questions: two answers at once, only one reaches Flinks, the other answers 409', kit.flow(async (t, defer, bin) => {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
  await b.configure(sim);
  const { browser, asked } = await askGreatday(b, sim);
  const body = JSON.stringify({ answers: Object.fromEntries(asked.prompts.map((p) => [p.prompt, [kit.answerTo(p.prompt)]])) });
  let arrived = 0;
  let bothArrived;
  const inHandler = new Promise((resolve) => { bothArrived = resolve; });
  b.server.on('request', (req) => { // after the app's own listener: its handler ran up to its first wait
    if (req.url === '/api/mfa' && ++arrived === 2) bothArrived();
  });
  const cookie = `customer=${browser.cookie(new URL(b.url).host, 'customer').value}`;
  const send = () => {
    const req = http.request(`${b.url}/api/mfa`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } });
    const answered = new Promise((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => { text += chunk; });
        res.on('end', () => resolve({ status: res.statusCode, text }));
      });
      req.on('error', reject);
    });
    req.flushHeaders();
    return { req, answered };
  };
  const both = [send(), send()];
  await inHandler;
  for (const { req } of both) req.end(body);
  const answers = await Promise.all(both.map((s) => s.answered));
  assert.equal(answersSent(b), 1, `the answers reached Flinks ${answersSent(b)} times: ${JSON.stringify(answers.map((a) => a.status))}`);
  const nothing = answers.filter((a) => a.status === 409 && JSON.parse(a.text).prompts.length === 0);
  assert.equal(nothing.length, 1, `one answer finds nothing waiting: ${JSON.stringify(answers)}`);
}));

test('a 203 without a RequestId is an error: no question is shown that could never be answered', async () => {
  const replies = [[200, { Token: 't' }], [203, { SecurityChallenges: [{ Type: 'QuestionAndAnswer', Prompt: 'What city?' }] }]];
  const flinks = new Flinks({ apiURL: 'https://toolbox-api.private.fin.ag', customerId: 'c', secretKey: 's', apiKey: 'k', pollIntervalMs: 10000 },
    { fetch: async () => {
      const [status, body] = replies.shift();
      return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    } });
  await assert.rejects(flinks.authorize('0badc0de-0000-4000-8000-000000000000', { live: true }),
    (err) => err instanceof FlinksError && !(err instanceof NeedsMFA) && /without a RequestId/.test(err.message), 'the 203 without RequestId');
  assert.equal(replies.length, 0);
});

test('a link, or a link again, drops the questions waiting and the RequestId cached for the customer', kit.flow(async (t, defer, bin) => {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
  await b.configure(sim);
  const loginId = sim.loginIds.Greatday;
  const authorizes = () => b.calls.filter((c) => c.endpoint === 'Authorize').length;
  const linkAgain = (browser, id) => keepFor(b, browser, id);
  const { browser } = await askGreatday(b, sim);
  assert.equal((await browser.get(`${b.url}/api/accounts`)).status, 409);
  linkAgain(browser, loginId);
  const before = authorizes();
  const fresh = await browser.get(`${b.url}/api/accounts`);
  assert.equal(fresh.status, 200, `after a link again the questions still wait: ${fresh.status} ${fresh.text.slice(0, 200)}`);
  assert.equal(authorizes(), before + 1, 'the accounts come from a new /Authorize');
  assert.equal((await browser.get(`${b.url}/api/accounts`)).status, 200);
  assert.equal(authorizes(), before + 1, 'a second read reuses the cached RequestId');
  linkAgain(browser, loginId);
  assert.equal((await browser.get(`${b.url}/api/accounts`)).status, 200);
  assert.equal(authorizes(), before + 2, 'after a link again the cached RequestId is dropped: a new /Authorize');
  // A link to another login drops the RequestId cached for the former one too (read here by another customer
  // linked to it).
  linkAgain(browser, sim.loginIds.greatday_nomfa);
  assert.equal((await seedLogin(b, loginId, 'beef'.padEnd(32, '0')).get(`${b.url}/api/accounts`)).status, 200);
  assert.equal(authorizes(), before + 3, 'after linking another login, the former one\'s RequestId is not reused');
  // A customer linking a login whose RequestId is cached (from the reads of another) gets fresh data too.
  const newcomer = keepFor(b, new kit.Browser(), loginId, 'cafe'.padEnd(32, '0'));
  assert.equal((await newcomer.get(`${b.url}/api/accounts`)).status, 200);
  assert.equal(authorizes(), before + 4, 'a new link reused the RequestId cached for its loginId');
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
