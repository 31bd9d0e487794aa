'use strict';
// Custom OAuth, played through the simulator's /v3/oauth/authorize and its bank's login pages: the state is
// checked on the way back, the live /Authorize asks Greatday's questions again (answered through /api/mfa), the
// back end fetches the accounts by the polling rules, the webhook arrives signed, and DeleteCard deletes the login.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const kit = require('./testkit');

// startOAuth posts the institution form and checks where the browser is sent: Flinks' /v3/oauth/authorize with
// this server's callback and a fresh state of at least 128 bits, kept in an HttpOnly, SameSite=Lax cookie.
async function startOAuth(b, sim, browser) {
  const start = await browser.postForm(`${b.url}/flinks/oauth/start`, { institution: 'FlinksCapital' });
  assert.equal(start.status, 302, `/flinks/oauth/start answered ${start.status}: ${start.text}`);
  const target = new URL(start.location);
  assert.equal(`${target.origin}${target.pathname}`, `${b.config.apiURL}/v3/oauth/authorize`, 'Flinks\' API (here through the recording proxy)');
  assert.equal(target.searchParams.get('institution_id'), 'FlinksCapital');
  assert.equal(target.searchParams.get('redirect_uri'), `${b.url}/flinks/oauth/callback`);
  const state = target.searchParams.get('state');
  assert.ok(Buffer.from(state || '', 'base64url').length >= 16, `the state ${state} is shorter than 128 bits`);
  const cookie = browser.cookie(new URL(b.url).host, 'flinks_oauth_state');
  assert.ok(cookie && cookie.value === state, 'the state is kept in a cookie');
  assert.ok(cookie.attributes.includes('httponly') && cookie.attributes.includes('samesite=lax'), 'the state cookie is HttpOnly and SameSite=Lax');
  return { start, state };
}

// toTheBank follows Flinks' answer to the bank's login page: a redirect, or (simulate --oauth-html) a page whose
// form submits itself to Flinks' open-banking agent, which a browser does on its own.
async function toTheBank(browser, start) {
  const flinks = await browser.get(start.location);
  if (flinks.status === 200) {
    const form = /<form method="post" action="([^"]+)">[\s\S]*?name="session" value="([^"]+)"/.exec(flinks.text);
    assert.ok(form, `/v3/oauth/authorize answered a page without its form:\n${flinks.text}`);
    const agent = await browser.postForm(new URL(form[1], flinks.url).toString(), { session: form[2] });
    return browser.get(agent.location);
  }
  assert.equal(flinks.status, 302, `/v3/oauth/authorize answered ${flinks.status}: ${flinks.text}`);
  return browser.get(flinks.location);
}

async function linkAndFetch(t, defer, bin, user) {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
  await b.configure(sim);
  const browser = new kit.Browser();
  const home = await browser.get(`${b.url}/`);
  assert.ok(home.status === 200 && home.text.includes('action="/flinks/oauth/start"'), `the page's form posts to /flinks/oauth/start:\n${home.text}`);
  const { state } = await startOAuth(b, sim, browser);
  const { start } = await startOAuth(b, sim, browser);
  assert.notEqual(new URL(start.location).searchParams.get('state'), state, 'each start needs a fresh state');

  const played = await kit.playForms(browser, await toTheBank(browser, start), user);
  if (user === 'Greatday') assert.ok(played.asked.length > 0, 'the bank never asked Greatday\'s security questions');
  assert.ok(played.answer.location.startsWith(`${b.url}/flinks/oauth/callback?`), `the bank did not send the browser back: ${played.answer.location}`);
  const authorizesBefore = b.calls.filter((c) => c.endpoint === 'Authorize').length;
  const back = await browser.get(played.answer.location);
  assert.equal(back.status, 302, `the callback answered ${back.status}: ${back.text}`);
  assert.equal(back.location, `${b.url}/accounts`);
  assert.equal(browser.cookie(new URL(b.url).host, 'flinks_oauth_state'), undefined, 'the state is used once');
  assert.equal(b.calls.filter((c) => c.endpoint === 'Authorize').length, authorizesBefore + 1, 'the callback runs one live /Authorize');

  const loginId = sim.loginIds[user];
  if (user === 'greatday_nomfa') {
    await kit.fetchAccounts(b, browser, loginId);
  } else {
    // The live /Authorize asks the bank's questions again: /api/accounts shows them, /api/mfa answers them.
    const before = b.calls.length;
    let answer = await browser.get(`${b.url}/api/accounts`);
    for (let round = 0; answer.status === 409 && round < 3; round++) {
      const asked = JSON.parse(answer.text);
      assert.equal(asked.error, 'security questions');
      assert.ok(asked.prompts.length > 0 && asked.prompts.every((p) => p.type && p.prompt), `prompts: ${answer.text}`);
      assert.ok(!answer.text.includes(loginId), 'the questions sent the loginId to the browser');
      const answers = Object.fromEntries(asked.prompts.map((p) => [p.prompt, [kit.answerTo(p.prompt)]]));
      answer = await browser.postJSON(`${b.url}/api/mfa`, { answers });
    }
    assert.ok(b.calls.filter((c) => c.endpoint === 'Authorize').length > authorizesBefore + 1, 'the answers never went to /Authorize');
    kit.checkAccounts(b, answer, loginId, before);
  }
  await b.webhook('GetAccountsDetail');
  await kit.deleteLogin(b, browser, loginId);
}

test('custom: greatday_nomfa links through Custom OAuth, the live /Authorize and its accounts, then DeleteCard',
  kit.flow((t, defer, bin) => linkAndFetch(t, defer, bin, 'greatday_nomfa')));

test('custom: Greatday answers its security questions at the bank, then again through /api/mfa, then DeleteCard',
  kit.flow((t, defer, bin) => linkAndFetch(t, defer, bin, 'Greatday')));

test('custom: a wrong or missing OAuth state is refused with 403 and nothing is kept', kit.flow(async (t, defer, bin) => {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
  await b.configure(sim);
  const browser = new kit.Browser();
  const { start, state } = await startOAuth(b, sim, browser);
  const played = await kit.playForms(browser, await toTheBank(browser, start), 'greatday_nomfa');
  const callback = new URL(played.answer.location);
  assert.equal(callback.searchParams.get('state'), state, 'Flinks echoes the state');
  const forged = (mutate) => {
    const u = new URL(callback);
    mutate(u.searchParams);
    return u.toString();
  };
  const cases = [
    ['a wrong state', browser, forged((q) => q.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`))],
    ['no state', browser, forged((q) => q.delete('state'))],
    ['an empty state', browser, forged((q) => q.set('state', ''))],
    ['another browser, without the cookie', new kit.Browser(), callback.toString()],
  ];
  for (const [name, who, target] of cases) {
    const answer = await who.get(target);
    assert.equal(answer.status, 403, `${name}: the callback answered ${answer.status}`);
    assert.equal((await who.get(`${b.url}/api/accounts`)).status, 404, `${name}: a loginId was kept`);
  }
  assert.equal(b.calls.filter((c) => c.endpoint === 'Authorize').length, 0, 'a refused callback must not reach Flinks');
  const back = await browser.get(callback.toString());
  assert.equal(back.status, 302, 'the right state, from the right browser, is accepted');
}));

test('custom: an OAuth error comes back as 400 with its words, and nothing is kept', kit.flow(async (t, defer, bin) => {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
  await b.configure(sim);
  const browser = new kit.Browser();
  const { start } = await startOAuth(b, sim, browser);
  const bank = await toTheBank(browser, start);
  const session = /name="session" value="([^"]+)"/.exec(bank.text);
  assert.ok(session, `the bank's page has no form:\n${bank.text.slice(0, 600)}`);
  const cancelled = await browser.postForm(new URL('bank', bank.url).toString(), { session: session[1], action: 'cancel' });
  assert.ok(cancelled.location.startsWith(`${b.url}/flinks/oauth/callback?`), `the bank did not send the browser back: ${cancelled.location}`);
  const answer = await browser.get(cancelled.location);
  assert.equal(answer.status, 400);
  assert.match(answer.text, /access_denied/);
  assert.equal((await browser.get(`${b.url}/api/accounts`)).status, 404);
}));

// Flinks documents /v3/oauth/authorize as a redirect to the bank, but its reference page shows a 200 HTML page that
// leads there (flinks-onboard's docs/flinks-contract.md, "Custom OAuth"): the browser is sent to Flinks itself, so
// it follows either.
test('custom: Flinks answering /v3/oauth/authorize with its HTML page leads to the bank and back as well', kit.flow(async (t, defer, bin) => {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`, ['--oauth-html']);
  await b.configure(sim);
  const browser = new kit.Browser();
  const { start } = await startOAuth(b, sim, browser);
  assert.equal((await browser.get(start.location)).status, 200, 'the simulator answers with its page');
  const played = await kit.playForms(browser, await toTheBank(browser, start), 'greatday_nomfa');
  const back = await browser.get(played.answer.location);
  assert.equal(back.status, 302, `the callback answered ${back.status}: ${back.text}`);
  assert.equal(back.location, `${b.url}/accounts`);
}));

// Custom OAuth's language and tag, chosen when the project was generated, reach the live /Authorize as its
// Language and Tag, as they reach /v3/oauth/authorize as lang and tag.
test('custom: the live /Authorize after the callback carries Language and Tag as chosen', kit.flow(async (t, defer, bin) => {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
  await b.configure(sim, {}, {}, 'language=fr&tag=node-test');
  const browser = new kit.Browser();
  const { start } = await startOAuth(b, sim, browser);
  const target = new URL(start.location);
  assert.equal(target.searchParams.get('lang'), 'fr');
  assert.equal(target.searchParams.get('tag'), 'node-test');
  const played = await kit.playForms(browser, await toTheBank(browser, start), 'greatday_nomfa');
  const back = await browser.get(played.answer.location);
  assert.equal(back.status, 302, `the callback answered ${back.status}: ${back.text}`);
  const live = b.calls.filter((c) => c.endpoint === 'Authorize');
  assert.equal(live.length, 1, 'the callback runs one live /Authorize');
  assert.equal(live[0].body.MostRecentCached, false);
  assert.equal(live[0].body.Language, 'fr', `the live /Authorize sent ${JSON.stringify(Object.keys(live[0].body))}`);
  assert.equal(live[0].body.Tag, 'node-test');
}));

test('custom: POST /flinks/oauth/start from another origin → 403, and no state is given', kit.withCleanup(async (t, defer) => {
  const b = await kit.startBackend(defer);
  await b.configure(await kit.startAbsentFlinks(defer));
  const browser = new kit.Browser();
  for (const origin of ['https://evil.example', 'null', b.url.replace('http:', 'https:')]) {
    const answer = await browser.postForm(`${b.url}/flinks/oauth/start`, { institution: 'FlinksCapital' }, { headers: { Origin: origin } });
    assert.equal(answer.status, 403, `Origin ${origin}: answered ${answer.status}`);
    assert.equal(browser.cookie(new URL(b.url).host, 'flinks_oauth_state'), undefined, `Origin ${origin}: a state was given`);
  }
  const own = await browser.postForm(`${b.url}/flinks/oauth/start`, { institution: 'FlinksCapital' }, { headers: { Origin: b.url } });
  assert.equal(own.status, 302, `this server's own origin: answered ${own.status}`);
}));
