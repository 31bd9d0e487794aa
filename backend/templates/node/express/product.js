'use strict';
// Flinks Express: a page Flinks hosts for you. This server sends the customer there with the redirect URL it wants
// the loginId back at, and receives it.

const fs = require('node:fs');
const path = require('node:path');
const { customer, baseURL, sendPage, redirect } = require('./web');

const expressPage = fs.readFileSync(path.join(__dirname, 'express.html'));

function routes(app) {
  const { config } = app;
  return {
    // GET / links to /flinks/express.
    'GET /': (req, res) => {
      customer(req, res);
      sendPage(res, expressPage);
    },

    // GET /flinks/express sends the browser to the Express link your Flinks representative sent, with demo as chosen
    // when the project was generated and redirectUrl = this server's /flinks/redirect.
    'GET /flinks/express': (req, res) => {
      customer(req, res); // the cookie the redirect comes back with
      const target = new URL(config.expressURL);
      if (new URLSearchParams(config.connectQuery).get('demo') === 'true') target.searchParams.set('demo', 'true');
      target.searchParams.set('redirectUrl', `${baseURL(req)}/flinks/redirect`);
      redirect(res, target.toString());
    },

    // GET /flinks/redirect receives Express's redirect: ?loginId=…&institution=…, then on to the accounts.
    'GET /flinks/redirect': (req, res, url) => {
      if (app.keep(req, res, url.searchParams.get('loginId'))) redirect(res, '/accounts'); // the loginId leaves the address bar
    },
  };
}

module.exports = { routes };
