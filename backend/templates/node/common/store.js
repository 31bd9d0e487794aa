'use strict';
// LoginStore keeps each customer's loginId on the server only: a JSON file readable by this process's user alone
// (0600). In your product, keep the loginId in your database next to the customer, encrypted at rest like any
// credential; this file is the smallest thing that survives a restart.

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

class LoginStore {
  constructor(file) {
    this.file = file;
  }

  load() {
    let text;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if (err.code === 'ENOENT') return {};
      throw err;
    }
    return JSON.parse(text);
  }

  // save writes the whole file anew (a temporary file, created 0600, renamed over it), so a crash never leaves half
  // a file and no other user can ever read it. The calls are synchronous: no two requests interleave inside one.
  save(logins) {
    const tmp = path.join(path.dirname(this.file), `.logins-${crypto.randomBytes(6).toString('hex')}.json`);
    try {
      fs.writeFileSync(tmp, JSON.stringify(logins, null, 2), { mode: 0o600, flag: 'wx' });
      fs.chmodSync(tmp, 0o600); // in case the umask was stricter than usual, or the platform ignores mode
      fs.renameSync(tmp, this.file);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }

  // get returns the loginId of customer, or ''.
  get(customer) {
    return this.load()[customer] || '';
  }

  // put keeps loginId for customer.
  put(customer, loginId) {
    const logins = this.load();
    logins[customer] = loginId;
    this.save(logins);
  }

  // delete forgets customer's loginId.
  delete(customer) {
    const logins = this.load();
    delete logins[customer];
    this.save(logins);
  }
}

// masked shows the last 4 characters of a loginId only: never log one in full.
function masked(loginId) {
  return loginId && loginId.length > 4 ? `…${loginId.slice(-4)}` : '****';
}

module.exports = { LoginStore, masked };
