'use strict';
// Flinks Connect: the page embedding the Connect iframe, and the two ways the loginId comes back from it (the
// redirect URL, and the REDIRECT event the page's listener forwards).

const fs = require('node:fs');
const path = require('node:path');
const { customer, readJSON, sendPage, sendText, escapeHTML } = require('./web');

const connectPage = fs.readFileSync(path.join(__dirname, 'connect.html'), 'utf8');

function routes(app) {
  const { config, flinks } = app;
  return {
    // GET / serves the page embedding Connect, with a fresh authorize token and redirect nonce for each page view.
    'GET /': async (req, res) => {
      customer(req, res);
      const token = await flinks.authorizeToken();
      const src = new URL(config.iframeURL);
      const query = new URLSearchParams(config.connectQuery); // the Connect parameters chosen when the project was generated
      query.set('authorizeToken', token);
      query.set('redirectUrl', app.redirectURL(req, res)); // /flinks/redirect/<nonce> (app.js)
      src.search = query.toString();
      // The origin is written as a JavaScript string; < is escaped so that it can never close the script.
      const page = connectPage.replace('{{src}}', () => escapeHTML(src.toString()))
        .replace('{{origin}}', () => JSON.stringify(src.origin).replace(/</g, '\\u003c'));
      sendPage(res, page); // no-store: the token is single-use
    },

    // GET /flinks/redirect/<nonce> receives Connect's redirectUrl: ?loginId=…&institution=… (and accountId with the
    // account selector), once its nonce is this browser's (app.redirected). Connect sends the whole window here, so
    // the customer then sees their accounts.
    'GET /flinks/redirect/*': app.redirected,

    // POST /flinks/connected receives the loginId the page's REDIRECT listener read from Connect's event (from this
    // server's own page only: app.js refuses another origin's).
    'POST /flinks/connected': async (req, res) => {
      const input = await readJSON(req, 4096);
      if (!input || typeof input.loginId !== 'string') return sendText(res, 400, 'expected {"loginId": "…"}');
      if (app.keep(req, res, input.loginId)) {
        res.writeHead(204, { 'Cache-Control': 'no-store' });
        res.end();
      }
    },
  };
}

module.exports = { routes };
