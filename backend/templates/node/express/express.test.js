'use strict';
// Flinks Express. Express itself is not simulated: a small fake stands in for the hosted page Flinks builds for
// you. Like Express, it takes the customer through a Flinks login (here the simulator's Connect pages, with
// Greatday's security questions) and sends the browser to the redirectUrl with the loginId. The back end then
// fetches the accounts by the polling rules, the login's webhook arrives signed, and DeleteCard deletes it.

const assert = require('node:assert/strict');
const http = require('node:http');
const { test } = require('node:test');
const kit = require('./testkit');
const { expressURL } = require('./product');

// startFakeExpress answers each visit with a redirect into the simulator's Connect, for a token of its own, and
// keeps the query each visit came with.
async function startFakeExpress(defer, sim) {
  const visits = [];
  const server = http.createServer(async (req, res) => {
    const query = new URL(req.url, 'http://express').searchParams;
    visits.push(query);
    const answer = await fetch(`${sim.apiURL}/v3/${sim.customerId}/BankingServices/GenerateAuthorizeToken`,
      { method: 'POST', headers: { 'flinks-auth-key': sim.secretKey, 'Content-Type': 'application/json' } });
    const connect = new URL(`${sim.apiURL}/v2/`);
    connect.searchParams.set('demo', query.get('demo') || 'false');
    connect.searchParams.set('redirectUrl', query.get('redirectUrl') || '');
    connect.searchParams.set('authorizeToken', (await answer.json()).Token);
    res.writeHead(302, { Location: connect.toString() });
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(() => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  }));
  return { url: `http://127.0.0.1:${server.address().port}/express/acme?customerId=${sim.customerId}`, visits };
}

async function linkAndFetch(t, defer, bin, user) {
  const b = await kit.startBackend(defer);
  const sim = await kit.startSimulator(bin, defer, `${b.url}/flinks/webhook`);
  const express = await startFakeExpress(defer, sim);
  await b.configure(sim, { FLINKS_EXPRESS_URL: express.url });
  const browser = new kit.Browser();
  const home = await browser.get(`${b.url}/`);
  assert.ok(home.status === 200 && home.text.includes('href="/flinks/express"'), `the page links to /flinks/express:\n${home.text}`);

  // /flinks/express sends the browser to the Express link, keeping its own query, with demo and redirectUrl.
  const start = await browser.get(`${b.url}/flinks/express`);
  assert.equal(start.status, 302);
  const target = new URL(start.location);
  assert.equal(`${target.origin}${target.pathname}`, express.url.split('?')[0]);
  assert.equal(target.searchParams.get('customerId'), sim.customerId, 'the Express link keeps its own parameters');
  assert.equal(target.searchParams.get('demo'), 'true');
  const redirectUrl = target.searchParams.get('redirectUrl');
  assert.ok(redirectUrl.startsWith(`${b.url}/flinks/redirect/`), `the redirectUrl is ${redirectUrl}`);

  const connect = await browser.get(start.location); // the fake Express, on to its login pages
  const played = await kit.playForms(browser, await browser.get(connect.location), user);
  if (user === 'Greatday') assert.ok(played.asked.length > 0, 'Greatday\'s security questions were never asked');
  assert.ok(played.navigate.startsWith(`${redirectUrl}?loginId=`), `Express did not send the browser to the redirect URL: ${played.navigate}`);
  const redirect = await browser.get(played.navigate);
  assert.equal(redirect.status, 302, `the redirect answered ${redirect.status}: ${redirect.text}`);
  assert.equal(redirect.location, `${b.url}/accounts`);
  assert.equal((await browser.get(played.navigate)).status, 403, 'the redirect URL serves once');
  assert.equal(express.visits.length, 1);

  const loginId = sim.loginIds[user];
  await kit.fetchAccounts(b, browser, loginId);
  await b.webhook('GetAccountsDetail');
  await kit.deleteLogin(b, browser, loginId);
}

test('express: greatday_nomfa links through Express, its accounts come back by the polling rules, then DeleteCard',
  kit.flow((t, defer, bin) => linkAndFetch(t, defer, bin, 'greatday_nomfa')));

test('express: Greatday answers its security questions on the Flinks page, its accounts come back, then DeleteCard',
  kit.flow((t, defer, bin) => linkAndFetch(t, defer, bin, 'Greatday')));

test('express: a redirect without a valid loginId keeps nothing', kit.withCleanup(async (t, defer) => {
  const b = await kit.startBackend(defer);
  await b.configure(await kit.startAbsentFlinks(defer), { FLINKS_EXPRESS_URL: 'https://toolbox-express.private.fin.ag/acme' });
  const browser = new kit.Browser();
  for (const query of ['', '?loginId=', '?loginId=../../DeleteCard']) {
    const start = await browser.get(`${b.url}/flinks/express`);
    const redirectUrl = new URL(start.location).searchParams.get('redirectUrl');
    const answer = await browser.get(`${redirectUrl}${query}`);
    assert.equal(answer.status, 400, `/flinks/redirect/<nonce>${query} answered ${answer.status}`);
  }
  assert.equal((await browser.get(`${b.url}/api/accounts`)).status, 404);
}));

test('express: the redirect URL needs the nonce this browser was given: wrong, missing, without its cookie or used → 403, nothing kept',
  kit.withCleanup(async (t, defer) => {
    const b = await kit.startBackend(defer);
    await b.configure(await kit.startAbsentFlinks(defer), { FLINKS_EXPRESS_URL: 'https://toolbox-express.private.fin.ag/acme' });
    await kit.checkRedirectNonce(b, async (browser, headers) => {
      const start = await browser.get(`${b.url}/flinks/express`, { headers });
      assert.equal(start.status, 302, `/flinks/express answered ${start.status}: ${start.text}`);
      return new URL(start.location).searchParams.get('redirectUrl');
    });
  }));

// The rules of flinks-onboard's flinks.ExpressURL: the link is kept as the Flinks representative wrote it, but for
// demo (removed, then demo=true added only when chosen) and redirectUrl.
test('express: the Express link keeps its own parameters as written, demo only as chosen, and this server\'s redirectUrl', () => {
  const back = 'https://shop.example/flinks/redirect/n0nce_-';
  const cases = [
    ['https://acme.express.flinks.com/?customerId=1&demo=false', true, back,
      'https://acme.express.flinks.com/?customerId=1&demo=true&redirectUrl=https%3A%2F%2Fshop.example%2Fflinks%2Fredirect%2Fn0nce_-'],
    ['https://acme.express.flinks.com/?b=2&a=1&demo=true&redirectUrl=x', false, '', 'https://acme.express.flinks.com/?b=2&a=1&redirectUrl=x'],
    ['https://acme.express.flinks.com/?demo=true&DEMO=1&d%65mo=true&x=a%2fb&y=c+d&z=%7E&w=\'q\'&&v', false, '',
      'https://acme.express.flinks.com/?DEMO=1&x=a%2fb&y=c+d&z=%7E&w=\'q\'&v'],
    ['https://acme.express.flinks.com/p?redirectUrl=old&demo', true, back,
      `https://acme.express.flinks.com/p?demo=true&redirectUrl=${encodeURIComponent(back)}`],
    ['https://acme.express.flinks.com/p?demo=true#top', false, '', 'https://acme.express.flinks.com/p#top'],
    ['https://acme.express.flinks.com/p?%zz=1&demo=true', false, '', 'https://acme.express.flinks.com/p?%zz=1'],
    ['http://127.0.0.1:8471/express', true, '', 'http://127.0.0.1:8471/express?demo=true'],
  ];
  for (const [link, demo, redirectURL, want] of cases) {
    assert.equal(expressURL(link, demo, redirectURL), want, `expressURL(${link}, ${demo}, ${redirectURL})`);
  }
  for (const bad of ['http://acme.express.flinks.com/', 'acme.express.flinks.com', '', 'ftp://acme.express.flinks.com/']) {
    assert.throws(() => expressURL(bad, false), /not an https URL/, `expressURL accepted ${JSON.stringify(bad)}`);
  }
});
