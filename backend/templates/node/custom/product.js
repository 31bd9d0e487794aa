'use strict';
// Custom OAuth: your own page chooses the institution; Flinks' /v3/oauth/authorize sends the customer to their bank,
// which sends them back to /flinks/oauth/callback with a loginId and the state this server chose. Then a live
// /Authorize (MostRecentCached: false, Save: true) fetches fresh data, with the bank's security questions if any.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { NeedsMFA } = require('./flinks');
const { masked } = require('./store');
const { customer, setCookie, https, baseURL, sameSecret, cookieValue, readForm, sendPage, sendText, redirect, escapeHTML } = require('./web');

const customPage = fs.readFileSync(path.join(__dirname, 'custom.html'), 'utf8');
const STATE_COOKIE = 'flinks_oauth_state';

function routes(app) {
  const { config, flinks, pendingMFA, log } = app;
  const chosen = new URLSearchParams(config.connectQuery);
  return {
    // GET / serves the form choosing the institution (Flinks Capital, the test bank, filled in with demo=true).
    'GET /': (req, res) => {
      customer(req, res);
      const institution = chosen.get('demo') === 'true' ? 'FlinksCapital' : '';
      sendPage(res, customPage.replace('{{institution}}', () => escapeHTML(institution)));
    },

    // POST /flinks/oauth/start keeps a fresh random state (256 bits) in an HttpOnly cookie and sends the browser to
    // Flinks' /v3/oauth/authorize, which answers with a redirect to the bank (or a page that leads there).
    'POST /flinks/oauth/start': async (req, res) => {
      customer(req, res);
      const institution = ((await readForm(req, 4096)).get('institution') || '').trim();
      if (!institution) return sendText(res, 400, 'choose an institution');
      const state = crypto.randomBytes(32).toString('base64url');
      setCookie(res, `${STATE_COOKIE}=${state}; Path=/flinks/oauth; Max-Age=1800; HttpOnly; SameSite=Lax${https(req) ? '; Secure' : ''}`);
      const target = new URL(`${config.apiURL}/v3/oauth/authorize`);
      target.searchParams.set('institution_id', institution);
      target.searchParams.set('redirect_uri', `${baseURL(req)}/flinks/oauth/callback`); // allow-listed by Flinks
      target.searchParams.set('state', state);
      if (chosen.get('language')) target.searchParams.set('lang', chosen.get('language'));
      if (chosen.get('tag')) target.searchParams.set('tag', chosen.get('tag'));
      redirect(res, target.toString());
    },

    // GET /flinks/oauth/callback: ?loginId=…&state=… or ?state=…&error=…&error_description=…. The state must be the
    // one this browser's cookie holds (constant-time compare): otherwise 403 and nothing is kept, since anyone can
    // send a browser here with a loginId of their own.
    'GET /flinks/oauth/callback': async (req, res, url) => {
      const expected = cookieValue(req, STATE_COOKIE);
      const state = url.searchParams.get('state') || '';
      if (!expected || !sameSecret(state, expected)) {
        log('OAuth callback refused: the state does not match this browser\'s');
        return sendText(res, 403, 'this link was not started from this browser: start again from the first page');
      }
      setCookie(res, `${STATE_COOKIE}=; Path=/flinks/oauth; Max-Age=0; HttpOnly; SameSite=Lax`); // single use
      if (url.searchParams.get('error')) {
        const why = `${url.searchParams.get('error')}: ${url.searchParams.get('error_description') || ''}`;
        log(`OAuth ended with ${why}`);
        return sendText(res, 400, `Your bank did not link the account (${why}).`);
      }
      const loginId = url.searchParams.get('loginId');
      if (!app.keep(req, res, loginId)) return; // also drops the questions and RequestId of an earlier link
      const who = customer(req, res);
      try {
        // Language and Tag as chosen, as at the start: the bank's questions in the customer's language.
        await flinks.authorize(loginId, { live: true, language: chosen.get('language') || '', tag: chosen.get('tag') || '' });
        log(`live /Authorize of ${masked(loginId)} done`);
      } catch (err) {
        if (!(err instanceof NeedsMFA)) throw err;
        pendingMFA.set(who, err); // /api/accounts answers 409 with the prompts; /api/mfa takes the answers
        log(err.message);
      }
      redirect(res, '/accounts');
    },
  };
}

module.exports = { routes };
