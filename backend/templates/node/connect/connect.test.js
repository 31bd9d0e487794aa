'use strict';
// Flinks Connect, played in the simulator's Connect pages: the page embeds Connect with a fresh token, the loginId
// comes back through the redirect URL or the REDIRECT event, and the back end fetches the accounts by the polling
// rules; the login's webhook arrives signed; DeleteCard deletes it.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const kit = require('./testkit');

// connectIframe loads the page and returns its iframe's URL.
async function connectIframe(b, browser) {
  const page = await browser.get(`${b.url}/`);
  const m = /<iframe id="connect" src="([^"]+)"/.exec(page.text);
  assert.ok(page.status === 200 && m, `the Connect page answered ${page.status} without an iframe:\n${page.text}`);
  return new URL(m[1].replace(/&amp;/g, '&'));
}

async function linkAndFetch(t, defer, bin, user) {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
  await b.configure(sim);
  const browser = new kit.Browser();
  const first = await connectIframe(b, browser);
  const second = await connectIframe(b, browser);
  const token = (u) => u.searchParams.get('authorizeToken');
  assert.ok(token(first) && token(first) !== token(second), `each page view needs a fresh authorize token: ${token(first)} then ${token(second)}`);
  assert.equal(second.searchParams.get('redirectUrl'), `${b.url}/flinks/redirect`);
  assert.equal(second.searchParams.get('demo'), 'true');
  const page = (await browser.get(`${b.url}/`)).text;
  assert.ok(page.includes('event.origin !== connectOrigin') && page.includes(`const connectOrigin = "${sim.apiURL}";`),
    `the page must check each message's origin against Connect's (${sim.apiURL}):\n${page}`);
  const cookie = browser.cookie(new URL(b.url).host, 'customer');
  assert.ok(cookie && cookie.attributes.includes('httponly') && cookie.attributes.includes('samesite=lax'), 'the customer cookie is HttpOnly and SameSite=Lax');

  const played = await kit.playForms(browser, await browser.get(second.toString()), user);
  if (user === 'Greatday') assert.ok(played.asked.length > 0, 'Greatday\'s security questions were never asked');
  assert.ok(played.navigate.startsWith(`${b.url}/flinks/redirect?loginId=`), `Connect did not send the browser to the redirect URL: ${played.navigate}`);
  // The redirect URL keeps the loginId and sends the customer on to their accounts, out of the address bar.
  const redirect = await browser.get(played.navigate);
  assert.equal(redirect.status, 302);
  assert.equal(redirect.location, `${b.url}/accounts`);
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
