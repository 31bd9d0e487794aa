'use strict';
// Flinks Express: a page Flinks hosts for you. This server sends the customer there with the redirect URL it wants
// the loginId back at, and receives it.
//
// UNCONFIRMED: whether Express honours redirectUrl is not documented by Flinks (flinks-onboard's
// docs/flinks-contract.md, "Flinks Express"). Check it in your sandbox; if your Express link does not send the
// customer back, take the loginId from the Dashboard's Request Feed (or from a webhook) instead.

const fs = require('node:fs');
const path = require('node:path');
const { isLoopback } = require('./config');
const { customer, sendPage, redirect } = require('./web');

const expressPage = fs.readFileSync(path.join(__dirname, 'express.html'));

// expressURL prepares the Express link: any demo it holds removed and demo=true added when demo is chosen, and
// redirectUrl set when one is given. Every other parameter is kept as your Flinks representative wrote it, in its
// order and encoding (URL and URLSearchParams would re-encode some of them). It throws when the link is not an
// https URL (http only to this computer, for a test).
function expressURL(link, demo, redirectURL = '') {
  let u;
  try {
    u = new URL(link);
  } catch {
    u = null;
  }
  if (!u || !u.host || !(u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(link)))) {
    throw new Error('FLINKS_EXPRESS_URL is not an https URL: set it to the Express link your Flinks representative sent');
  }
  const hashAt = link.indexOf('#');
  const fragment = hashAt >= 0 ? link.slice(hashAt) : '';
  const beforeFragment = hashAt >= 0 ? link.slice(0, hashAt) : link;
  const queryAt = beforeFragment.indexOf('?');
  const base = queryAt >= 0 ? beforeFragment.slice(0, queryAt) : beforeFragment;
  const rawQuery = queryAt >= 0 ? beforeFragment.slice(queryAt + 1) : '';
  const drop = new Set(['demo']);
  const add = [];
  if (demo) add.push('demo=true');
  if (redirectURL) {
    drop.add('redirectUrl');
    add.push(`redirectUrl=${encodeURIComponent(redirectURL)}`);
  }
  const kept = rawQuery.split('&').filter((pair) => {
    if (pair === '') return false;
    const name = pair.split('=')[0];
    try {
      return !drop.has(decodeURIComponent(name.replace(/\+/g, ' ')));
    } catch {
      return true; // not percent-encoded text: not one of ours
    }
  });
  const query = [...kept, ...add].join('&');
  return `${base}${query ? `?${query}` : ''}${fragment}`;
}

// demoChosen says whether the project was generated with demo=true (the test bank).
function demoChosen(config) {
  return new URLSearchParams(config.connectQuery).get('demo') === 'true';
}

function routes(app) {
  const { config } = app;
  expressURL(config.expressURL, false); // config.js has checked it; this says so at start-up rather than at the first visit
  return {
    // GET / links to /flinks/express.
    'GET /': (req, res) => {
      customer(req, res);
      sendPage(res, expressPage);
    },

    // GET /flinks/express sends the browser to the Express link your Flinks representative sent, with demo as chosen
    // when the project was generated and redirectUrl = this server's /flinks/redirect/<nonce>, a fresh nonce each
    // time (app.redirectURL).
    'GET /flinks/express': (req, res) => {
      redirect(res, expressURL(config.expressURL, demoChosen(config), app.redirectURL(req, res)));
    },

    // GET /flinks/redirect/<nonce> receives Express's redirect, ?loginId=…&institution=…, once its nonce is this
    // browser's (app.redirected); then on to the accounts.
    'GET /flinks/redirect/*': app.redirected,
  };
}

module.exports = { routes, expressURL };
