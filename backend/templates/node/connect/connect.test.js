'use strict';
// Flinks Connect, played in the simulator's Connect pages: the page embeds Connect with a fresh token, the loginId
// comes back through the redirect URL or the REDIRECT event, and the back end fetches the accounts by the polling
// rules; the login's webhook arrives signed; DeleteCard deletes it.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const kit = require('./testkit');

// connectIframe loads the page and returns its iframe's URL.
async function connectIframe(b, browser, headers = {}) {
  const page = await browser.get(`${b.url}/`, { headers });
  const m = /<iframe id="connect" src="([^"]+)"/.exec(page.text);
  assert.ok(page.status === 200 && m, `the Connect page answered ${page.status} without an iframe:\n${page.text}`);
  return new URL(m[1].replace(/&amp;/g, '&'));
}

async function linkAndFetch(t, defer, bin, user) {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
  await b.configure(sim);
  const browser = new kit.Browser();
  const page = (await browser.get(`${b.url}/`)).text;
  assert.ok(page.includes('event.origin !== connectOrigin') && page.includes(`const connectOrigin = "${sim.apiURL}";`),
    `the page must check each message's origin against Connect's (${sim.apiURL}):\n${page}`);
  const first = await connectIframe(b, browser);
  const second = await connectIframe(b, browser); // the one played: each page view gives a new redirect nonce
  const token = (u) => u.searchParams.get('authorizeToken');
  assert.ok(token(first) && token(first) !== token(second), `each page view needs a fresh authorize token: ${token(first)} then ${token(second)}`);
  const redirectUrl = second.searchParams.get('redirectUrl');
  assert.ok(redirectUrl.startsWith(`${b.url}/flinks/redirect/`), `the redirectUrl is ${redirectUrl}`);
  assert.equal(second.searchParams.get('demo'), 'true');
  const cookie = browser.cookie(new URL(b.url).host, 'customer');
  assert.ok(cookie && cookie.attributes.includes('httponly') && cookie.attributes.includes('samesite=lax'), 'the customer cookie is HttpOnly and SameSite=Lax');

  const played = await kit.playForms(browser, await browser.get(second.toString()), user);
  if (user === 'Greatday') assert.ok(played.asked.length > 0, 'Greatday\'s security questions were never asked');
  assert.ok(played.navigate.startsWith(`${redirectUrl}?loginId=`), `Connect did not send the browser to the redirect URL: ${played.navigate}`);
  // The redirect URL keeps the loginId and sends the customer on to their accounts, out of the address bar.
  const redirect = await browser.get(played.navigate);
  assert.equal(redirect.status, 302, `the redirect answered ${redirect.status}: ${redirect.text}`);
  assert.equal(redirect.location, `${b.url}/accounts`);
  assert.equal((await browser.get(played.navigate)).status, 403, 'the redirect URL serves once');
  const accountsPage = await browser.get(redirect.location);
  assert.ok(accountsPage.status === 200 && accountsPage.text.includes('id="accounts"'), 'the accounts page');

  const loginId = sim.loginIds[user];
  await kit.fetchAccounts(b, browser, loginId);
  await b.webhook('GetAccountsDetail'); // the simulator delivers the login's data, signed
  await kit.deleteLogin(b, browser, loginId);
}

test('connect: greatday_nomfa links in Connect, its accounts come back by the polling rules, then DeleteCard',
  kit.flow((t, defer, bin) => linkAndFetch(t, defer, bin, 'greatday_nomfa')));

test('connect: Greatday answers its security questions in Connect, its accounts come back, then DeleteCard',
  kit.flow((t, defer, bin) => linkAndFetch(t, defer, bin, 'Greatday')));

// With jsRedirect Connect only posts the REDIRECT event: the page's listener sends its loginId to /flinks/connected.
test('connect: the REDIRECT event\'s loginId is kept through POST /flinks/connected', kit.flow(async (t, defer, bin) => {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
  await b.configure(sim);
  const browser = new kit.Browser();
  const iframe = await connectIframe(b, browser);
  iframe.searchParams.set('jsRedirect', 'true');
  const played = await kit.playForms(browser, await browser.get(iframe.toString()), 'greatday_nomfa');
  const event = played.events.find((e) => e.step === 'REDIRECT');
  assert.ok(event && event.loginId && !played.navigate, `no REDIRECT event: ${JSON.stringify(played.events)}`);
  const refused = await browser.postJSON(`${b.url}/flinks/connected`, { loginId: 'not a loginId' });
  assert.equal(refused.status, 400);
  const kept = await browser.postJSON(`${b.url}/flinks/connected`, { loginId: event.loginId });
  assert.equal(kept.status, 204, kept.text);
  await kit.fetchAccounts(b, browser, sim.loginIds.greatday_nomfa);
  const stranger = await new kit.Browser().get(`${b.url}/api/accounts`);
  assert.equal(stranger.status, 404, 'another browser sees nothing of this customer\'s');
}));

test('connect: the redirect URL needs the nonce this browser was given: wrong, missing, without its cookie or used → 403, nothing kept',
  kit.flow(async (t, defer, bin) => {
    const b = await kit.startBackend(defer);
    const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
    await b.configure(sim);
    await kit.checkRedirectNonce(b, async (browser, headers) => (await connectIframe(b, browser, headers)).searchParams.get('redirectUrl'));
  }));

// The POSTs of the page are refused when another origin's page sends them; the body must be application/json, which
// no other site's page can send without asking first.
test('connect: POST /flinks/connected from another origin → 403, not as application/json → 415, nothing kept', kit.flow(async (t, defer, bin) => {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
  await b.configure(sim);
  const browser = new kit.Browser();
  const loginId = sim.loginIds.greatday_nomfa;
  const body = JSON.stringify({ loginId });
  const post = (headers) => browser.request('POST', `${b.url}/flinks/connected`, { body, headers: { 'Content-Type': 'application/json', ...headers } });
  const refused = [
    ['another site', { Origin: 'https://evil.example' }, 403],
    ['another port of this host', { Origin: `http://127.0.0.1:${Number(new URL(b.url).port) + 1}` }, 403],
    ['a sandboxed page', { Origin: 'null' }, 403],
    ['this origin over https, the server being reached over http', { Origin: b.url.replace('http:', 'https:') }, 403],
    ['this origin over http behind an HTTPS front end', { Origin: b.url, 'X-Forwarded-Proto': 'https' }, 403],
    ['text/plain', { 'Content-Type': 'text/plain' }, 415],
    ['a form', { 'Content-Type': 'application/x-www-form-urlencoded' }, 415],
  ];
  for (const [why, headers, want] of refused) {
    const answer = await post(headers);
    assert.equal(answer.status, want, `${why}: answered ${answer.status}`);
    assert.equal((await browser.get(`${b.url}/api/accounts`)).status, 404, `${why}: the loginId was kept`);
  }
  const behindHTTPS = await post({ Origin: b.url.replace('http:', 'https:'), 'X-Forwarded-Proto': 'https' });
  assert.equal(behindHTTPS.status, 204, `this origin behind an HTTPS front end answered ${behindHTTPS.status}`);
  assert.equal((await post({ Origin: b.url })).status, 204, 'this origin');
  assert.equal((await post({ 'Content-Type': 'application/json; charset=utf-8' })).status, 204, 'no Origin: no browser page sent it');
}));
